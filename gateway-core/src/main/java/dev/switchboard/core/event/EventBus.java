package dev.switchboard.core.event;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers events to listeners in order, off the caller's thread, so that state transitions made
 * under the manager's lock never wait on a listener.
 */
public final class EventBus implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EventBus.class);

    private final List<GatewayListener> listeners = new CopyOnWriteArrayList<>();
    private final ExecutorService dispatcher = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "switchboard-events");
        thread.setDaemon(true);
        return thread;
    });

    /** Adds a listener; closing the handle removes it. */
    public AutoCloseable subscribe(GatewayListener listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    public void publish(GatewayEvent event) {
        try {
            dispatcher.execute(() -> {
                for (GatewayListener listener : listeners) {
                    try {
                        listener.onEvent(event);
                    } catch (RuntimeException e) {
                        log.warn("event listener failed on {}", event, e);
                    }
                }
            });
        } catch (RejectedExecutionException e) {
            // closed: an engine stopping or a download ending after shutdown has nobody to tell
        }
    }

    @Override
    public void close() {
        dispatcher.shutdown();
    }
}
