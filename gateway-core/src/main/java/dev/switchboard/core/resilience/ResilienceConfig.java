package dev.switchboard.core.resilience;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * The circuit breaker settings every model gets, and per-model overrides. Immutable.
 *
 * <p>Defaults: a breaker opens when at least half ({@code failureRateThreshold} 50) of the last 10
 * calls ({@code slidingWindowSize}) failed, once at least 4 were made ({@code minimumNumberOfCalls});
 * it stays open 10 s ({@code waitInOpenState}), then lets 1 probe through ({@code
 * permittedCallsInHalfOpenState}): a probe that succeeds closes it, one that fails opens it again.
 *
 * @param models per-model settings, by model id, replacing these for that model
 */
public record ResilienceConfig(
        float failureRateThreshold,
        int slidingWindowSize,
        int minimumNumberOfCalls,
        Duration waitInOpenState,
        int permittedCallsInHalfOpenState,
        Map<String, ResilienceConfig> models) {

    public ResilienceConfig {
        if (!(failureRateThreshold > 0 && failureRateThreshold <= 100)) {
            throw new IllegalArgumentException("failureRateThreshold must be in (0, 100], was " + failureRateThreshold);
        }
        positive("slidingWindowSize", slidingWindowSize);
        positive("minimumNumberOfCalls", minimumNumberOfCalls);
        positive("permittedCallsInHalfOpenState", permittedCallsInHalfOpenState);
        Objects.requireNonNull(waitInOpenState, "waitInOpenState");
        if (waitInOpenState.isNegative() || waitInOpenState.isZero()) {
            throw new IllegalArgumentException("waitInOpenState must be positive, was " + waitInOpenState);
        }
        models = Map.copyOf(models);
    }

    public static ResilienceConfig ofDefaults() {
        return custom().build();
    }

    public static Builder custom() {
        return new Builder();
    }

    /** The settings of one model. */
    public ResilienceConfig forModel(String modelId) {
        return models.getOrDefault(modelId, this);
    }

    private static void positive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, was " + value);
        }
    }

    /** Builds a {@link ResilienceConfig}, starting from the defaults. */
    public static final class Builder {
        private float failureRateThreshold = 50;
        private int slidingWindowSize = 10;
        private int minimumNumberOfCalls = 4;
        private Duration waitInOpenState = Duration.ofSeconds(10);
        private int permittedCallsInHalfOpenState = 1;
        private Map<String, ResilienceConfig> models = Map.of();

        private Builder() {}

        public Builder failureRateThreshold(float value) {
            this.failureRateThreshold = value;
            return this;
        }

        public Builder slidingWindowSize(int value) {
            this.slidingWindowSize = value;
            return this;
        }

        public Builder minimumNumberOfCalls(int value) {
            this.minimumNumberOfCalls = value;
            return this;
        }

        public Builder waitInOpenState(Duration value) {
            this.waitInOpenState = value;
            return this;
        }

        public Builder permittedCallsInHalfOpenState(int value) {
            this.permittedCallsInHalfOpenState = value;
            return this;
        }

        public Builder models(Map<String, ResilienceConfig> value) {
            this.models = value;
            return this;
        }

        /** @throws IllegalArgumentException when a value is out of range */
        public ResilienceConfig build() {
            return new ResilienceConfig(
                    failureRateThreshold,
                    slidingWindowSize,
                    minimumNumberOfCalls,
                    waitInOpenState,
                    permittedCallsInHalfOpenState,
                    models);
        }
    }
}
