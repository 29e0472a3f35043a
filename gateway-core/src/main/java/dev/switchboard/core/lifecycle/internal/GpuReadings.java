package dev.switchboard.core.lifecycle.internal;

import dev.switchboard.core.lifecycle.GpuUsage;
import dev.switchboard.core.lifecycle.ModelState;
import dev.switchboard.core.placement.GpuInventory;
import dev.switchboard.core.placement.LoadedModel;
import dev.switchboard.core.placement.NewModel;
import dev.switchboard.core.placement.PlanRequest;
import dev.switchboard.core.placement.internal.FootprintLedger;
import dev.switchboard.core.process.internal.EngineProcess;
import dev.switchboard.core.spi.Backend;
import dev.switchboard.core.spi.ByteSizes;
import dev.switchboard.core.spi.GpuInfo;
import dev.switchboard.core.spi.MemoryEstimate;
import dev.switchboard.core.spi.ModelDescriptor;
import dev.switchboard.core.spi.Placement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the GPUs hold, for the planner: device readings (taken only when someone needs them, through
 * the inventory's short cache), memory estimates per model, and the footprints engines really took.
 * Reads happen outside the manager's lock; the planner's input is built under it.
 */
final class GpuReadings {
    private static final Logger log = LoggerFactory.getLogger(GpuReadings.class);
    /** GPU memory shows free some time after an engine exits or sleeps. */
    private static final Duration RELEASE_SETTLE = Duration.ofSeconds(5);

    private final GpuInventory inventory;
    private final Map<String, Backend> backends;
    private final SchedulerClock clock;
    private final FootprintLedger footprints = new FootprintLedger();
    private final Map<String, MemoryEstimate> estimates = new ConcurrentHashMap<>();
    private volatile List<GpuInfo> gpus = List.of();
    private volatile Map<Long, Long> memoryByPid = Map.of();
    private volatile long lastRelease;
    private volatile long lastReading;

    GpuReadings(GpuInventory inventory, Map<String, Backend> backends, SchedulerClock clock) {
        this.inventory = inventory;
        this.backends = backends;
        this.clock = clock;
        this.lastRelease = clock.nanoTime() - RELEASE_SETTLE.toNanos();
        this.lastReading = lastRelease;
    }

    /**
     * Reads the devices (fresh after a release, else through the inventory's cache).
     *
     * @param perProcess whether to read memory per process too (while an engine starts)
     */
    void read(boolean perProcess) {
        if (lastRelease > lastReading) {
            inventory.refresh();
        }
        long readAt = clock.nanoTime();
        try {
            gpus = inventory.gpus();
            memoryByPid = perProcess ? inventory.memoryByPid() : Map.of();
        } catch (RuntimeException e) {
            log.warn("cannot read GPU memory: {}", e.getMessage());
        }
        lastReading = readAt;
    }

    /** An engine exited or slept: its memory shows free a while later. */
    void released() {
        lastRelease = clock.nanoTime();
    }

    /** For a bounded while after a release, a model that does not fit waits for fresh readings. */
    boolean recentlyReleased() {
        return clock.nanoTime() - lastRelease < RELEASE_SETTLE.toNanos();
    }

    /** The backend's estimate, or what the engine really took last time. May read model files. */
    MemoryEstimate estimate(ModelDescriptor model) {
        return estimates.computeIfAbsent(model.id(), id -> {
            Backend backend = backends.get(model.backend());
            MemoryEstimate estimate = backend == null ? MemoryEstimate.none() : backend.estimate(model);
            if (estimate.isFraction()) {
                return estimate;
            }
            int count = Math.max(1, estimate.gpuCount());
            return footprints
                    .learnedBytes(id, count)
                    .map(bytes -> MemoryEstimate.ofBytes(bytes, 0, 0).withGpuCount(estimate.gpuCount()))
                    .orElse(estimate);
        });
    }

    /** After a start: remember what the engine really takes on its GPUs, for the next placement. */
    void learnFootprint(String modelId, EngineProcess process, Placement placement) {
        if (!placement.onGpu()) {
            return;
        }
        try {
            inventory.refresh();
            footprints
                    .recordProcesses(modelId, placement.gpuIds().size(), process.pids(), inventory.memoryByPid())
                    .ifPresent(bytes -> {
                        estimates.remove(modelId);
                        log.info("model '{}' uses {} on GPUs {}", modelId, ByteSizes.format(bytes), placement.gpuIds());
                    });
        } catch (RuntimeException e) {
            log.debug("cannot read the footprint of '{}': {}", modelId, e.getMessage());
        }
    }

    /** The planner's view: GPUs, what holds them, and the model to place. */
    PlanRequest planRequest(
            ModelLifecycle candidate, Collection<ModelLifecycle> all, Predicate<String> wanted, int maxLoaded) {
        Map<Integer, Long> reserved = new HashMap<>();
        List<LoadedModel> loaded = new ArrayList<>();
        for (ModelLifecycle other : all) {
            if (!other.state().holdsEngine() || other == candidate) {
                continue;
            }
            if (other.is(ModelState.STARTING) || other.is(ModelState.WAKING)) {
                double unseen = unseenShare(other);
                other.placement
                        .bytesPerGpu()
                        .forEach((gpu, bytes) -> reserved.merge(gpu, (long) (bytes * unseen), Long::sum));
            }
            boolean busy = !other.is(ModelState.READY) || other.leases > 0 || wanted.test(other.id());
            loaded.add(new LoadedModel(
                    other.id(),
                    other.placement.bytesPerGpu(),
                    busy,
                    other.lastUsed,
                    other.model().priority(),
                    other.reloadCost));
        }
        MemoryEstimate need = estimates.getOrDefault(candidate.id(), MemoryEstimate.none());
        // a sleeping engine wakes on the GPUs it slept on
        List<Integer> pins = candidate.is(ModelState.SLEEPING)
                ? candidate.placement.gpuIds()
                : candidate.model().gpus();
        if (!pins.isEmpty() && need.gpuCount() == 0) {
            need = need.withGpuCount(pins.size());
        }
        return new PlanRequest(
                gpus, reserved, loaded, maxLoaded, new NewModel(candidate.id(), need, pins), clock.now());
    }

    /**
     * The share of a starting engine's reservation that the GPU readings do not show yet. Engines
     * claim memory while they load: once a reading attributes memory to the engine's processes, the
     * reported free memory already excludes it, and reserving it as well would count it twice.
     */
    private double unseenShare(ModelLifecycle lifecycle) {
        long placed = lifecycle.placement.totalBytes();
        Map<Long, Long> byPid = memoryByPid;
        if (placed == 0 || lifecycle.process == null || byPid.isEmpty()) {
            return 1;
        }
        long seen = lifecycle.process.pids().stream()
                .mapToLong(pid -> byPid.getOrDefault(pid, 0L))
                .sum();
        return Math.max(0, placed - seen) / (double) placed;
    }

    /** Every GPU with the memory the models hold on it, from the last reading. */
    List<GpuUsage> usage(Collection<ModelLifecycle> all) {
        List<GpuUsage> usage = new ArrayList<>();
        for (GpuInfo gpu : gpus) {
            Map<String, Long> models = new TreeMap<>();
            for (ModelLifecycle lifecycle : all) {
                Long bytes = lifecycle.placement.bytesPerGpu().get(gpu.index());
                if (bytes != null && lifecycle.state().holdsEngine()) {
                    models.put(lifecycle.id(), bytes);
                }
            }
            long reserved = models.values().stream().mapToLong(Long::longValue).sum();
            usage.add(new GpuUsage(gpu, reserved, models));
        }
        return usage;
    }
}
