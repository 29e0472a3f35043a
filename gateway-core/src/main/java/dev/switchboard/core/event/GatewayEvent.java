package dev.switchboard.core.event;

import dev.switchboard.core.lifecycle.ModelState;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Instant;
import java.util.Map;

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

    /**
     * A loading engine reported its progress in [0, 1]; {@code detail} is the engine's own account
     * (llama.cpp: {@code stages}, {@code current}, {@code value}), or empty.
     */
    record LoadProgress(String model, double progress, Map<String, Object> detail, Instant at) implements GatewayEvent {
        public LoadProgress {
            detail = Map.copyOf(detail);
        }

        public LoadProgress(String model, double progress, Instant at) {
            this(model, progress, Map.of(), at);
        }
    }

    /** A download advanced; {@code model} is the reference as asked for. */
    record DownloadProgress(String model, String file, long doneBytes, long totalBytes, Instant at)
            implements GatewayEvent {}

    /** A download completed; the catalog lists it as {@code id}. */
    record DownloadFinished(String model, String id, Instant at) implements GatewayEvent {}

    /**
     * A configuration reload changed a model's declaration.
     *
     * @param change {@code added}, {@code changed} (its engine restarts with the new one once its
     *     requests drain) or {@code removed} (its engine is unloaded)
     */
    record ConfigChanged(String model, String change, Instant at) implements GatewayEvent {}

    /** A download failed. */
    record DownloadFailed(String model, String message, Instant at) implements GatewayEvent {}

    /**
     * A {@code /tools} call finished; {@code model} is empty (tools serve every model).
     *
     * @param type {@code server} (built-in) or {@code mcp}
     * @param outcome {@code ok}, {@code error}, {@code rejected} or {@code cancelled}
     * @param detail the error message, empty on success
     */
    record ToolCalled(String model, String tool, String type, String outcome, String detail, long millis, Instant at)
            implements GatewayEvent {}
}
