package dev.switchboard.llamacpp.gguf;

import dev.switchboard.core.spi.MemoryEstimate;

/**
 * Estimates the GPU memory llama-server needs for a model: the offloaded weights, the KV cache of
 * the offloaded layers and the compute buffers.
 *
 * <p>Offloading follows llama.cpp: with {@code n} layers offloaded out of {@code L}, the last
 * {@code n} repeating layers go to the GPU, and the tensors outside the layers (output head) only
 * when {@code n > L}. The KV cache of a layer takes {@code context × headCountKv × (keyLength ×
 * size(K type) + valueLength × size(V type))} bytes. The compute buffers are an estimate, not a
 * measurement: the logits and activations of one micro-batch in f32 plus {@link
 * #RUNTIME_RESERVE_BYTES} for the CUDA context; the core refines it from what the child really uses.
 */
public final class GgufMemoryEstimator {

    /** Per-process memory the GPU runtime itself takes (context, allocator slack). */
    public static final long RUNTIME_RESERVE_BYTES = 256L << 20;

    /** Activation rows per embedding in a micro-batch, beside the logits: attention and FFN scratch. */
    private static final long ACTIVATIONS_PER_EMBEDDING = 4;

    private GgufMemoryEstimator() {}

    /** The GPU memory the model takes with these settings; none when no layer is offloaded. */
    public static MemoryEstimate estimate(GgufModel model, EstimateOptions options) {
        if (options.gpuLayers() == 0) {
            return MemoryEstimate.none();
        }
        int layers = model.blockCount();
        int offloaded = options.gpuLayers() == EstimateOptions.ALL_LAYERS
                ? layers + 1
                : Math.min(options.gpuLayers(), layers + 1);
        int firstOnGpu = layers - Math.min(offloaded, layers);

        long weights = offloaded > layers ? model.otherWeightBytes() : 0;
        long kvCache = 0;
        for (int layer = firstOnGpu; layer < layers; layer++) {
            weights += model.layerWeightBytes().getOrDefault(layer, 0L);
            kvCache += kvBytes(model, layer, options);
        }
        return MemoryEstimate.ofBytes(weights, kvCache, computeBytes(model, options));
    }

    /** The KV cache of one layer for the whole context. */
    public static long kvBytes(GgufModel model, int layer, EstimateOptions options) {
        long heads = model.headCountKv().get(layer);
        long perToken = options.cacheTypeK().bytesFor(model.keyLength() * heads)
                + options.cacheTypeV().bytesFor(model.valueLength() * heads);
        return perToken * options.contextSize();
    }

    private static long computeBytes(GgufModel model, EstimateOptions options) {
        long floatsPerToken = model.vocabSize() + ACTIVATIONS_PER_EMBEDDING * model.embeddingLength();
        return options.microBatch() * floatsPerToken * Float.BYTES + RUNTIME_RESERVE_BYTES;
    }
}
