package dev.switchboard.core.spi;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

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

    /** The device indexes as {@code CUDA_VISIBLE_DEVICES} lists them, the main GPU first: {@code 2,3}. */
    public String visibleDevices() {
        return gpuIds.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    /**
     * The split as llama.cpp's {@code --tensor-split} takes it: the proportions in {@code gpuIds}
     * order, comma-separated, each written exactly. Rounded (to four places, say), they would have
     * an engine take a few MiB more on one GPU than the plan gave it, and a GPU filled to the last
     * MiB would then refuse the next engine. Empty for a single GPU.
     */
    public String tensorSplitArgument() {
        return tensorSplit.stream()
                .map(share -> BigDecimal.valueOf(share).stripTrailingZeros().toPlainString())
                .collect(Collectors.joining(","));
    }

    public long totalBytes() {
        return bytesPerGpu.values().stream().mapToLong(Long::longValue).sum();
    }
}
