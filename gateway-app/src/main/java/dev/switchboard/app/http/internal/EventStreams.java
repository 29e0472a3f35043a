package dev.switchboard.app.http.internal;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves server-sent-event responses and remembers the open ones, so that stopping the server ends
 * them instead of waiting for clients that would listen forever.
 */
public final class EventStreams {
    private static final Logger log = LoggerFactory.getLogger(EventStreams.class);

    private final Duration heartbeat;
    private final Set<EventStream> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /** @param heartbeat how often an idle stream writes a comment to find out whether its client left */
    public EventStreams(Duration heartbeat) {
        this.heartbeat = heartbeat;
    }

    /**
     * Sends events to the client until it goes away or the server stops. Runs on the request's
     * thread and returns when the stream ends.
     *
     * @param source subscribes the stream to what it relays; the returned handle unsubscribes it
     */
    public void serve(HttpServletResponse response, Function<EventStream, AutoCloseable> source)
            throws IOException, InterruptedException {
        EventStream stream = new EventStream();
        open.add(stream);
        if (closed) {
            stream.close();
        }
        // subscribe before the headers go out: a client that acts on seeing them misses no event
        AutoCloseable subscription = source.apply(stream);
        try {
            response.setStatus(200);
            response.setContentType("text/event-stream");
            response.setCharacterEncoding("UTF-8");
            response.setHeader("Cache-Control", "no-cache");
            response.setHeader("X-Accel-Buffering", "no"); // tell reverse proxies not to buffer it
            stream.pump(ChunkedBody.open(response), heartbeat);
        } finally {
            stream.close();
            open.remove(stream);
            unsubscribe(subscription);
        }
    }

    /** Ends every open stream and any opened later. */
    public void closeAll() {
        closed = true;
        open.forEach(EventStream::close);
    }

    private static void unsubscribe(AutoCloseable subscription) {
        try {
            subscription.close();
        } catch (Exception e) {
            log.warn("ending an event subscription failed", e);
        }
    }
}
