package dev.switchboard.app.http.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One open server-sent-events response. Producers (event listeners, log subscribers) only queue
 * events and never block; the request's own thread writes them out in {@link #pump}, so a slow
 * client never holds up the gateway and only one thread ever writes the response.
 */
public final class EventStream {
    private static final int MAX_PENDING = 10_000;
    // an SSE comment: clients ignore it, but writing it tells a vanished client from a quiet one
    private static final String HEARTBEAT = ": keep-alive\n\n";
    private static final String END = new String("end"); // compared by identity

    private final BlockingQueue<String> pending = new LinkedBlockingQueue<>(MAX_PENDING);
    private volatile boolean closed;

    EventStream() {}

    /**
     * Queues one event carrying {@code data} (one {@code data:} line per line of it). A client too
     * slow to keep up with {@value #MAX_PENDING} events is dropped.
     *
     * @return false when the stream is closed
     */
    public boolean send(String data) {
        if (closed) {
            return false;
        }
        if (!pending.offer("data: " + data.replace("\n", "\ndata: ") + "\n\n")) {
            close();
            return false;
        }
        return true;
    }

    /** Ends the stream: {@link #pump} returns and the response completes. Idempotent. */
    public void close() {
        closed = true;
        pending.clear();
        pending.offer(END);
    }

    /**
     * Writes queued events to {@code out}, each flushed, and a heartbeat comment whenever nothing
     * happened for {@code heartbeat}, until the stream is closed (then the body ends) or the client
     * goes away.
     */
    void pump(OutputStream out, Duration heartbeat) throws InterruptedException {
        try {
            while (!closed) {
                String next = pending.poll(heartbeat.toMillis(), TimeUnit.MILLISECONDS);
                if (next == END) {
                    break;
                }
                out.write((next == null ? HEARTBEAT : next).getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
            out.close();
        } catch (IOException e) {
            closed = true; // the client went away
        }
    }
}
