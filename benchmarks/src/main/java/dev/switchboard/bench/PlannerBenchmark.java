package dev.switchboard.bench;

import dev.switchboard.core.placement.LoadedModel;
import dev.switchboard.core.placement.NewModel;
import dev.switchboard.core.placement.PlanRequest;
import dev.switchboard.core.placement.PlanResult;
import dev.switchboard.core.placement.Planner;
import dev.switchboard.core.spi.GpuInfo;
import dev.switchboard.core.spi.MemoryEstimate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * How long one placement decision takes on a crowded machine: GPUs about 90 % full of loaded
 * models (every fifth busy), {@code maxLoaded} reached, and a new model that forces evictions,
 * either on one GPU or split over two.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PlannerBenchmark {
    private static final long GIB = 1L << 30;
    private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");

    /** GPUs × loaded models, and the memory of each GPU in GiB. */
    @Param({"8x50x80", "2x6x24"})
    public String machine;

    private PlanRequest oneGpuRequest;
    private PlanRequest splitRequest;

    @Setup
    public void setUp() {
        String[] parts = machine.split("x");
        int gpuCount = Integer.parseInt(parts[0]);
        int modelCount = Integer.parseInt(parts[1]);
        long gpuGib = Long.parseLong(parts[2]);

        List<GpuInfo> gpus = new ArrayList<>();
        for (int i = 0; i < gpuCount; i++) {
            gpus.add(new GpuInfo(i, "GPU-" + i, "bench GPU", gpuGib * GIB, 0, gpuGib * GIB));
        }
        List<LoadedModel> loaded = crowd(gpus, modelCount);
        oneGpuRequest = request(gpus, loaded, gpuGib * 3 / 4);
        splitRequest = request(gpus, loaded, gpuGib * 5 / 4);
    }

    @Benchmark
    public PlanResult evictForAModelOnOneGpu() {
        return Planner.plan(oneGpuRequest);
    }

    @Benchmark
    public PlanResult evictForAModelSplitOverTwoGpus() {
        return Planner.plan(splitRequest);
    }

    private static PlanRequest request(List<GpuInfo> gpus, List<LoadedModel> loaded, long newGib) {
        NewModel model = NewModel.of("new", MemoryEstimate.ofBytes(newGib * GIB, 0, 0));
        return new PlanRequest(gpus, Map.of(), loaded, loaded.size(), model, NOW);
    }

    /** Fills the GPUs to about 90 % with models of varied size, age and reload cost. */
    private static List<LoadedModel> crowd(List<GpuInfo> gpus, int modelCount) {
        Random random = new Random(42);
        long[] free = gpus.stream().mapToLong(GpuInfo::totalBytes).toArray();
        long averageBytes = (long) (0.9 * gpus.getFirst().totalBytes() * gpus.size() / modelCount);
        List<LoadedModel> loaded = new ArrayList<>();
        for (int i = 0; i < modelCount; i++) {
            int gpu = roomiest(free);
            long bytes = Math.min(free[gpu], (long) (averageBytes * (0.5 + random.nextDouble())));
            free[gpu] -= bytes;
            loaded.add(new LoadedModel(
                    "model-" + i,
                    Map.of(gpu, bytes),
                    i % 5 == 0,
                    NOW.minusSeconds(random.nextInt(3600)),
                    random.nextInt(3),
                    Duration.ofSeconds(2 + random.nextInt(60))));
        }
        return loaded;
    }

    private static int roomiest(long[] free) {
        int best = 0;
        for (int i = 1; i < free.length; i++) {
            if (free[i] > free[best]) {
                best = i;
            }
        }
        return best;
    }
}
