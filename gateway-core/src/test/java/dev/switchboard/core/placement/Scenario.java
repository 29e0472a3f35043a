package dev.switchboard.core.placement;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.spi.GpuInfo;
import dev.switchboard.core.spi.MemoryEstimate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Builds planner inputs in GiB and seconds, the units the specifications are written in. */
final class Scenario {
    static final long GIB = 1L << 30;
    static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
    private static final Duration RELOAD = Duration.ofSeconds(10);

    private final List<GpuInfo> gpus = new ArrayList<>();
    private final List<LoadedModel> loaded = new ArrayList<>();
    private final Map<Integer, Long> reserved = new HashMap<>();
    private int maxLoaded;

    static Scenario gpusOf(long... totalGib) {
        Scenario scenario = new Scenario();
        for (long total : totalGib) {
            scenario.gpu(total, total);
        }
        return scenario;
    }

    static Scenario cpuOnly() {
        return new Scenario();
    }

    /** Adds a GPU whose reading shows only {@code freeGib} free (other processes hold the rest). */
    Scenario gpu(long totalGib, long freeGib) {
        gpus.add(new GpuInfo(gpus.size(), "", "test GPU", totalGib * GIB, (totalGib - freeGib) * GIB, freeGib * GIB));
        return this;
    }

    Scenario idle(String id, int gpu, long gib, long secondsAgo) {
        return with(model(id, Map.of(gpu, gib * GIB), false, secondsAgo, 0, RELOAD));
    }

    Scenario busy(String id, int gpu, long gib) {
        return with(model(id, Map.of(gpu, gib * GIB), true, 0, 0, RELOAD));
    }

    Scenario with(LoadedModel model) {
        loaded.add(model);
        return this;
    }

    Scenario reserved(int gpu, long bytes) {
        reserved.put(gpu, bytes);
        return this;
    }

    Scenario maxLoaded(int max) {
        this.maxLoaded = max;
        return this;
    }

    PlanResult plan(String id, long gib) {
        return plan(NewModel.of(id, bytes(gib)));
    }

    PlanResult plan(NewModel model) {
        return Planner.plan(new PlanRequest(gpus, reserved, loaded, maxLoaded, model, NOW));
    }

    static LoadedModel model(
            String id, Map<Integer, Long> bytesPerGpu, boolean busy, long secondsAgo, int priority, Duration reload) {
        return new LoadedModel(id, bytesPerGpu, busy, NOW.minusSeconds(secondsAgo), priority, reload);
    }

    static MemoryEstimate bytes(long gib) {
        return MemoryEstimate.ofBytes(gib * GIB, 0, 0);
    }

    static PlanResult.Fits fits(PlanResult result) {
        assertThat(result).isInstanceOf(PlanResult.Fits.class);
        return (PlanResult.Fits) result;
    }

    static PlanResult.NoFit noFit(PlanResult result, PlanResult.NoFit.Kind kind) {
        assertThat(result).isInstanceOf(PlanResult.NoFit.class);
        PlanResult.NoFit noFit = (PlanResult.NoFit) result;
        assertThat(noFit.kind()).isEqualTo(kind);
        return noFit;
    }
}
