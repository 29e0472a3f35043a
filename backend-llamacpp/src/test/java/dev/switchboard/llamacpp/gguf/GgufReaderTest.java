package dev.switchboard.llamacpp.gguf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GgufReaderTest {

    @TempDir
    Path dir;

    @Test
    void readsEveryMetadataValueType() throws IOException {
        Path file = new GgufWriter()
                .put("u8", new GgufValue(GgufValueType.UINT8, 200))
                .put("i8", new GgufValue(GgufValueType.INT8, (byte) -5))
                .put("u16", new GgufValue(GgufValueType.UINT16, 60_000))
                .put("i16", new GgufValue(GgufValueType.INT16, (short) -300))
                .put("u32", GgufValue.uint32(4_000_000_000L))
                .put("i32", new GgufValue(GgufValueType.INT32, -70_000))
                .put("f32", GgufValue.float32(0.5f))
                .put("bool", new GgufValue(GgufValueType.BOOL, true))
                .put("str", GgufValue.string("héllo"))
                .put("u64", GgufValue.uint64(1L << 40))
                .put("i64", new GgufValue(GgufValueType.INT64, -(1L << 40)))
                .put("f64", new GgufValue(GgufValueType.FLOAT64, 2.25))
                .put("ints", GgufValue.array(GgufValueType.INT32, List.of(1, 2, 3)))
                .put(
                        "nested",
                        GgufValue.array(
                                GgufValueType.ARRAY, List.of(new GgufArray(GgufValueType.STRING, List.of("a")))))
                .write(dir.resolve("types.gguf"));

        GgufFile gguf = GgufReader.read(file);

        assertThat(gguf.metadata())
                .containsEntry("u8", new GgufValue(GgufValueType.UINT8, 200))
                .containsEntry("i8", new GgufValue(GgufValueType.INT8, (byte) -5))
                .containsEntry("u16", new GgufValue(GgufValueType.UINT16, 60_000))
                .containsEntry("i16", new GgufValue(GgufValueType.INT16, (short) -300))
                .containsEntry("u32", GgufValue.uint32(4_000_000_000L))
                .containsEntry("i32", new GgufValue(GgufValueType.INT32, -70_000))
                .containsEntry("f32", GgufValue.float32(0.5f))
                .containsEntry("bool", new GgufValue(GgufValueType.BOOL, true))
                .containsEntry("str", GgufValue.string("héllo"))
                .containsEntry("u64", GgufValue.uint64(1L << 40))
                .containsEntry("i64", new GgufValue(GgufValueType.INT64, -(1L << 40)))
                .containsEntry("f64", new GgufValue(GgufValueType.FLOAT64, 2.25))
                .containsEntry("ints", GgufValue.array(GgufValueType.INT32, List.of(1, 2, 3)));
        assertThat(gguf.array("nested").orElseThrow().values())
                .containsExactly(new GgufArray(GgufValueType.STRING, List.of("a")));
        assertThat(gguf.metadata().keySet()).startsWith("u8", "i8", "u16");
    }

    @Test
    void readsArraysLongerThanTheLimitAsTheirSizeAloneAndTheRestOfTheHeaderAsAFullReadDoes() throws IOException {
        List<String> tokens = java.util.stream.IntStream.range(0, 5000)
                .mapToObj(i -> "tök" + i)
                .toList();
        List<Float> scores = java.util.stream.IntStream.range(0, 5000)
                .mapToObj(i -> (float) i)
                .toList();
        Path file = new GgufWriter()
                .put("tokenizer.ggml.tokens", GgufValue.array(GgufValueType.STRING, tokens))
                .put("tokenizer.ggml.scores", GgufValue.array(GgufValueType.FLOAT32, scores))
                .put("layers", GgufValue.array(GgufValueType.INT32, List.of(8, 8, 4)))
                .putString("after", "still read")
                .tensor("blk.0.weight", GgmlType.F32, 64, 2)
                .write(dir.resolve("vocab.gguf"));

        GgufFile full = GgufReader.read(file);
        GgufFile header = GgufReader.read(file, 4096);

        GgufArray skipped = header.array("tokenizer.ggml.tokens").orElseThrow();
        assertThat(skipped.elided()).isTrue();
        assertThat(skipped.size()).isEqualTo(5000);
        assertThat(skipped.values()).isEmpty();
        assertThat(header.array("tokenizer.ggml.scores").orElseThrow().size()).isEqualTo(5000);
        assertThat(full.array("tokenizer.ggml.tokens").orElseThrow().values()).isEqualTo(tokens);
        assertThat(header.array("layers").orElseThrow().values()).containsExactly(8, 8, 4);
        assertThat(header.value("after")).isEqualTo(full.value("after")).contains(GgufValue.string("still read"));
        assertThat(header.tensors()).isEqualTo(full.tensors());
        assertThat(header.dataOffset()).isEqualTo(full.dataOffset());
    }

    @Test
    void aSkippedArrayThatRunsPastTheEndOfTheFileIsStillRefused() throws IOException {
        List<String> tokens = java.util.stream.IntStream.range(0, 5000)
                .mapToObj(i -> "token" + i)
                .toList();
        Path whole = new GgufWriter()
                .put("tokenizer.ggml.tokens", GgufValue.array(GgufValueType.STRING, tokens))
                .write(dir.resolve("whole.gguf"));
        byte[] bytes = Files.readAllBytes(whole);
        Path cut = Files.write(dir.resolve("cut.gguf"), Arrays.copyOf(bytes, bytes.length / 2));

        assertThatThrownBy(() -> GgufReader.read(cut, 4096)).isInstanceOf(GgufFormatException.class);
    }

    @Test
    void readsIntegersOfAnyWidthAsLongs() throws IOException {
        Path file = new GgufWriter()
                .put("a", new GgufValue(GgufValueType.UINT16, 7))
                .put("b", GgufValue.uint64(8))
                .putString("c", "not a number")
                .write(dir.resolve("ints.gguf"));

        GgufFile gguf = GgufReader.read(file);

        assertThat(gguf.integer("a")).hasValue(7);
        assertThat(gguf.integer("b")).hasValue(8);
        assertThat(gguf.integer("c")).isEmpty();
        assertThat(gguf.integer("missing")).isEmpty();
    }

    @Test
    void readsTensorInfosInFileOrder() throws IOException {
        Path file = new GgufWriter()
                .tensor("token_embd.weight", GgmlType.Q4_K, 512, 100)
                .tensor("blk.0.attn_norm.weight", GgmlType.F32, 512)
                .write(dir.resolve("tensors.gguf"));

        GgufFile gguf = GgufReader.read(file);

        assertThat(gguf.tensors())
                .containsExactly(
                        new GgufTensorInfo("token_embd.weight", List.of(512L, 100L), GgmlType.Q4_K, 0),
                        new GgufTensorInfo("blk.0.attn_norm.weight", List.of(512L), GgmlType.F32, 28_800));
        assertThat(gguf.tensorBytes()).isEqualTo(2 * 144 * 100 + 512 * 4);
    }

    @Test
    void dataSectionStartsAtTheDeclaredAlignment() throws IOException {
        GgufWriter writer =
                new GgufWriter().put("general.alignment", GgufValue.uint32(64)).tensor("t", GgmlType.F16, 64);
        Path file = writer.write(dir.resolve("aligned.gguf"));

        GgufFile gguf = GgufReader.read(file);

        assertThat(gguf.dataOffset()).isEqualTo(Math.ceilDiv(writer.header().length, 64) * 64L);
    }

    @Test
    void readsVersionTwoFiles() throws IOException {
        Path file = new GgufWriter()
                .version(2)
                .putString("general.architecture", "llama")
                .write(dir.resolve("v2.gguf"));

        assertThat(GgufReader.read(file).version()).isEqualTo(2);
    }

    @Test
    void rejectsAFileThatIsNotGguf() throws IOException {
        Path file = Files.writeString(dir.resolve("model.gguf"), "<html>404 Not Found</html>");

        assertThatThrownBy(() -> GgufReader.read(file))
                .isInstanceOf(GgufFormatException.class)
                .hasMessageContaining("model.gguf")
                .hasMessageContaining("does not start with the GGUF magic");
    }

    @Test
    void rejectsAnEmptyFile() throws IOException {
        Path file = Files.write(dir.resolve("empty.gguf"), new byte[0]);

        assertThatThrownBy(() -> GgufReader.read(file)).isInstanceOf(GgufFormatException.class);
    }

    @Test
    void rejectsAHeaderCutShort() throws IOException {
        byte[] header = GgufFixtures.llamaWriter(GgufFixtures.TINY).header();
        Path file = Files.write(dir.resolve("cut.gguf"), Arrays.copyOf(header, header.length / 2));

        assertThatThrownBy(() -> GgufReader.read(file))
                .isInstanceOf(GgufFormatException.class)
                .hasMessageContaining("truncated");
    }

    @Test
    void rejectsTensorDataCutShort() throws IOException {
        byte[] header = GgufFixtures.llamaWriter(GgufFixtures.TINY).header();
        Path file = Files.write(dir.resolve("no-data.gguf"), header);

        assertThatThrownBy(() -> GgufReader.read(file))
                .isInstanceOf(GgufFormatException.class)
                .hasMessageContaining("ends past the end of the file (truncated)");
    }

    @Test
    void rejectsVersionOne() throws IOException {
        Path file = new GgufWriter().version(1).write(dir.resolve("v1.gguf"));

        assertThatThrownBy(() -> GgufReader.read(file))
                .isInstanceOf(GgufFormatException.class)
                .hasMessageContaining("GGUF version 1 is no longer supported");
    }

    @Test
    void rejectsBigEndianFiles() throws IOException {
        Path file = new GgufWriter().version(0x03000000).write(dir.resolve("be.gguf"));

        assertThatThrownBy(() -> GgufReader.read(file)).hasMessageContaining("big-endian");
    }

    @Test
    void rejectsAStringLongerThanTheFile() throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        bytes.putInt(0x46554747).putInt(3).putLong(0).putLong(1).putLong(1L << 40);
        Path file = Files.write(dir.resolve("long-key.gguf"), bytes.array());

        assertThatThrownBy(() -> GgufReader.read(file))
                .isInstanceOf(GgufFormatException.class)
                .hasMessageContaining("runs past the end of the file");
    }

    @Test
    void rejectsMoreEntriesThanTheFileCanHold() throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        bytes.putInt(0x46554747).putInt(3).putLong(0).putLong(Long.MAX_VALUE);
        Path file = Files.write(dir.resolve("many.gguf"), bytes.array());

        assertThatThrownBy(() -> GgufReader.read(file)).hasMessageContaining("cannot fit in the rest of the file");
    }

    @Test
    void rejectsRowsThatAreNotWholeBlocks() throws IOException {
        Path file = new GgufWriter().tensor("bad", GgmlType.Q4_0, 48).write(dir.resolve("rows.gguf"));

        assertThatThrownBy(() -> GgufReader.read(file))
                .hasMessageContaining("tensor 'bad' has 48 elements per row, not a multiple of the q4_0 block size 32");
    }
}
