package dev.switchboard.app.config.internal;

import dev.switchboard.core.resilience.ResilienceConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Binds the {@code resilience:} section, the models' circuit breakers (defaults in {@link
 * ResilienceConfig}):
 *
 * <pre>{@code
 * resilience:
 *   failureRateThreshold: 50          # percent of failed calls that opens a breaker
 *   slidingWindowSize: 10             # calls the rate is taken over
 *   minimumNumberOfCalls: 4           # calls before the rate counts
 *   waitInOpenState: 10s              # how long an open breaker rejects requests
 *   permittedCallsInHalfOpenState: 1  # probes let through after the wait
 *   models:
 *     qwen: { waitInOpenState: 1m }   # per model; unset keys come from above
 * }</pre>
 */
final class ResilienceReader {
    private static final List<String> SETTINGS = List.of(
            "failureRateThreshold",
            "slidingWindowSize",
            "minimumNumberOfCalls",
            "waitInOpenState",
            "permittedCallsInHalfOpenState");

    private ResilienceReader() {}

    static ResilienceConfig read(YamlNode node) {
        List<String> keys = new java.util.ArrayList<>(SETTINGS);
        keys.add("models");
        node.allowOnly(keys);
        ResilienceConfig defaults = settings(node, ResilienceConfig.ofDefaults());
        Map<String, ResilienceConfig> models = new LinkedHashMap<>();
        node.get("models")
                .ifPresent(entries -> entries.entries().forEach((id, model) -> {
                    model.allowOnly(SETTINGS);
                    models.put(id, settings(model, defaults));
                }));
        return builder(defaults).models(models).build();
    }

    /** The settings in the node, the rest from {@code base}. */
    private static ResilienceConfig settings(YamlNode node, ResilienceConfig base) {
        ResilienceConfig.Builder builder = builder(base);
        node.get("failureRateThreshold").ifPresent(n -> builder.failureRateThreshold(n.integer(1, 100)));
        node.get("slidingWindowSize").ifPresent(n -> builder.slidingWindowSize(n.integer(1, Integer.MAX_VALUE)));
        node.get("minimumNumberOfCalls").ifPresent(n -> builder.minimumNumberOfCalls(n.integer(1, Integer.MAX_VALUE)));
        node.get("waitInOpenState").ifPresent(n -> builder.waitInOpenState(n.positiveDuration()));
        node.get("permittedCallsInHalfOpenState")
                .ifPresent(n -> builder.permittedCallsInHalfOpenState(n.integer(1, Integer.MAX_VALUE)));
        return builder.build();
    }

    private static ResilienceConfig.Builder builder(ResilienceConfig base) {
        return ResilienceConfig.custom()
                .failureRateThreshold(base.failureRateThreshold())
                .slidingWindowSize(base.slidingWindowSize())
                .minimumNumberOfCalls(base.minimumNumberOfCalls())
                .waitInOpenState(base.waitInOpenState())
                .permittedCallsInHalfOpenState(base.permittedCallsInHalfOpenState());
    }
}
