package dev.switchboard.core.spi;

import java.util.List;
import java.util.Map;

/**
 * Where a model runs: the GPUs it is pinned to, how its weights split between them and how many
 * bytes it is expected to take on each. An empty GPU list means CPU only.
 *
 * @param gpuIds device indexes, the main GPU first
 * @param tensorSplit one proportion per GPU in {@code gpuIds} order (empty for a single GPU)
 * @param bytesPerGpu the memory reserved on each GPU by device index
 */
public record Placement(List<Integer> gpuIds, List<Double> tensorSplit, Map<Integer, Long> bytesPerGpu) {

    private static final Placement CPU = new Placement(List.of(), List.of(), Map.of());

    public Placement {
        gpuIds = List.copyOf(gpuIds);
        tensorSplit = List.copyOf(tensorSplit);
        bytesPerGpu = Map.copyOf(bytesPerGpu);
    }

    /** A placement on no GPU. */
    public static Placement cpu() {
        return CPU;
    }

    public boolean onGpu() {
        return !gpuIds.isEmpty();
    }

    public long totalBytes() {
        return bytesPerGpu.values().stream().mapToLong(Long::longValue).sum();
    }
}
