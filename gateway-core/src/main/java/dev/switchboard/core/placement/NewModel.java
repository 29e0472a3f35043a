package dev.switchboard.core.placement;

import dev.switchboard.core.spi.MemoryEstimate;
import java.util.List;
import java.util.Objects;

/**
 * The model the {@link Planner} is asked to place.
 *
 * @param id the model id
 * @param estimate what it needs; {@link MemoryEstimate#none()} places it on the CPU (or, when
 *     pinned, on its pinned GPUs with no memory reserved)
 * @param pinnedGpus device indexes it must run on, all of them; empty lets the planner choose
 */
public record NewModel(String id, MemoryEstimate estimate, List<Integer> pinnedGpus) {

    public NewModel {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(estimate, "estimate");
        pinnedGpus = List.copyOf(pinnedGpus);
        if (pinnedGpus.stream().distinct().count() != pinnedGpus.size()) {
            throw new IllegalArgumentException("model " + id + " pins a GPU twice: " + pinnedGpus);
        }
        if (!pinnedGpus.isEmpty() && estimate.gpuCount() > 0 && estimate.gpuCount() != pinnedGpus.size()) {
            throw new IllegalArgumentException(
                    "model " + id + " needs " + estimate.gpuCount() + " GPUs but is pinned to " + pinnedGpus);
        }
    }

    /** A model the planner may put on any GPU. */
    public static NewModel of(String id, MemoryEstimate estimate) {
        return new NewModel(id, estimate, List.of());
    }
}
