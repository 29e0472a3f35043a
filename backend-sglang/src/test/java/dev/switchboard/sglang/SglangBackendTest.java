package dev.switchboard.sglang;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.spi.BackendConfig;
import dev.switchboard.core.spi.LaunchContext;
import dev.switchboard.core.spi.LaunchSpec;
import dev.switchboard.core.spi.MemoryEstimate;
import dev.switchboard.core.spi.ModelDescriptor;
import dev.switchboard.core.spi.Placement;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SglangBackendTest {
    private static final LaunchContext CONTEXT = new LaunchContext(41234, 8080);
    private static final Placement ONE_GPU = gpus(3);
    private static final Placement TWO_GPUS = gpus(1, 3);

    private final SglangBackend backend = new SglangBackend(BackendConfig.of("sglang", "sglang", Map.of()));

    @AfterEach
    void close() {
        backend.close();
    }

    @Test
    void launchesTheServerModuleOnLoopbackUnderTheModelsId() {
        LaunchSpec spec = backend.launch(model().build(), Placement.cpu(), CONTEXT);

        assertThat(spec.command())
                .containsExactly(
                        "python",
                        "-m",
                        "sglang.launch_server",
                        "--model-path",
                        "meta-llama/Llama-3.1-8B-Instruct",
                        "--host",
                        "127.0.0.1",
                        "--port",
                        "41234",
                        "--served-model-name",
                        "llama");
        assertThat(spec.baseUri()).isEqualTo(URI.create("http://127.0.0.1:41234"));
        assertThat(spec.upstreamModel()).isEqualTo("llama");
    }

    @Test
    void waitsForHealthAndRunsUnderTheGuard() {
        LaunchSpec spec = backend.launch(model().build(), Placement.cpu(), CONTEXT);

        assertThat(spec.healthPath()).isEqualTo("/health");
    }

    @Test
    void runsTheConfiguredPython() {
        try (SglangBackend venv = new SglangBackend(
                BackendConfig.of("sglang", "sglang", Map.of("python", "/srv/sglang/.venv/bin/python")))) {
            LaunchSpec spec = venv.launch(model().build(), Placement.cpu(), CONTEXT);

            assertThat(spec.command()).startsWith("/srv/sglang/.venv/bin/python", "-m", "sglang.launch_server");
        }
    }

    @Test
    void leavesTheGpuChoiceToSglangOnCpu() {
        LaunchSpec spec = backend.launch(model().build(), Placement.cpu(), CONTEXT);

        assertThat(spec.environment()).doesNotContainKey("CUDA_VISIBLE_DEVICES");
        assertThat(spec.command()).doesNotContain("--tp", "--base-gpu-id");
    }

    @Test
    void pinsOneGpuThroughVisibleDevices() {
        LaunchSpec spec = backend.launch(model().build(), ONE_GPU, CONTEXT);

        assertThat(spec.environment()).containsEntry("CUDA_VISIBLE_DEVICES", "3");
        assertThat(spec.command()).doesNotContain("--tp", "--base-gpu-id");
    }

    @Test
    void splitsUnevenlySpacedGpusWithTensorParallelism() {
        LaunchSpec spec = backend.launch(model().build(), TWO_GPUS, CONTEXT);

        assertThat(spec.environment()).containsEntry("CUDA_VISIBLE_DEVICES", "1,3");
        assertThat(spec.command()).containsSubsequence("--tp", "2");
    }

    @Test
    void keepsTheTensorParallelSizeTheArgsSet() {
        LaunchSpec spec = backend.launch(model().args(List.of("--tp-size", "2")).build(), TWO_GPUS, CONTEXT);

        assertThat(spec.command()).doesNotContain("--tp").endsWith("--tp-size", "2");
    }

    @Test
    void letsTheArgsChooseTheModelPath() {
        LaunchSpec spec = backend.launch(
                model().args(List.of("--model-path", "/srv/models/llama")).build(), Placement.cpu(), CONTEXT);

        assertThat(spec.command()).containsOnlyOnce("--model-path").endsWith("--model-path", "/srv/models/llama");
    }

    @Test
    void refusesArgsThatSetThePort() {
        ModelDescriptor model = model().args(List.of("--port=30000")).build();

        assertThatThrownBy(() -> backend.launch(model, Placement.cpu(), CONTEXT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--port");
    }

    @Test
    void enablesTheMemorySaverForASleepingModel() {
        LaunchSpec spec = backend.launch(model().options(Map.of("sleep", true)).build(), Placement.cpu(), CONTEXT);

        assertThat(spec.command()).contains("--enable-memory-saver");
    }

    @Test
    void offersAWarmTierOnlyForASleepingModel() {
        assertThat(backend.warmTier(model().options(Map.of("sleep", "true")).build()))
                .isPresent();
        assertThat(backend.warmTier(model().build())).isEmpty();
        assertThat(backend.launch(model().build(), Placement.cpu(), CONTEXT).command())
                .doesNotContain("--enable-memory-saver");
    }

    @Test
    void refusesASleepLevel() {
        ModelDescriptor model = model().options(Map.of("sleep", 2)).build();

        assertThatThrownBy(() -> backend.warmTier(model))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'sleep' must be true or false");
    }

    @Test
    void estimatesTheDefaultStaticFractionOnGpusThePlannerChooses() {
        assertThat(backend.estimate(model().build()))
                .isEqualTo(MemoryEstimate.ofFraction(SglangBackend.DEFAULT_MEM_FRACTION_STATIC, 0));
    }

    @Test
    void estimatesTheFractionAndGpuCountTheArgsSet() {
        ModelDescriptor model = model().args(List.of("--mem-fraction-static", "0.7", "--tp", "4"))
                .build();

        assertThat(backend.estimate(model)).isEqualTo(MemoryEstimate.ofFraction(0.7, 4));
    }

    private static ModelDescriptor.Builder model() {
        return ModelDescriptor.builder("llama", "sglang").source("meta-llama/Llama-3.1-8B-Instruct");
    }

    private static Placement gpus(Integer... ids) {
        Map<Integer, Long> bytes = new HashMap<>();
        for (Integer id : ids) {
            bytes.put(id, 70L << 30);
        }
        return new Placement(List.of(ids), List.of(), bytes);
    }
}
