package dev.switchboard.llamacpp.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.spi.ModelDescriptor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelsDirSourceTest {

    @TempDir
    Path dir;

    private Path file(String relative) throws IOException {
        return file(relative, "gguf");
    }

    private Path file(String relative, String content) throws IOException {
        Path path = dir.resolve(relative);
        Files.createDirectories(path.getParent());
        return Files.writeString(path, content);
    }

    private List<ModelDescriptor> scan() throws IOException {
        return new ModelsDirSource(dir, "llama").scan();
    }

    @Test
    void aTopLevelFileIsAModelNamedWithoutItsExtension() throws IOException {
        Path model = file("llama-3.2-1b-Q4_K_M.gguf", "0123456789");

        ModelDescriptor descriptor = scan().get(0);

        assertThat(descriptor.id()).isEqualTo("llama-3.2-1b-Q4_K_M");
        assertThat(descriptor.backend()).isEqualTo("llama");
        assertThat(descriptor.source()).isEqualTo(model.toString());
        assertThat(descriptor.files()).containsExactly(model);
        assertThat(descriptor.args()).containsExactly("--model", model.toString());
        assertThat(descriptor.metadata())
                .containsEntry(ModelMetadata.ORIGIN, ModelMetadata.MODELS_DIR)
                .containsEntry(ModelMetadata.SIZE_BYTES, 10L);
    }

    @Test
    void aSubdirectoryIsAModelWithItsProjector() throws IOException {
        Path model = file("gemma-3-4b-it-Q8_0/gemma-3-4b-it-Q8_0.gguf");
        Path mmproj = file("gemma-3-4b-it-Q8_0/mmproj-F16.gguf");

        ModelDescriptor descriptor = scan().get(0);

        assertThat(descriptor.id()).isEqualTo("gemma-3-4b-it-Q8_0");
        assertThat(descriptor.files()).containsExactly(model, mmproj);
        assertThat(descriptor.args()).containsExactly("--model", model.toString(), "--mmproj", mmproj.toString());
    }

    @Test
    void aProjectorIsAnyFileWithMmprojInItsName() throws IOException {
        file("vision/model.gguf");
        Path mmproj = file("vision/gemma-mmproj.gguf");

        assertThat(scan().get(0).files()).endsWith(mmproj);
    }

    @Test
    void aSplitModelLoadsFromItsFirstShard() throws IOException {
        Path first = file("Kimi-K2-Thinking-UD-IQ1_S/Kimi-K2-Thinking-UD-IQ1_S-00001-of-00003.gguf");
        Path second = file("Kimi-K2-Thinking-UD-IQ1_S/Kimi-K2-Thinking-UD-IQ1_S-00002-of-00003.gguf");
        Path third = file("Kimi-K2-Thinking-UD-IQ1_S/Kimi-K2-Thinking-UD-IQ1_S-00003-of-00003.gguf");

        ModelDescriptor descriptor = scan().get(0);

        assertThat(descriptor.id()).isEqualTo("Kimi-K2-Thinking-UD-IQ1_S");
        assertThat(descriptor.args()).containsExactly("--model", first.toString());
        assertThat(descriptor.files()).containsExactly(first, second, third);
    }

    @Test
    void filesThatAreNotGgufAreIgnored() throws IOException {
        file("README.md");
        file("model.safetensors");
        file("half-done.gguf.part");
        file("notes/model.txt");

        assertThat(scan()).isEmpty();
    }

    @Test
    void aSubdirectoryWithOnlyAProjectorIsIgnored() throws IOException {
        file("orphan/mmproj-F16.gguf");

        assertThat(scan()).isEmpty();
    }

    @Test
    void modelsAreListedInNameOrder() throws IOException {
        file("b.gguf");
        file("a/a.gguf");
        file("c.gguf");

        assertThat(scan()).extracting(ModelDescriptor::id).containsExactly("a", "b", "c");
    }

    @Test
    void symbolicLinksAreFollowed() throws IOException {
        Path target = Files.writeString(Files.createTempFile(dir, "blob", ".bin"), "x");
        Files.createSymbolicLink(dir.resolve("linked.gguf"), target);

        assertThat(scan()).extracting(ModelDescriptor::id).containsExactly("linked");
    }

    @Test
    void aMissingDirectoryIsAnError() {
        ModelsDirSource source = new ModelsDirSource(dir.resolve("missing"), "llama");

        assertThatThrownBy(source::scan)
                .isInstanceOf(NotDirectoryException.class)
                .hasMessageContaining("does not exist or is not a directory");
    }
}
