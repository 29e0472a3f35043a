package dev.switchboard.app.http;

import dev.switchboard.app.http.internal.EventStream;
import dev.switchboard.core.Gateway;
import dev.switchboard.core.event.GatewayEvent;
import dev.switchboard.core.lifecycle.ModelState;
import dev.switchboard.core.process.LogBuffer;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Relays a model's engine output to an event stream: the lines buffered so far, then each new one.
 * Every engine start gets a fresh buffer, so the follower moves to it when the model starts again.
 */
final class LogFollower implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LogFollower.class);

    private final Gateway gateway;
    private final String model;
    private final EventStream stream;
    private final AutoCloseable restarts;
    // a lock rather than synchronized: following sends to the client, which would pin a virtual
    // thread's carrier on Java 21
    private final ReentrantLock lock = new ReentrantLock();
    private AutoCloseable lines = () -> {}; // guarded by lock

    LogFollower(Gateway gateway, String model, EventStream stream) {
        this.gateway = gateway;
        this.model = model;
        this.stream = stream;
        // listen first, so a start between the two steps is not missed
        this.restarts = gateway.subscribe(this::onEvent);
        follow();
    }

    private void onEvent(GatewayEvent event) {
        if (event instanceof GatewayEvent.StateChanged change
                && change.model().equals(model)
                && change.to() == ModelState.STARTING) {
            follow();
        }
    }

    private void follow() {
        lock.lock();
        try {
            closeQuietly(lines);
            Optional<LogBuffer> buffer = gateway.logs(model);
            if (buffer.isEmpty()) {
                lines = () -> {};
                return;
            }
            buffer.get().lines().forEach(stream::send);
            lines = buffer.get().subscribe(stream::send);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closeQuietly(restarts);
            closeQuietly(lines);
        } finally {
            lock.unlock();
        }
    }

    private static void closeQuietly(AutoCloseable subscription) {
        try {
            subscription.close();
        } catch (Exception e) {
            log.warn("ending a log subscription failed", e);
        }
    }
}
