/**
 * Finding models on disk the way llama-server's router does: a {@code --models-dir} ({@link
 * dev.switchboard.llamacpp.discovery.ModelsDirSource}) and the download cache ({@link
 * dev.switchboard.llamacpp.discovery.HfCacheSource}, located by {@link
 * dev.switchboard.llamacpp.discovery.CacheDirectories}).
 */
package dev.switchboard.llamacpp.discovery;
