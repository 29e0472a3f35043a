/**
 * The {@code openai} backend type: the models of a remote OpenAI-compatible API, relayed with the
 * upstream's API key and listed from its {@code /models} (see {@link
 * dev.switchboard.core.openai.OpenAiBackendFactory}).
 */
package dev.switchboard.core.openai.internal;
