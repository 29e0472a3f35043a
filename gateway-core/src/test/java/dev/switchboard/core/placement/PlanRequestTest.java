package dev.switchboard.core.placement;

import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.switchboard.core.spi.GpuInfo;
import dev.switchboard.core.spi.MemoryEstimate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Inputs the planner refuses because they cannot describe a real situation. */
class PlanRequestTest {
    private static final Instant NOW = Instant.EPOCH;
    private static final NewModel MODEL = NewModel.of("m", MemoryEstimate.ofBytes(1, 0, 0));

    @Test
    void rejectsPlanningAModelThatIsAlreadyLoaded() {
        LoadedModel loaded = new LoadedModel("m", Map.of(), false, NOW, 0, Duration.ZERO);

        assertThatIllegalArgumentException()
                .isThrownBy(() -> new PlanRequest(List.of(), Map.of(), List.of(loaded), 0, MODEL, NOW))
                .withMessageContaining("m is already loaded");
    }

    @Test
    void rejectsAGpuListedTwice() {
        GpuInfo gpu = new GpuInfo(0, "", "gpu", 1, 0, 1);

        assertThatIllegalArgumentException()
                .isThrownBy(() -> new PlanRequest(List.of(gpu, gpu), Map.of(), List.of(), 0, MODEL, NOW));
    }

    @Test
    void rejectsANegativeMaxLoaded() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new PlanRequest(List.of(), Map.of(), List.of(), -1, MODEL, NOW));
    }

    @Test
    void rejectsPinsThatContradictTheEstimatesGpuCount() {
        MemoryEstimate twoGpus = MemoryEstimate.ofFraction(0.9, 2);

        assertThatIllegalArgumentException()
                .isThrownBy(() -> new NewModel("m", twoGpus, List.of(0)))
                .withMessageContaining("needs 2 GPUs but is pinned to [0]");
    }
}
