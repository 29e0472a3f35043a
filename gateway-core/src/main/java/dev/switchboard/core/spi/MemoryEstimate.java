package dev.switchboard.core.spi;

/**
 * The memory a model needs once loaded. Either absolute bytes (weights, KV cache and compute
 * overhead, as estimated from a GGUF header) or a fraction of each GPU's total (vLLM's {@code
 * --gpu-memory-utilization}, SGLang's {@code --mem-fraction-static}).
 *
 * @param weightsBytes model weights
 * @param kvCacheBytes KV cache for the configured context
 * @param overheadBytes compute buffers and runtime overhead
 * @param gpuFraction when above zero, the model takes this fraction of each GPU it runs on and the
 *     byte fields are ignored
 * @param gpuCount the exact number of GPUs the model needs (tensor parallel size), or 0 to let the
 *     planner choose
 */
public record MemoryEstimate(
        long weightsBytes, long kvCacheBytes, long overheadBytes, double gpuFraction, int gpuCount) {

    private static final MemoryEstimate NONE = new MemoryEstimate(0, 0, 0, 0, 0);

    public MemoryEstimate {
        if (weightsBytes < 0 || kvCacheBytes < 0 || overheadBytes < 0) {
            throw new IllegalArgumentException("memory sizes must not be negative");
        }
        if (gpuFraction < 0 || gpuFraction > 1) {
            throw new IllegalArgumentException("gpu fraction must lie in [0, 1], got " + gpuFraction);
        }
        if (gpuCount < 0) {
            throw new IllegalArgumentException("gpu count must not be negative");
        }
    }

    /** A model that takes no GPU memory (a remote upstream, a CPU-only engine). */
    public static MemoryEstimate none() {
        return NONE;
    }

    public static MemoryEstimate ofBytes(long weightsBytes, long kvCacheBytes, long overheadBytes) {
        return new MemoryEstimate(weightsBytes, kvCacheBytes, overheadBytes, 0, 0);
    }

    public static MemoryEstimate ofFraction(double gpuFraction, int gpuCount) {
        return new MemoryEstimate(0, 0, 0, gpuFraction, gpuCount);
    }

    public boolean isFraction() {
        return gpuFraction > 0;
    }

    /** The absolute need in bytes (zero for a fractional estimate). */
    public long totalBytes() {
        return weightsBytes + kvCacheBytes + overheadBytes;
    }

    public MemoryEstimate withGpuCount(int count) {
        return new MemoryEstimate(weightsBytes, kvCacheBytes, overheadBytes, gpuFraction, count);
    }
}
