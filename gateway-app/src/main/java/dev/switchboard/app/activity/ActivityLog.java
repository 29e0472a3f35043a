package dev.switchboard.app.activity;

import dev.switchboard.app.activity.internal.ResponseTap;
import dev.switchboard.core.forward.ResponseSink;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last requests the gateway served, in a bounded ring, and the requests waiting for their
 * model now. Every request is traced ({@link #begin}) and its end told to the listeners (the
 * metrics, the events stream) whether or not the ring keeps it. Thread-safe.
 */
public final class ActivityLog {
    private static final Logger log = LoggerFactory.getLogger(ActivityLog.class);

    private final ActivitySettings settings;
    private final ArrayDeque<RequestRecord> ring = new ArrayDeque<>(); // guarded by itself, newest last
    private final AtomicLong ids = new AtomicLong();
    private final Map<String, AtomicInteger> waiting = new ConcurrentHashMap<>();
    private final List<Consumer<ActivityEvent>> listeners = new CopyOnWriteArrayList<>();

    public ActivityLog(ActivitySettings settings) {
        this.settings = settings;
    }

    public ActivitySettings settings() {
        return settings;
    }

    /**
     * Starts tracing a request that names {@code model} (resolve it later with {@link Trace#model}).
     *
     * @param requestBody kept (cut to size) when capture is on
     */
    public Trace begin(String model, String route, byte[] requestBody) {
        Trace trace = new Trace(ids.incrementAndGet(), model, route, requestBody);
        publish(new ActivityEvent.Started(trace.id, model, route));
        return trace;
    }

    /** The kept requests, newest first, without their bodies. */
    public List<RequestRecord> recent() {
        List<RequestRecord> newestFirst = new ArrayList<>();
        synchronized (ring) {
            ring.descendingIterator().forEachRemaining(r -> newestFirst.add(r.withoutCapture()));
        }
        return newestFirst;
    }

    /** A kept request with its bodies, when captured. */
    public Optional<RequestRecord> find(long id) {
        synchronized (ring) {
            return ring.stream().filter(r -> r.id() == id).findFirst();
        }
    }

    /** Requests waiting for this model to be ready now. */
    public int waiting(String model) {
        AtomicInteger count = waiting.get(model);
        return count == null ? 0 : count.get();
    }

    /** Requests waiting for any model now. */
    public int waiting() {
        return waiting.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    /** Tells {@code listener} every event from now on; closing the handle stops it. */
    public AutoCloseable subscribe(Consumer<ActivityEvent> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    private void publish(ActivityEvent event) {
        for (Consumer<ActivityEvent> listener : listeners) {
            try {
                listener.accept(event);
            } catch (RuntimeException e) {
                log.warn("an activity listener failed on {}", event, e);
            }
        }
    }

    private void keep(RequestRecord record) {
        if (!settings.enabled()) {
            return;
        }
        synchronized (ring) {
            ring.addLast(record);
            while (ring.size() > settings.capacity()) {
                ring.removeFirst();
            }
        }
    }

    private String capture(byte[] body) {
        int length = Math.min(body.length, settings.captureBytes());
        return new String(body, 0, length, StandardCharsets.UTF_8);
    }

    /** One request on its way: its wait, its answer and its end. Used by the request's thread. */
    public final class Trace {
        private final long id;
        private final String route;
        private final Instant at = Instant.now();
        private final long started = System.nanoTime();
        private final byte[] requestBody;
        private String model;
        private boolean known;
        private long waited;
        private ResponseTap tap;
        private boolean finished;

        private Trace(long id, String model, String route, byte[] requestBody) {
            this.id = id;
            this.model = model;
            this.route = route;
            this.requestBody = requestBody;
        }

        public long id() {
            return id;
        }

        /** The catalog's id for the model the request named. */
        public void model(String id) {
            this.model = id;
            this.known = true;
        }

        /** Counts the request as waiting for its model until the handle is closed. */
        public Waiting waiting() {
            AtomicInteger count = ActivityLog.this.waiting.computeIfAbsent(model, m -> new AtomicInteger());
            publish(new ActivityEvent.Queue(model, count.incrementAndGet()));
            long from = System.nanoTime();
            return () -> {
                waited += System.nanoTime() - from;
                publish(new ActivityEvent.Queue(model, count.decrementAndGet()));
            };
        }

        /** The sink to relay the answer through, so its timing and usage are seen. */
        public ResponseSink watch(ResponseSink sink) {
            tap = new ResponseTap(sink, System::nanoTime, settings.capture() ? settings.captureBytes() : 0);
            return tap;
        }

        /** Ends the trace, once, with the status the client got. */
        public RequestRecord finish(int status) {
            if (finished) {
                throw new IllegalStateException("request " + id + " is finished already");
            }
            finished = true;
            long ended = System.nanoTime();
            if (tap != null) {
                tap.finish();
            }
            RequestRecord.Capture capture = null;
            if (settings.capture()) {
                capture = new RequestRecord.Capture(
                        capture(requestBody),
                        tap == null ? "" : tap.captured(),
                        requestBody.length > settings.captureBytes() || (tap != null && tap.truncated()));
            }
            RequestRecord record = new RequestRecord(
                    id,
                    at,
                    model,
                    known,
                    route,
                    status,
                    tap != null && tap.streamed(),
                    waited / 1e6,
                    tap == null ? -1 : sinceStart(tap.firstByteNanos()),
                    tap == null ? -1 : sinceStart(tap.firstTokenNanos()),
                    (ended - started) / 1e6,
                    tap == null ? -1 : tap.promptTokens(),
                    tap == null ? -1 : tap.completionTokens(),
                    capture);
            keep(record);
            publish(new ActivityEvent.Finished(record));
            return record;
        }

        private double sinceStart(long nanos) {
            return nanos < 0 ? -1 : (nanos - started) / 1e6;
        }
    }

    /** A request's place among the waiting ones; closing it takes the request out of the count. */
    @FunctionalInterface
    public interface Waiting extends AutoCloseable {
        @Override
        void close();
    }
}
