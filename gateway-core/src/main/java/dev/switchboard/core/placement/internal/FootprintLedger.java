package dev.switchboard.core.placement.internal;

import dev.switchboard.core.placement.GpuInventory;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What models really took on the GPUs, learned from readings once they were ready, so the next
 * start of the same model can reserve that instead of an estimate. Footprints are kept per model
 * and GPU count (a split model's total differs from its single-GPU one). Thread-safe.
 */
public final class FootprintLedger {
    private final Map<Key, Long> bytes = new ConcurrentHashMap<>();

    /**
     * Records a reading of the model's total GPU memory on {@code gpuCount} GPUs. The largest
     * reading is kept, so a plan never counts on less than the model once took.
     */
    public void record(String modelId, int gpuCount, long totalBytes) {
        if (gpuCount < 1) {
            throw new IllegalArgumentException("gpu count must be at least 1, got " + gpuCount);
        }
        if (totalBytes < 0) {
            throw new IllegalArgumentException("footprint must not be negative, got " + totalBytes);
        }
        bytes.merge(new Key(modelId, gpuCount), totalBytes, Math::max);
    }

    /**
     * Records the memory the model's processes hold according to {@link GpuInventory#memoryByPid()}
     * (an engine may run workers beside its main process: pass them all).
     *
     * @return the bytes recorded, or empty when none of the processes holds GPU memory
     */
    public Optional<Long> recordProcesses(
            String modelId, int gpuCount, Collection<Long> pids, Map<Long, Long> memoryByPid) {
        long total = pids.stream()
                .distinct()
                .mapToLong(pid -> memoryByPid.getOrDefault(pid, 0L))
                .sum();
        if (total == 0) {
            return Optional.empty();
        }
        record(modelId, gpuCount, total);
        return Optional.of(total);
    }

    /** The largest footprint seen for the model on {@code gpuCount} GPUs. */
    public Optional<Long> learnedBytes(String modelId, int gpuCount) {
        return Optional.ofNullable(bytes.get(new Key(modelId, gpuCount)));
    }

    /** Forgets what was learned about the model, e.g. after its arguments changed. */
    public void forget(String modelId) {
        bytes.keySet().removeIf(key -> key.modelId().equals(modelId));
    }

    private record Key(String modelId, int gpuCount) {}
}
