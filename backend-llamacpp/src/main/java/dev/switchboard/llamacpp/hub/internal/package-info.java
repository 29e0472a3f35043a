/** How {@link dev.switchboard.llamacpp.hub.HfDownloader} works; not an API, may change without notice. */
package dev.switchboard.llamacpp.hub.internal;
