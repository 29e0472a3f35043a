package dev.switchboard.vllm;

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

class VllmBackendTest {
    private static final LaunchContext CONTEXT = new LaunchContext(41234, 8080);
    private static final Placement ONE_GPU = gpus(2);
    private static final Placement TWO_GPUS = gpus(0, 1);

    private final VllmBackend backend = new VllmBackend(BackendConfig.of("vllm", "vllm", Map.of()));

    @AfterEach
    void close() {
        backend.close();
    }

    @Test
    void servesTheSourceOnLoopbackUnderTheModelsId() {
        LaunchSpec spec = backend.launch(model().build(), Placement.cpu(), CONTEXT);

        assertThat(spec.command())
                .containsExactly(
                        "vllm",
                        "serve",
                        "Qwen/Qwen2.5-7B-Instruct",
                        "--host",
                        "127.0.0.1",
                        "--port",
                        "41234",
                        "--served-model-name",
                        "qwen");
        assertThat(spec.baseUri()).isEqualTo(URI.create("http://127.0.0.1:41234"));
        assertThat(spec.upstreamModel()).isEqualTo("qwen");
    }

    @Test
    void waitsForHealthAndRunsUnderTheGuard() {
        LaunchSpec spec = backend.launch(model().build(), Placement.cpu(), CONTEXT);

        assertThat(spec.healthPath()).isEqualTo("/health");
    }

    @Test
    void servesTheIdWhenTheModelHasNoSource() {
        LaunchSpec spec = backend.launch(model().source("").build(), Placement.cpu(), CONTEXT);

        assertThat(spec.command()).containsSubsequence("serve", "qwen");
    }

    @Test
    void leavesTheGpuChoiceToVllmOnCpu() {
        LaunchSpec spec = backend.launch(model().build(), Placement.cpu(), CONTEXT);

        assertThat(spec.environment()).doesNotContainKey("CUDA_VISIBLE_DEVICES");
        assertThat(spec.command()).doesNotContain("--tensor-parallel-size");
    }

    @Test
    void pinsOneGpuWithoutTensorParallelism() {
        LaunchSpec spec = backend.launch(model().build(), ONE_GPU, CONTEXT);

        assertThat(spec.environment()).containsEntry("CUDA_VISIBLE_DEVICES", "2");
        assertThat(spec.command()).doesNotContain("--tensor-parallel-size");
    }

    @Test
    void splitsTwoGpusWithTensorParallelism() {
        LaunchSpec spec = backend.launch(model().build(), TWO_GPUS, CONTEXT);

        assertThat(spec.environment()).containsEntry("CUDA_VISIBLE_DEVICES", "0,1");
        assertThat(spec.command()).containsSubsequence("--tensor-parallel-size", "2");
    }

    @Test
    void keepsTheTensorParallelSizeTheArgsSet() {
        LaunchSpec spec = backend.launch(model().args(List.of("-tp", "2")).build(), TWO_GPUS, CONTEXT);

        assertThat(spec.command()).doesNotContain("--tensor-parallel-size").endsWith("-tp", "2");
    }

    @Test
    void letsTheArgsOverrideTheHost() {
        LaunchSpec spec =
                backend.launch(model().args(List.of("--host", "0.0.0.0")).build(), Placement.cpu(), CONTEXT);

        assertThat(spec.command()).doesNotContain("127.0.0.1").endsWith("--host", "0.0.0.0");
    }

    @Test
    void relaysUnderTheServedNameTheArgsChoose() {
        LaunchSpec spec = backend.launch(
                model().args(List.of("--served-model-name", "qwen-7b")).build(), Placement.cpu(), CONTEXT);

        assertThat(spec.upstreamModel()).isEqualTo("qwen-7b");
        assertThat(spec.command()).containsOnlyOnce("--served-model-name");
    }

    @Test
    void refusesArgsThatSetThePort() {
        ModelDescriptor model = model().args(List.of("--port", "8000")).build();

        assertThatThrownBy(() -> backend.launch(model, Placement.cpu(), CONTEXT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--port");
    }

    @Test
    void runsTheConfiguredCommandPrefix() {
        try (VllmBackend simulated = new VllmBackend(
                BackendConfig.of("vllm", "vllm", Map.of("command", List.of("java", "-cp", "sim", "Main"))))) {
            LaunchSpec spec = simulated.launch(model().build(), Placement.cpu(), CONTEXT);

            assertThat(spec.command()).startsWith("java", "-cp", "sim", "Main", "serve");
        }
    }

    @Test
    void enablesSleepModeAndItsEndpointsForASleepingModel() {
        LaunchSpec spec = backend.launch(model().options(Map.of("sleep", true)).build(), Placement.cpu(), CONTEXT);

        assertThat(spec.command()).contains("--enable-sleep-mode");
        assertThat(spec.environment()).containsEntry("VLLM_SERVER_DEV_MODE", "1");
    }

    @Test
    void keepsDevEndpointsOffWithoutSleep() {
        LaunchSpec spec = backend.launch(model().build(), Placement.cpu(), CONTEXT);

        assertThat(spec.command()).doesNotContain("--enable-sleep-mode");
        assertThat(spec.environment()).doesNotContainKey("VLLM_SERVER_DEV_MODE");
    }

    @Test
    void offersAWarmTierOnlyForASleepingModel() {
        assertThat(backend.warmTier(model().options(Map.of("sleep", 2)).build()))
                .isPresent();
        assertThat(backend.warmTier(model().options(Map.of("sleep", false)).build()))
                .isEmpty();
        assertThat(backend.warmTier(model().build())).isEmpty();
    }

    @Test
    void refusesAnUnknownSleepLevel() {
        ModelDescriptor model = model().options(Map.of("sleep", 3)).build();

        assertThatThrownBy(() -> backend.warmTier(model))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'sleep'")
                .hasMessageContaining("qwen");
    }

    @Test
    void estimatesVllmsDefaultShareOnGpusThePlannerChooses() {
        MemoryEstimate estimate = backend.estimate(model().build());

        assertThat(estimate).isEqualTo(MemoryEstimate.ofFraction(VllmBackend.DEFAULT_GPU_MEMORY_UTILIZATION, 0));
    }

    @Test
    void estimatesTheShareAndGpuCountTheArgsSet() {
        ModelDescriptor model = model().args(List.of("--gpu-memory-utilization=0.45", "--tensor-parallel-size", "2"))
                .build();

        assertThat(backend.estimate(model)).isEqualTo(MemoryEstimate.ofFraction(0.45, 2));
    }

    private static ModelDescriptor.Builder model() {
        return ModelDescriptor.builder("qwen", "vllm").source("Qwen/Qwen2.5-7B-Instruct");
    }

    private static Placement gpus(Integer... ids) {
        Map<Integer, Long> bytes = new HashMap<>();
        for (Integer id : ids) {
            bytes.put(id, 70L << 30);
        }
        return new Placement(List.of(ids), List.of(), bytes);
    }
}
