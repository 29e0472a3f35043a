package dev.switchboard.llamacpp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.spi.BackendConfig;
import dev.switchboard.core.spi.ChildSignal;
import dev.switchboard.core.spi.LaunchContext;
import dev.switchboard.core.spi.LaunchSpec;
import dev.switchboard.core.spi.ModelDescriptor;
import dev.switchboard.core.spi.Placement;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChildLaunchTest {

    private static final BackendOptions OPTIONS = BackendOptions.from(BackendConfig.of(
            "llama",
            "llamacpp",
            Map.of(
                    "binary",
                    "/opt/llama/llama-server",
                    "env",
                    Map.of("GGML_CUDA_NO_PINNED", "1"),
                    "startTimeout",
                    "90s")));
    private static final LaunchContext CONTEXT = new LaunchContext(41234, 8080);

    private static ModelDescriptor model(String... args) {
        return ModelDescriptor.builder("qwen3-8b", "llama")
                .args(List.of(args))
                .env(Map.of("LLAMA_ARG_THREADS", "8"))
                .build();
    }

    private static LaunchSpec launch(Placement placement, String... args) {
        return ChildLaunch.build(OPTIONS, model(args), placement, CONTEXT);
    }

    private static Placement gpus(List<Integer> ids, List<Double> split) {
        return new Placement(ids, split, Map.of());
    }

    @Test
    void runsTheBinaryWithTheModelArgumentsThenHostPortAndAlias() {
        LaunchSpec spec = launch(gpus(List.of(0), List.of()), "--model", "/m/q.gguf", "--ctx-size", "4096");

        assertThat(spec.command())
                .containsExactly(
                        "/opt/llama/llama-server",
                        "--model",
                        "/m/q.gguf",
                        "--ctx-size",
                        "4096",
                        "--host",
                        "127.0.0.1",
                        "--port",
                        "41234",
                        "--alias",
                        "qwen3-8b");
        assertThat(spec.baseUri()).isEqualTo(URI.create("http://127.0.0.1:41234"));
        assertThat(spec.upstreamModel()).isEqualTo("qwen3-8b");
    }

    @Test
    void speaksTheRouterProtocol() {
        LaunchSpec spec = launch(gpus(List.of(0), List.of()));

        assertThat(spec.environment()).containsEntry("LLAMA_SERVER_ROUTER_PORT", "8080");
        assertThat(spec.stopLine()).isEqualTo("cmd_router_to_child:exit");
        assertThat(spec.healthPath()).isEqualTo("/health");
        assertThat(spec.protocol().parse("cmd_child_to_router:state:{\"state\":\"ready\"}"))
                .contains(new ChildSignal.Ready());
        assertThat(spec.startTimeout()).isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void passesTheBackendAndModelEnvironment() {
        assertThat(launch(gpus(List.of(0), List.of())).environment())
                .containsEntry("GGML_CUDA_NO_PINNED", "1")
                .containsEntry("LLAMA_ARG_THREADS", "8");
    }

    @Test
    void oneGpuIsPinnedWithCudaVisibleDevices() {
        LaunchSpec spec = launch(gpus(List.of(3), List.of()));

        assertThat(spec.environment()).containsEntry("CUDA_VISIBLE_DEVICES", "3");
        assertThat(spec.command()).doesNotContain("--tensor-split", "--main-gpu", "--n-gpu-layers");
    }

    @Test
    void severalGpusAreListedMainFirstAndSplitInThatOrder() {
        LaunchSpec spec = launch(gpus(List.of(2, 0), List.of(0.6, 0.4)));

        assertThat(spec.environment()).containsEntry("CUDA_VISIBLE_DEVICES", "2,0");
        assertThat(spec.command()).containsSubsequence("--tensor-split", "0.6,0.4", "--main-gpu", "0", "--host");
    }

    @Test
    void wholeNumberSplitsAreWrittenWithoutDecimals() {
        assertThat(launch(gpus(List.of(0, 1), List.of(3.0, 1.0))).command())
                .containsSubsequence("--tensor-split", "3,1");
    }

    @Test
    void theModelsOwnSplitWins() {
        LaunchSpec spec = launch(gpus(List.of(0, 1), List.of(0.5, 0.5)), "-ts", "3,1", "-mg", "1");

        assertThat(spec.command()).doesNotContain("--tensor-split", "--main-gpu");
    }

    @Test
    void aCpuPlacementOffloadsNoLayers() {
        LaunchSpec spec = launch(Placement.cpu());

        assertThat(spec.command()).containsSubsequence("--n-gpu-layers", "0", "--host");
        assertThat(spec.environment()).doesNotContainKey("CUDA_VISIBLE_DEVICES");
    }

    @Test
    void aCpuPlacementKeepsTheModelsOwnLayerCount() {
        assertThat(launch(Placement.cpu(), "-ngl", "99").command())
                .containsOnlyOnce("-ngl")
                .doesNotContain("--n-gpu-layers");
    }

    @Test
    void holdsTheGatewaysConnectionsBelowTheChildsHttpWorkers() {
        int workers = Math.max(8, Runtime.getRuntime().availableProcessors() - 1);
        assertThat(launch(Placement.cpu()).maxConnections())
                .as("one worker left for the readiness probe")
                .isEqualTo(workers - 1);
    }

    @Test
    void countsTheChildsHttpWorkersAsLlamaServerDoes() {
        // --threads-http, else the larger of the slots (-np, auto 4) plus 4 and the CPUs less one; one less
        assertThat(ChildLaunch.connectionLimit(List.of(), Map.of(), 2)).isEqualTo(7);
        assertThat(ChildLaunch.connectionLimit(List.of(), Map.of(), 64)).isEqualTo(62);
        assertThat(ChildLaunch.connectionLimit(List.of("-np", "2"), Map.of(), 2))
                .isEqualTo(5);
        assertThat(ChildLaunch.connectionLimit(List.of("--parallel", "-1"), Map.of(), 2))
                .isEqualTo(7);
        assertThat(ChildLaunch.connectionLimit(List.of("--threads-http", "3", "-np", "1"), Map.of(), 64))
                .isEqualTo(2);
        assertThat(ChildLaunch.connectionLimit(List.of(), Map.of("LLAMA_ARG_N_PARALLEL", "16"), 2))
                .isEqualTo(19);
        assertThat(ChildLaunch.connectionLimit(List.of("-np", "1"), Map.of("LLAMA_ARG_N_PARALLEL", "16"), 2))
                .as("an argument wins over its variable")
                .isEqualTo(4);
    }

    @Test
    void neverHoldsTheGatewayToFewerConnectionsThanTheChildHasSlots() {
        // fewer workers than slots: cpp-httplib adds threads past them, and every slot stays usable
        assertThat(ChildLaunch.connectionLimit(List.of("--threads-http", "4", "-np", "16"), Map.of(), 2))
                .isEqualTo(16);
    }
}
