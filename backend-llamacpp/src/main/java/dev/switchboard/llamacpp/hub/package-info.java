/**
 * Downloading models from the Hugging Face hub into llama.cpp's cache, like {@code llama-server -hf
 * org/repo:TAG} or {@code ollama pull}: {@link dev.switchboard.llamacpp.hub.HfDownloader} fetches
 * and deletes, {@link dev.switchboard.llamacpp.hub.HubClient} talks to the hub, {@link
 * dev.switchboard.llamacpp.hub.DownloadListener} reports progress and {@link
 * dev.switchboard.llamacpp.hub.HubException} carries the HTTP status of a failure.
 */
package dev.switchboard.llamacpp.hub;
