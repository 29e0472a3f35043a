package dev.switchboard.llamacpp.gguf;

import java.util.Objects;

/**
 * The llama-server settings that change a model's memory need.
 *
 * @param contextSize tokens of context ({@code --ctx-size}), the KV cache is sized for it
 * @param cacheTypeK the K cache type ({@code --cache-type-k}, default {@code f16})
 * @param cacheTypeV the V cache type ({@code --cache-type-v}, default {@code f16})
 * @param gpuLayers layers offloaded to the GPU ({@code --n-gpu-layers}), or {@link #ALL_LAYERS}
 * @param microBatch the physical batch size ({@code --ubatch-size}, default 512), which sizes the
 *     compute buffers
 */
public record EstimateOptions(
        int contextSize, GgmlType cacheTypeK, GgmlType cacheTypeV, int gpuLayers, int microBatch) {

    /** Offload every layer, llama-server's default. */
    public static final int ALL_LAYERS = -1;

    public static final int DEFAULT_MICRO_BATCH = 512;

    public EstimateOptions {
        if (contextSize < 0) {
            throw new IllegalArgumentException("context size must not be negative, got " + contextSize);
        }
        Objects.requireNonNull(cacheTypeK, "cacheTypeK");
        Objects.requireNonNull(cacheTypeV, "cacheTypeV");
        if (gpuLayers < ALL_LAYERS) {
            throw new IllegalArgumentException("gpu layers must be -1 (all) or more, got " + gpuLayers);
        }
        if (microBatch <= 0) {
            throw new IllegalArgumentException("micro batch must be positive, got " + microBatch);
        }
    }

    /** llama-server's defaults for a context size: f16 cache, all layers offloaded, ubatch 512. */
    public static EstimateOptions defaults(int contextSize) {
        return new EstimateOptions(contextSize, GgmlType.F16, GgmlType.F16, ALL_LAYERS, DEFAULT_MICRO_BATCH);
    }

    public EstimateOptions withCacheTypes(GgmlType k, GgmlType v) {
        return new EstimateOptions(contextSize, k, v, gpuLayers, microBatch);
    }

    public EstimateOptions withGpuLayers(int layers) {
        return new EstimateOptions(contextSize, cacheTypeK, cacheTypeV, layers, microBatch);
    }

    public EstimateOptions withMicroBatch(int batch) {
        return new EstimateOptions(contextSize, cacheTypeK, cacheTypeV, gpuLayers, batch);
    }
}
