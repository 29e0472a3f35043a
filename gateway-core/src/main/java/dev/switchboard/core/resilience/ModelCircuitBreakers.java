package dev.switchboard.core.resilience;

import dev.switchboard.core.GatewayException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One Resilience4j circuit breaker per model. It counts what the model itself did wrong (a start
 * that failed, an engine that broke or answered 5xx) and nothing else: time spent waiting in the
 * queue or loading is not a call, so a cold start can never look like a slow or failed call, and
 * queue overflow or time-outs (the gateway's own limits) are not counted either.
 */
public final class ModelCircuitBreakers {
    private final CircuitBreakerRegistry registry;
    private final Duration openFor;

    /**
     * @param openFor how long a tripped breaker rejects requests before letting trial calls through
     */
    public ModelCircuitBreakers(Duration openFor) {
        this.openFor = openFor;
        this.registry = CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(10)
                .minimumNumberOfCalls(4)
                .failureRateThreshold(50)
                .waitDurationInOpenState(openFor)
                .automaticTransitionFromOpenToHalfOpenEnabled(true)
                .permittedNumberOfCallsInHalfOpenState(2)
                .build());
    }

    /** Defaults: trips at 50 % failures over the last 10 calls (at least 4), stays open 10 s. */
    public static ModelCircuitBreakers ofDefaults() {
        return new ModelCircuitBreakers(Duration.ofSeconds(10));
    }

    /**
     * Rejects the request when the model's breaker is open.
     *
     * @throws GatewayException 503 with {@code Retry-After}
     */
    public void check(String modelId) {
        CircuitBreaker breaker = registry.circuitBreaker(modelId);
        if (breaker.getState() == CircuitBreaker.State.OPEN) {
            throw GatewayException.unavailable(
                    "model '" + modelId + "' is failing repeatedly; requests are paused for " + openFor.toSeconds()
                            + "s",
                    openFor);
        }
    }

    /** Records a call the model served. */
    public void success(String modelId) {
        registry.circuitBreaker(modelId).onSuccess(0, TimeUnit.NANOSECONDS);
    }

    /** Records a failure of the model: a failed start, a broken or 5xx answer. */
    public void failure(String modelId, Throwable error) {
        registry.circuitBreaker(modelId).onError(0, TimeUnit.NANOSECONDS, error);
    }

    /** The breaker state of a model, for status pages. */
    public CircuitBreaker.State state(String modelId) {
        return registry.circuitBreaker(modelId).getState();
    }
}
