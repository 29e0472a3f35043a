package dev.switchboard.core.event;

import dev.switchboard.core.lifecycle.ModelState;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Instant;

/** Something that happened to a model, as listeners and the events stream see it. Immutable. */
public sealed interface GatewayEvent {

    String model();

    Instant at();

    /**
     * A model moved between states.
     *
     * @param reason why, in words: {@code request}, {@code evicted for 'b'}, {@code idle for 600s}
     */
    record StateChanged(String model, ModelState from, ModelState to, String reason, Instant at)
            implements GatewayEvent {}

    /**
     * A model's circuit breaker changed state ({@code CLOSED}, {@code OPEN}, {@code HALF_OPEN}, ...).
     */
    record CircuitChanged(String model, CircuitBreaker.State from, CircuitBreaker.State to, Instant at)
            implements GatewayEvent {}

    /** A loading engine reported its progress in [0, 1]. */
    record LoadProgress(String model, double progress, Instant at) implements GatewayEvent {}

    /** A download advanced; {@code model} is the reference as asked for. */
    record DownloadProgress(String model, String file, long doneBytes, long totalBytes, Instant at)
            implements GatewayEvent {}

    /** A download completed; the catalog lists it as {@code id}. */
    record DownloadFinished(String model, String id, Instant at) implements GatewayEvent {}

    /** A download failed. */
    record DownloadFailed(String model, String message, Instant at) implements GatewayEvent {}
}
