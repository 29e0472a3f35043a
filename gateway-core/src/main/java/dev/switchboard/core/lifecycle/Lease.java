package dev.switchboard.core.lifecycle;

import dev.switchboard.core.spi.LaunchSpec;
import dev.switchboard.core.spi.ModelDescriptor;
import java.net.URI;
import java.util.Map;

/**
 * The right to send one request to a ready model's engine, from {@code Gateway.acquire}. While any
 * lease is open the model is never evicted; closing it (once the response is fully relayed, or the
 * client went away) lets the model go idle.
 */
public interface Lease extends AutoCloseable {

    ModelDescriptor model();

    /** Where the engine serves HTTP. */
    URI baseUri();

    /** The model name the engine expects in request bodies. */
    String upstreamModel();

    /** Headers to add to requests sent to the engine (an upstream's API key). */
    Map<String, String> requestHeaders();

    /** The most connections to open to the engine at once; 0 for no limit (see {@link LaunchSpec#maxConnections}). */
    default int maxConnections() {
        return 0;
    }

    /** Runs the action when the lease is released (at once if it already was). */
    void whenClosed(Runnable action);

    /** Releases the lease; later calls do nothing. */
    @Override
    void close();
}
