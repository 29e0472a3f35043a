package dev.switchboard.llamacpp.gguf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.spi.MemoryEstimate;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class GgufMemoryEstimatorTest {

    private static final long GIB = 1L << 30;
    private static final long LAYER_BYTES = 200L << 20;
    private static final long OTHER_BYTES = 1L << 30;

    /** Llama 3 8B's shape: 32 layers, 8 KV heads of 128, vocabulary 128256, embedding 4096. */
    private static final GgufModel LLAMA_3_8B = new GgufModel(
            "llama",
            8192,
            32,
            4096,
            128_256,
            Collections.nCopies(32, 8),
            128,
            128,
            IntStream.range(0, 32).boxed().collect(Collectors.toMap(i -> i, i -> LAYER_BYTES)),
            OTHER_BYTES);

    @Test
    void kvCacheOfLlama3At8kContextInF16IsOneGibibyte() {
        MemoryEstimate estimate = GgufMemoryEstimator.estimate(LLAMA_3_8B, EstimateOptions.defaults(8192));

        assertThat(estimate.kvCacheBytes()).isEqualTo(GIB);
    }

    @Test
    void q8CacheTakes34Of64OfF16() {
        EstimateOptions q8 = EstimateOptions.defaults(8192).withCacheTypes(GgmlType.Q8_0, GgmlType.Q8_0);

        assertThat(GgufMemoryEstimator.estimate(LLAMA_3_8B, q8).kvCacheBytes()).isEqualTo(GIB / 64 * 34);
    }

    @Test
    void q4CacheTakes18Of64OfF16() {
        EstimateOptions q4 = EstimateOptions.defaults(8192).withCacheTypes(GgmlType.Q4_0, GgmlType.Q4_0);

        assertThat(GgufMemoryEstimator.estimate(LLAMA_3_8B, q4).kvCacheBytes()).isEqualTo(GIB / 64 * 18);
    }

    @Test
    void kvCacheGrowsWithContext() {
        assertThat(GgufMemoryEstimator.estimate(LLAMA_3_8B, EstimateOptions.defaults(32768))
                        .kvCacheBytes())
                .isEqualTo(4 * GIB);
    }

    @Test
    void fullOffloadCountsEveryWeight() {
        MemoryEstimate estimate = GgufMemoryEstimator.estimate(LLAMA_3_8B, EstimateOptions.defaults(8192));

        assertThat(estimate.weightsBytes()).isEqualTo(32 * LAYER_BYTES + OTHER_BYTES);
    }

    @Test
    void partialOffloadCountsTheLastLayersOnly() {
        EstimateOptions tenLayers = EstimateOptions.defaults(8192).withGpuLayers(10);

        MemoryEstimate estimate = GgufMemoryEstimator.estimate(LLAMA_3_8B, tenLayers);

        assertThat(estimate.weightsBytes()).isEqualTo(10 * LAYER_BYTES);
        assertThat(estimate.kvCacheBytes()).isEqualTo(GIB / 32 * 10);
    }

    @Test
    void oneLayerMoreThanTheModelHasAlsoOffloadsTheOutput() {
        EstimateOptions all = EstimateOptions.defaults(8192).withGpuLayers(33);

        assertThat(GgufMemoryEstimator.estimate(LLAMA_3_8B, all).weightsBytes())
                .isEqualTo(32 * LAYER_BYTES + OTHER_BYTES);
    }

    @Test
    void noOffloadedLayerNeedsNoGpuMemory() {
        EstimateOptions cpu = EstimateOptions.defaults(8192).withGpuLayers(0);

        assertThat(GgufMemoryEstimator.estimate(LLAMA_3_8B, cpu)).isEqualTo(MemoryEstimate.none());
    }

    @Test
    void layersWithoutKvHeadsHaveNoCache() {
        Map<Integer, Long> layers = Map.of(0, 1L, 1, 1L);
        GgufModel hybrid = new GgufModel("hybrid", 4096, 2, 1024, 1000, List.of(4, 0), 64, 64, layers, 0);

        long perToken = 4 * 64 * 2 * 2;
        assertThat(GgufMemoryEstimator.estimate(hybrid, EstimateOptions.defaults(100))
                        .kvCacheBytes())
                .isEqualTo(100 * perToken);
    }

    @Test
    void computeBuffersHoldLogitsAndActivationsOfAMicroBatchPlusTheRuntime() {
        MemoryEstimate estimate = GgufMemoryEstimator.estimate(LLAMA_3_8B, EstimateOptions.defaults(8192));

        long logits = 512L * 128_256 * 4;
        long activations = 512L * 4 * 4096 * 4;
        assertThat(estimate.overheadBytes())
                .isEqualTo(logits + activations + GgufMemoryEstimator.RUNTIME_RESERVE_BYTES);
    }

    @Test
    void aSmallerMicroBatchNeedsSmallerComputeBuffers() {
        EstimateOptions small = EstimateOptions.defaults(8192).withMicroBatch(128);

        assertThat(GgufMemoryEstimator.estimate(LLAMA_3_8B, small).overheadBytes())
                .isLessThan(GgufMemoryEstimator.estimate(LLAMA_3_8B, EstimateOptions.defaults(8192))
                        .overheadBytes());
    }
}
