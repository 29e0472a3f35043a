/**
 * The llama.cpp backend: llama-server's router mode as a drop-in, found through {@link
 * java.util.ServiceLoader} as {@link dev.switchboard.llamacpp.LlamaCppBackendFactory} (type {@code
 * llamacpp}). {@link dev.switchboard.llamacpp.LlamaCppChildProtocol} reads the children's state
 * lines.
 */
package dev.switchboard.llamacpp;
