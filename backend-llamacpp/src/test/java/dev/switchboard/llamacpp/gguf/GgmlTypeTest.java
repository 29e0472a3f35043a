package dev.switchboard.llamacpp.gguf;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GgmlTypeTest {

    /** Bits per weight as llama.cpp's quantize tool reports them, derived here from block sizes. */
    @ParameterizedTest
    @CsvSource({
        "F32, 32",
        "F16, 16",
        "BF16, 16",
        "Q8_0, 8.5",
        "Q4_0, 4.5",
        "Q4_1, 5",
        "Q5_0, 5.5",
        "Q5_1, 6",
        "Q2_K, 2.625",
        "Q3_K, 3.4375",
        "Q4_K, 4.5",
        "Q5_K, 5.5",
        "Q6_K, 6.5625",
        "IQ2_XXS, 2.0625",
        "IQ2_XS, 2.3125",
        "IQ2_S, 2.5625",
        "IQ3_XXS, 3.0625",
        "IQ3_S, 3.4375",
        "IQ1_S, 1.5625",
        "IQ1_M, 1.75",
        "IQ4_NL, 4.5",
        "IQ4_XS, 4.25",
        "TQ1_0, 1.6875",
        "TQ2_0, 2.0625",
        "MXFP4, 4.25",
        "NVFP4, 4.5",
        "Q1_0, 1.125"
    })
    void blockSizesGiveTheKnownBitsPerWeight(GgmlType type, double bitsPerWeight) {
        assertThat(8.0 * type.typeSize() / type.blockSize()).isEqualTo(bitsPerWeight);
    }

    @Test
    void sizesValuesInWholeBlocks() {
        assertThat(GgmlType.Q8_0.bytesFor(4096)).isEqualTo(128 * 34);
        assertThat(GgmlType.Q4_K.bytesFor(1)).isEqualTo(144);
        assertThat(GgmlType.F16.bytesFor(3)).isEqualTo(6);
    }

    @Test
    void findsTypesByTheirGgufIds() {
        assertThat(GgmlType.byId(12)).contains(GgmlType.Q4_K);
        assertThat(GgmlType.byId(39)).contains(GgmlType.MXFP4);
    }

    @Test
    void idsRemovedFromGgmlAreUnknown() {
        assertThat(GgmlType.byId(4)).isEmpty();
        assertThat(GgmlType.byId(31)).isEmpty();
        assertThat(GgmlType.byId(99)).isEmpty();
    }

    @Test
    void findsCacheTypesByNameIgnoringCase() {
        assertThat(GgmlType.byName("q8_0")).contains(GgmlType.Q8_0);
        assertThat(GgmlType.byName("Q4_0")).contains(GgmlType.Q4_0);
        assertThat(GgmlType.byName("f16")).contains(GgmlType.F16);
        assertThat(GgmlType.byName("q9_9")).isEmpty();
    }
}
