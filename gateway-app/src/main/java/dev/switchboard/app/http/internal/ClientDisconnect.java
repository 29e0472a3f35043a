package dev.switchboard.app.http.internal;

import jakarta.servlet.http.HttpServletRequest;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;

/**
 * Notices a client that hangs up while its request is still being handled, before any response
 * byte is written (a request waiting minutes for its model to load, say). The servlet API only
 * reports a vanished client when a write fails; Jetty's core request reports it as a failure as soon
 * as its connection reads end-of-stream.
 */
public final class ClientDisconnect {

    private ClientDisconnect() {}

    /**
     * Runs {@code action} once if the client's connection fails before the request completes. The
     * action may run on a Jetty thread: keep it short (cancelling a future is fine).
     */
    public static void whenGone(HttpServletRequest request, Runnable action) {
        ServletContextRequest jetty = ServletContextRequest.getServletContextRequest(request);
        if (jetty != null) {
            jetty.addFailureListener(failure -> action.run());
        }
    }

    /**
     * Cuts the connection so the client sees a broken response rather than a complete one; for an
     * engine that failed after the response was committed.
     */
    public static void abort(HttpServletRequest request, Throwable cause) {
        ServletContextRequest jetty = ServletContextRequest.getServletContextRequest(request);
        if (jetty != null) {
            jetty.getServletChannel().abort(cause);
        }
    }
}
