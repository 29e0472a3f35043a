package dev.switchboard.core;

import dev.switchboard.core.lifecycle.SchedulerConfig;
import dev.switchboard.core.resilience.ResilienceConfig;
import dev.switchboard.core.spi.BackendConfig;
import dev.switchboard.core.spi.ModelDescriptor;
import java.util.List;
import java.util.Objects;

/**
 * What a gateway runs: its scheduling settings, its backends and the models declared explicitly
 * (backends' own sources add discovered ones). The application binds its YAML file to this.
 *
 * @param scheduler scheduling settings
 * @param backends configured backends, each with a unique name
 * @param models explicitly declared models; they win over discovered models with the same id
 * @param resilience the models' circuit breaker settings
 */
public record GatewayConfig(
        SchedulerConfig scheduler,
        List<BackendConfig> backends,
        List<ModelDescriptor> models,
        ResilienceConfig resilience) {

    /** With the default circuit breaker settings. */
    public GatewayConfig(SchedulerConfig scheduler, List<BackendConfig> backends, List<ModelDescriptor> models) {
        this(scheduler, backends, models, ResilienceConfig.ofDefaults());
    }

    public GatewayConfig {
        Objects.requireNonNull(scheduler, "scheduler");
        Objects.requireNonNull(resilience, "resilience");
        backends = List.copyOf(backends);
        models = List.copyOf(models);
    }
}
