package dev.switchboard.app.http.internal;

import jakarta.servlet.http.HttpServletRequest;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;

/** What the servlet API cannot do to a response. */
public final class Responses {

    private Responses() {}

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
