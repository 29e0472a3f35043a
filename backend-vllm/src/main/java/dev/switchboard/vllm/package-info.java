/**
 * The {@code vllm} backend type, found through {@link java.util.ServiceLoader}: each model in its own
 * {@code vllm serve} process, with vLLM's sleep mode as the warm tier (see {@link
 * dev.switchboard.vllm.VllmBackendFactory}).
 */
package dev.switchboard.vllm;
