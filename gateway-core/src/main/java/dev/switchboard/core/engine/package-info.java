/**
 * Building blocks for backends that run a local engine with an OpenAI-compatible HTTP server (vLLM,
 * SGLang): the options and launch they share ({@link dev.switchboard.core.engine.LocalEngine}),
 * reading the engine arguments a model configures ({@link dev.switchboard.core.engine.EngineArgs})
 * and the control calls of a warm tier ({@link dev.switchboard.core.engine.EngineControl}).
 */
package dev.switchboard.core.engine;
