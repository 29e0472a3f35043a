package dev.switchboard.core.resilience.internal;

import dev.switchboard.core.GatewayException;
import dev.switchboard.core.resilience.ResilienceConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One Resilience4j circuit breaker per model, used as its contract says: a request asks {@link
 * #acquirePermission} before it may use the model, and then reports exactly one outcome: {@link
 * #success} or {@link #failure} with the time the engine took, or {@link #release} when the
 * outcome says nothing about the model.
 *
 * <p>It counts what the model itself did wrong: an engine that broke or answered a 5xx other than
 * 501 while serving, and each failed start once (not once per request that waited on it). Time
 * spent waiting in the queue or loading is not part of a call, so a cold start never looks slow;
 * queue overflow, time-outs and the client's own mistakes are not counted.
 */
public final class ModelCircuitBreakers {
    private final CircuitBreakerRegistry registry;
    private final ResilienceConfig config;

    public ModelCircuitBreakers(ResilienceConfig config) {
        this.config = config;
        this.registry = CircuitBreakerRegistry.of(breakerConfig(config));
    }

    public static ModelCircuitBreakers ofDefaults() {
        return new ModelCircuitBreakers(ResilienceConfig.ofDefaults());
    }

    private static CircuitBreakerConfig breakerConfig(ResilienceConfig config) {
        return CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(config.slidingWindowSize())
                .minimumNumberOfCalls(config.minimumNumberOfCalls())
                .failureRateThreshold(config.failureRateThreshold())
                .waitDurationInOpenState(config.waitInOpenState())
                .permittedNumberOfCallsInHalfOpenState(config.permittedCallsInHalfOpenState())
                .build();
    }

    /**
     * Lets a request use the model, or rejects it while the breaker is open (or forced open, or
     * its half-open probes are all out).
     *
     * @throws GatewayException 503 with {@code Retry-After}
     */
    public void acquirePermission(String modelId) {
        if (!breaker(modelId).tryAcquirePermission()) {
            Duration openFor = config.forModel(modelId).waitInOpenState();
            throw GatewayException.unavailable(
                    "model '" + modelId + "' is failing repeatedly; requests are paused for " + openFor.toSeconds()
                            + "s",
                    openFor);
        }
    }

    /** The request the model served. */
    public void success(String modelId, Duration took) {
        breaker(modelId).onSuccess(took.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** The model failed the request: a broken or 5xx answer. */
    public void failure(String modelId, Duration took, Throwable error) {
        breaker(modelId).onError(took.toNanos(), TimeUnit.NANOSECONDS, error);
    }

    /** A start of the model failed: counted once, however many requests waited on it. */
    public void startFailed(String modelId, String message) {
        breaker(modelId).onError(0, TimeUnit.NANOSECONDS, new IllegalStateException(message));
    }

    /** The request ended without saying anything about the model; its permission goes back. */
    public void release(String modelId) {
        breaker(modelId).releasePermission();
    }

    /** Whether an HTTP status from an engine is the model failing: 5xx, except 501 (not supported). */
    public static boolean isFailure(int status) {
        return status >= 500 && status != 501;
    }

    /** Receives every breaker state change. */
    @FunctionalInterface
    public interface TransitionListener {
        void onTransition(String modelId, CircuitBreaker.State from, CircuitBreaker.State to);
    }

    /** Tells the listener of every state change of every model's breaker, present and future. */
    public void onTransition(TransitionListener listener) {
        registry.getEventPublisher()
                .onEntryAdded(added -> added.getAddedEntry()
                        .getEventPublisher()
                        .onStateTransition(event -> listener.onTransition(
                                event.getCircuitBreakerName(),
                                event.getStateTransition().getFromState(),
                                event.getStateTransition().getToState())));
    }

    /** The breaker state of a model, for status pages. */
    public CircuitBreaker.State state(String modelId) {
        return breaker(modelId).getState();
    }

    /** The model's breaker, for listeners and metrics. */
    public CircuitBreaker breaker(String modelId) {
        ResilienceConfig own = config.models().get(modelId);
        return own == null ? registry.circuitBreaker(modelId) : registry.circuitBreaker(modelId, breakerConfig(own));
    }
}
