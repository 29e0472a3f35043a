package dev.switchboard.core.placement;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A model that holds memory or a slot now (ready, sleeping or starting), as the {@link Planner}
 * sees it.
 *
 * @param id the model id
 * @param bytesPerGpu the memory it holds on each GPU, by device index (empty on the CPU)
 * @param busy true while it must stay: it has requests in flight, is starting, or is protected
 * @param lastUsed when it last served a request (or started)
 * @param priority higher is kept longer; it outweighs every cost
 * @param reloadCost how long loading it again would take
 */
public record LoadedModel(
        String id, Map<Integer, Long> bytesPerGpu, boolean busy, Instant lastUsed, int priority, Duration reloadCost) {

    public LoadedModel {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(lastUsed, "lastUsed");
        bytesPerGpu = Map.copyOf(bytesPerGpu);
        if (bytesPerGpu.values().stream().anyMatch(bytes -> bytes < 0)) {
            throw new IllegalArgumentException("model " + id + " holds negative memory: " + bytesPerGpu);
        }
        if (reloadCost.isNegative()) {
            throw new IllegalArgumentException("model " + id + " has a negative reload cost: " + reloadCost);
        }
    }

    /** The bytes it holds on the GPU with this device index. */
    public long bytesOn(int gpuIndex) {
        return bytesPerGpu.getOrDefault(gpuIndex, 0L);
    }
}
