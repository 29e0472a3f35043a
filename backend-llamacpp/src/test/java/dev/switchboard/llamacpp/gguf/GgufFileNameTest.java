package dev.switchboard.llamacpp.gguf;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GgufFileNameTest {

    @Test
    void tagIsTheLastDashSeparatedWord() {
        assertThat(GgufFileName.parse("Qwen3-8B-Q4_K_M.gguf").orElseThrow().tag())
                .isEqualTo("Q4_K_M");
        assertThat(GgufFileName.parse("Qwen3-8B-UD-Q4_K_XL.gguf").orElseThrow().tag())
                .isEqualTo("Q4_K_XL");
    }

    @Test
    void tagMayFollowADotAndIsUpperCased() {
        assertThat(GgufFileName.parse("ggml-model.q8_0.gguf").orElseThrow().tag())
                .isEqualTo("Q8_0");
        assertThat(GgufFileName.parse("gpt-oss-20b-mxfp4.gguf").orElseThrow().tag())
                .isEqualTo("MXFP4");
    }

    @Test
    void aNameWithoutSeparatorHasNoTag() {
        assertThat(GgufFileName.parse("model.gguf").orElseThrow().tag()).isEmpty();
    }

    @Test
    void readsTheShardPosition() {
        GgufFileName name =
                GgufFileName.parse("Q4_K_M/Kimi-K2-Q4_K_M-00002-of-00006.gguf").orElseThrow();

        assertThat(name.index()).isEqualTo(2);
        assertThat(name.count()).isEqualTo(6);
        assertThat(name.prefix()).isEqualTo("Q4_K_M/Kimi-K2-Q4_K_M");
        assertThat(name.tag()).isEqualTo("Q4_K_M");
        assertThat(name.shardName(1)).isEqualTo("Q4_K_M/Kimi-K2-Q4_K_M-00001-of-00006.gguf");
    }

    @Test
    void anUnsplitFileIsShardOneOfOne() {
        GgufFileName name = GgufFileName.parse("m-F16.gguf").orElseThrow();

        assertThat(name.isSplit()).isFalse();
        assertThat(name.index()).isEqualTo(1);
    }

    @Test
    void otherFilesAreNotGguf() {
        assertThat(GgufFileName.parse("README.md")).isEmpty();
        assertThat(GgufFileName.parse("model.GGUF")).isEmpty();
    }

    @Test
    void modelFilesListsTheShardsBesideTheFirst(@TempDir Path dir) throws IOException {
        Path first = Files.createFile(dir.resolve("m-Q8_0-00001-of-00003.gguf"));
        Path second = Files.createFile(dir.resolve("m-Q8_0-00002-of-00003.gguf"));
        Path third = Files.createFile(dir.resolve("m-Q8_0-00003-of-00003.gguf"));

        assertThat(GgufFileName.modelFiles(first)).containsExactly(first, second, third);
    }

    @Test
    void modelFilesOfAnUnsplitFileIsTheFile(@TempDir Path dir) throws IOException {
        Path file = Files.createFile(dir.resolve("m.gguf"));

        assertThat(GgufFileName.modelFiles(file)).containsExactly(file);
    }
}
