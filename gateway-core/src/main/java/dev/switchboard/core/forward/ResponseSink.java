package dev.switchboard.core.forward;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;

/** Where a relayed response goes: the HTTP server's response, or anything an embedder provides. */
public interface ResponseSink {

    /** Sets status and headers; called once, before any body byte. */
    void begin(int status, Map<String, List<String>> headers) throws IOException;

    /** The raw body stream; the forwarder flushes it at every SSE event boundary. */
    OutputStream body() throws IOException;

    /**
     * Starts noticing a client that hangs up while an event stream is relayed (an idle stream writes
     * nothing, so no failed write would tell): {@code onGone} then runs once, on another thread. The
     * returned action stops watching. By default nothing is watched: a hang-up shows at the next write.
     * A sink that wraps another delegates this to it, or the wrapped client is never watched.
     */
    default Runnable watchClient(Runnable onGone) {
        return () -> {};
    }
}
