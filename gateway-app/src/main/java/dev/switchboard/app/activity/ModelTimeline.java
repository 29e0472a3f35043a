package dev.switchboard.app.activity;

import dev.switchboard.core.Gateway;
import dev.switchboard.core.event.GatewayEvent;
import dev.switchboard.core.lifecycle.ModelState;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Since when each model is in its state and why it got there ("evicted for 'b'", "idle for
 * 600s"), from the gateway's events. Moves made before it started listening are unknown.
 */
public final class ModelTimeline implements AutoCloseable {

    /**
     * A model's last move.
     *
     * @param state the state it moved to
     * @param since when
     * @param reason why, as the gateway said it
     * @param stopReason why it last left service (stopped, evicted, slept, failed), or {@code null}
     */
    public record Entry(ModelState state, Instant since, String reason, String stopReason) {}

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final AutoCloseable subscription;

    public ModelTimeline(Gateway gateway) {
        this.subscription = gateway.subscribe(this::onEvent);
    }

    private void onEvent(GatewayEvent event) {
        if (event instanceof GatewayEvent.StateChanged change) {
            entries.compute(change.model(), (model, previous) -> {
                boolean leaves = change.to() == ModelState.STOPPING
                        || change.to() == ModelState.FAILED
                        || change.to() == ModelState.SLEEPING
                        || (change.to() == ModelState.UNLOADED && change.from() != ModelState.STOPPING);
                String stopReason = leaves ? change.reason() : previous == null ? null : previous.stopReason();
                return new Entry(change.to(), change.at(), change.reason(), stopReason);
            });
        }
    }

    /** The model's last move, when one was seen. */
    public Optional<Entry> entry(String model) {
        return Optional.ofNullable(entries.get(model));
    }

    @Override
    public void close() {
        try {
            subscription.close();
        } catch (Exception e) {
            throw new IllegalStateException("unsubscribing the model timeline failed", e);
        }
    }
}
