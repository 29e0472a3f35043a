package dev.switchboard.core.placement;

import dev.switchboard.core.spi.Placement;
import java.util.List;
import java.util.Objects;

/** What the {@link Planner} decided: the model {@link Fits}, or {@link NoFit} says why not. */
public sealed interface PlanResult {

    /**
     * The model can start here once the listed models are stopped.
     *
     * @param placement where it runs and what it reserves on each GPU
     * @param evict ids of idle models to stop first, cheapest to lose first; often empty
     */
    record Fits(Placement placement, List<String> evict) implements PlanResult {
        public Fits {
            Objects.requireNonNull(placement, "placement");
            evict = List.copyOf(evict);
        }
    }

    /**
     * The model cannot start now.
     *
     * @param kind whether waiting can help
     * @param reason a sentence for logs and error bodies, naming sizes and blocking models
     * @param neededBytes memory the model needs on the GPUs that came closest (0 on the CPU)
     * @param availableBytes memory those GPUs could give it: with idle models stopped for {@link
     *     Kind#WAIT}, with every model stopped for {@link Kind#NEVER}
     */
    record NoFit(Kind kind, String reason, long neededBytes, long availableBytes) implements PlanResult {
        public NoFit {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(reason, "reason");
        }

        /** Whether waiting can help. */
        public enum Kind {
            /** Only busy models are in the way: it fits once they are idle, so the request may queue. */
            WAIT,
            /** It does not fit even with no model loaded (or its pinned GPUs are absent): fail it. */
            NEVER
        }
    }
}
