package dev.switchboard.app.http.internal;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CancellationException;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.io.AbstractEndPoint;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;

/**
 * Notices a client that hangs up while its request waits, before any response byte is written (for
 * a model to load, say).
 *
 * <p>Neither the servlet API nor Jetty tells: once an HTTP/1.1 request body is read, Jetty stops
 * reading the connection until the response is done, so a closed socket only shows when a write
 * fails. The watch therefore asks Jetty's endpoint to report the connection readable, which during a
 * wait means end-of-stream (the client closed) or a reset. Reading one byte tells which; should it be
 * data instead (a client pipelining its next request), that byte cannot be put back, so the
 * connection is closed after this response instead of serving a corrupted next request.
 */
public final class ClientWatch implements AutoCloseable {
    /**
     * What ends the watch of every request that was answered: one shared instance, since building a
     * stack trace on every request costs more than the rest of the watch.
     */
    private static final CancellationException ANSWERED = new CancellationException("the request is no longer waiting");

    private final AbstractEndPoint endPoint; // null when the connection cannot be watched
    private final HttpServletResponse response;
    private final Runnable onGone;
    private boolean watching; // guarded by this
    private boolean pipelined; // guarded by this

    private ClientWatch(AbstractEndPoint endPoint, HttpServletResponse response, Runnable onGone) {
        this.endPoint = endPoint;
        this.response = response;
        this.onGone = onGone;
    }

    /**
     * Starts watching; {@code onGone} runs once, on a Jetty thread, if the client hangs up before
     * {@link #close()}. Keep it short (cancelling a future is fine). Connections other than plain
     * HTTP/1.1 ones are not watched.
     */
    public static ClientWatch start(HttpServletRequest request, HttpServletResponse response, Runnable onGone) {
        ServletContextRequest jetty = ServletContextRequest.getServletContextRequest(request);
        Connection connection =
                jetty == null ? null : jetty.getConnectionMetaData().getConnection();
        AbstractEndPoint endPoint =
                connection != null && connection.getEndPoint() instanceof AbstractEndPoint e ? e : null;
        ClientWatch watch = new ClientWatch(endPoint, response, onGone);
        watch.register();
        return watch;
    }

    private synchronized void register() {
        // false when Jetty itself is reading (HTTP/2 always is): then the connection is not watched
        watching = endPoint != null && endPoint.tryFillInterested(Callback.from(this::onReadable, failure -> {}));
    }

    private void onReadable() {
        synchronized (this) {
            if (!watching) {
                return;
            }
            watching = false;
        }
        int read;
        ByteBuffer peek = BufferUtil.allocate(1);
        try {
            read = endPoint.fill(peek);
        } catch (IOException e) {
            read = -1; // reset by the client
        }
        if (read < 0) {
            onGone.run();
        } else if (read == 0) {
            register(); // woken without data: keep watching
        } else {
            synchronized (this) {
                pipelined = true;
            }
        }
    }

    /** Stops watching; call it on the request's thread before writing the response. */
    @Override
    public synchronized void close() {
        if (watching) {
            watching = false;
            endPoint.getFillInterest().onFail(ANSWERED);
        }
        if (pipelined) {
            response.setHeader("Connection", "close");
        }
    }
}
