package dev.switchboard.llamacpp.gguf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GgufModelTest {

    /** Bytes of one Q8_0 row of {@code n} values: 34 bytes per 32. */
    private static long q8Row(long n) {
        return n / 32 * 34;
    }

    @TempDir
    Path dir;

    @Test
    void readsTheHyperparametersLlamaCppUses() throws IOException {
        GgufModel model =
                GgufModel.of(List.of(GgufReader.read(GgufFixtures.llama(dir.resolve("m.gguf"), GgufFixtures.TINY))));

        assertThat(model.architecture()).isEqualTo("llama");
        assertThat(model.contextLength()).isEqualTo(4096);
        assertThat(model.blockCount()).isEqualTo(4);
        assertThat(model.embeddingLength()).isEqualTo(256);
        assertThat(model.headCountKv()).containsExactly(2, 2, 2, 2);
        assertThat(model.vocabSize()).isEqualTo(1024);
    }

    @Test
    void headSizesDefaultToEmbeddingOverHeadCount() throws IOException {
        GgufModel model =
                GgufModel.of(List.of(GgufReader.read(GgufFixtures.llama(dir.resolve("m.gguf"), GgufFixtures.TINY))));

        assertThat(model.keyLength()).isEqualTo(256 / 8);
        assertThat(model.valueLength()).isEqualTo(256 / 8);
    }

    @Test
    void declaredHeadSizesWin() throws IOException {
        Path file = GgufFixtures.llamaWriter(GgufFixtures.TINY)
                .putUint32("llama.attention.key_length", 128)
                .putUint32("llama.attention.value_length", 64)
                .write(dir.resolve("m.gguf"));

        GgufModel model = GgufModel.of(List.of(GgufReader.read(file)));

        assertThat(model.keyLength()).isEqualTo(128);
        assertThat(model.valueLength()).isEqualTo(64);
    }

    @Test
    void readsAKvHeadCountPerLayer() throws IOException {
        Path file = GgufFixtures.llamaWriter(GgufFixtures.TINY)
                .put("llama.attention.head_count_kv", GgufValue.array(GgufValueType.INT32, List.of(2, 0, 4, 2)))
                .write(dir.resolve("m.gguf"));

        GgufModel model = GgufModel.of(List.of(GgufReader.read(file)));

        assertThat(model.headCountKv()).containsExactly(2, 0, 4, 2);
    }

    @Test
    void groupsWeightsByLayer() throws IOException {
        GgufModel model =
                GgufModel.of(List.of(GgufReader.read(GgufFixtures.llama(dir.resolve("m.gguf"), GgufFixtures.TINY))));

        long norms = 2 * 256 * 4;
        long attention = 2 * 256 * q8Row(256) + 2 * 64 * q8Row(256);
        long feedForward = 2 * 1024 * q8Row(256) + 256 * q8Row(1024);
        assertThat(model.layerWeightBytes()).containsOnlyKeys(0, 1, 2, 3);
        assertThat(model.layerWeightBytes().get(0)).isEqualTo(norms + attention + feedForward);
        assertThat(model.otherWeightBytes()).isEqualTo(2 * 1024 * q8Row(256) + 256 * 4);
        assertThat(model.weightBytes()).isEqualTo(4 * (norms + attention + feedForward) + model.otherWeightBytes());
    }

    @Test
    void sumsTheTensorsOfEveryShard() throws IOException {
        GgufFile first = GgufReader.read(new GgufWriter()
                .putString("general.architecture", "llama")
                .putUint32("llama.block_count", 2)
                .tensor("token_embd.weight", GgmlType.F16, 64, 10)
                .tensor("blk.0.attn_q.weight", GgmlType.F16, 64, 64)
                .write(dir.resolve("m-00001-of-00002.gguf")));
        GgufFile second = GgufReader.read(new GgufWriter()
                .tensor("blk.1.attn_q.weight", GgmlType.F16, 64, 64)
                .write(dir.resolve("m-00002-of-00002.gguf")));

        GgufModel model = GgufModel.of(List.of(first, second));

        assertThat(model.layerWeightBytes()).containsEntry(0, 64 * 64 * 2L).containsEntry(1, 64 * 64 * 2L);
        assertThat(model.weightBytes()).isEqualTo(64 * 10 * 2 + 2 * 64 * 64 * 2);
    }

    @Test
    void refusesAFileWithoutArchitecture() throws IOException {
        GgufFile file = GgufReader.read(new GgufWriter().write(dir.resolve("anon.gguf")));

        assertThatThrownBy(() -> GgufModel.of(List.of(file))).hasMessageContaining("general.architecture is missing");
    }
}
