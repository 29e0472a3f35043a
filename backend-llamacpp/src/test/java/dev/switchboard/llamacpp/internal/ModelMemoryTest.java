package dev.switchboard.llamacpp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.spi.MemoryEstimate;
import dev.switchboard.core.spi.ModelDescriptor;
import dev.switchboard.llamacpp.gguf.EstimateOptions;
import dev.switchboard.llamacpp.gguf.GgmlType;
import dev.switchboard.llamacpp.gguf.GgufFixtures;
import dev.switchboard.llamacpp.gguf.GgufMemoryEstimator;
import dev.switchboard.llamacpp.gguf.GgufModel;
import dev.switchboard.llamacpp.gguf.GgufReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelMemoryTest {

    /** A model trained on a long context, to see the default cap. */
    private static final GgufFixtures.Shape LONG_CONTEXT =
            new GgufFixtures.Shape(4, 256, 8, 2, 1024, 131_072, GgmlType.Q8_0);

    @TempDir
    Path dir;

    private Path file;
    private GgufModel gguf;
    private final ModelMemory memory = new ModelMemory();

    @BeforeEach
    void setUp() throws IOException {
        file = GgufFixtures.llama(dir.resolve("m-Q8_0.gguf"), LONG_CONTEXT);
        gguf = GgufModel.of(List.of(GgufReader.read(file)));
    }

    private static ModelDescriptor descriptor(List<Path> files, String... args) {
        List<String> all = new ArrayList<>(List.of("--model", files.get(0).toString()));
        all.addAll(List.of(args));
        return ModelDescriptor.builder("m", "llama").files(files).args(all).build();
    }

    @Test
    void readsTheContextAndCacheTypesFromTheArguments() {
        MemoryEstimate estimate =
                memory.estimate(descriptor(List.of(file), "-c", "2048", "-ctk", "q8_0", "-ctv", "q4_0"));

        EstimateOptions expected = EstimateOptions.defaults(2048).withCacheTypes(GgmlType.Q8_0, GgmlType.Q4_0);
        assertThat(estimate).isEqualTo(GgufMemoryEstimator.estimate(gguf, expected));
    }

    @Test
    void withoutAContextTheTrainingContextIsCapped() {
        MemoryEstimate estimate = memory.estimate(descriptor(List.of(file)));

        assertThat(estimate.kvCacheBytes())
                .isEqualTo(GgufMemoryEstimator.estimate(gguf, EstimateOptions.defaults(32_768))
                        .kvCacheBytes());
    }

    @Test
    void noOffloadedLayersNeedNoGpuMemory() {
        assertThat(memory.estimate(descriptor(List.of(file), "-ngl", "0"))).isEqualTo(MemoryEstimate.none());
    }

    @Test
    void someOffloadedLayersNeedPartOfTheWeights() {
        MemoryEstimate partial = memory.estimate(descriptor(List.of(file), "--n-gpu-layers", "2"));

        assertThat(partial.weightsBytes())
                .isEqualTo(
                        gguf.layerWeightBytes().get(2) + gguf.layerWeightBytes().get(3));
    }

    @Test
    void theProjectorIsOffloadedWithTheModel() throws IOException {
        Path mmproj = Files.write(dir.resolve("mmproj.gguf"), new byte[1000]);
        List<Path> files = List.of(file, mmproj);

        MemoryEstimate with = memory.estimate(descriptor(files, "--mmproj", mmproj.toString()));
        MemoryEstimate kept = memory.estimate(descriptor(files, "--mmproj", mmproj.toString(), "--no-mmproj-offload"));

        assertThat(with.weightsBytes()).isEqualTo(gguf.weightBytes() + 1000);
        assertThat(kept.weightsBytes()).isEqualTo(gguf.weightBytes());
    }

    @Test
    void aFileThatIsNotGgufIsEstimatedFromItsSize() throws IOException {
        Path garbage = Files.write(dir.resolve("garbage.gguf"), new byte[5000]);

        MemoryEstimate estimate = memory.estimate(descriptor(List.of(garbage)));

        assertThat(estimate.weightsBytes()).isEqualTo(5000);
        assertThat(estimate.kvCacheBytes()).isZero();
        assertThat(estimate.overheadBytes()).isEqualTo(GgufMemoryEstimator.RUNTIME_RESERVE_BYTES);
    }

    @Test
    void aModelWithoutLocalFilesIsUnknown() {
        ModelDescriptor remote = ModelDescriptor.builder("coder", "llama")
                .args(List.of("--hf-repo", "unsloth/Qwen3-Coder-GGUF"))
                .build();

        assertThat(memory.estimate(remote)).isEqualTo(MemoryEstimate.none());
    }

    @Test
    void aRewrittenFileIsReadAgain() throws IOException {
        MemoryEstimate before = memory.estimate(descriptor(List.of(file), "-c", "1024"));
        GgufFixtures.llama(file, new GgufFixtures.Shape(8, 256, 8, 2, 1024, 131_072, GgmlType.Q8_0));

        MemoryEstimate after = memory.estimate(descriptor(List.of(file), "-c", "1024"));

        assertThat(after.kvCacheBytes()).isEqualTo(2 * before.kvCacheBytes());
    }
}
