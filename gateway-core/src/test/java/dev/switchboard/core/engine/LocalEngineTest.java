package dev.switchboard.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.spi.BackendConfig;
import dev.switchboard.core.spi.LaunchContext;
import dev.switchboard.core.spi.LaunchSpec;
import dev.switchboard.core.spi.ModelDescriptor;
import dev.switchboard.core.spi.Placement;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LocalEngineTest {
    private static final ModelDescriptor MODEL =
            ModelDescriptor.builder("m", "engine").build();
    private static final LaunchContext CONTEXT = new LaunchContext(41234, 8080);

    @Test
    void usesTheDefaultProgramWhenNoneIsConfigured() {
        LocalEngine engine = LocalEngine.from(BackendConfig.of("e", "vllm", Map.of()), "binary", "vllm");

        assertThat(engine.program()).containsExactly("vllm");
        assertThat(engine.startTimeout()).isEqualTo(LocalEngine.DEFAULT_START_TIMEOUT);
    }

    @Test
    void acceptsTheProgramAsAString() {
        LocalEngine engine = LocalEngine.from(
                BackendConfig.of("e", "vllm", Map.of("binary", "/opt/vllm/bin/vllm")), "binary", "vllm");

        assertThat(engine.program()).containsExactly("/opt/vllm/bin/vllm");
    }

    @Test
    void acceptsACommandPrefixAsAList() {
        LocalEngine engine = LocalEngine.from(
                BackendConfig.of("e", "vllm", Map.of("command", List.of("java", "-cp", "sim.jar", "Main"))),
                "binary",
                "vllm");

        assertThat(engine.program()).containsExactly("java", "-cp", "sim.jar", "Main");
    }

    @Test
    void refusesBothProgramOptions() {
        BackendConfig config = BackendConfig.of("e", "vllm", Map.of("binary", "vllm", "command", List.of("vllm")));

        assertThatThrownBy(() -> LocalEngine.from(config, "binary", "vllm"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'binary'")
                .hasMessageContaining("'command'");
    }

    @Test
    void readsTheStartTimeout() {
        LocalEngine engine =
                LocalEngine.from(BackendConfig.of("e", "vllm", Map.of("startTimeout", "90s")), "binary", "vllm");

        assertThat(engine.startTimeout()).isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void launchesOnLoopbackAtTheChosenPortUnderTheGuard() {
        LaunchSpec spec = engine().launch(MODEL, Placement.cpu(), CONTEXT, "m", List.of("serve", "m"))
                .build();

        assertThat(spec.command()).containsExactly("vllm", "serve", "m");
        assertThat(spec.baseUri()).isEqualTo(URI.create("http://127.0.0.1:41234"));
        assertThat(spec.healthPath()).isEqualTo("/health");
    }

    @Test
    void showsTheEngineOnlyItsPlacementsGpus() {
        Placement placement = new Placement(List.of(1, 3), List.of(), Map.of(1, 1L, 3, 1L));

        LaunchSpec spec =
                engine().launch(MODEL, placement, CONTEXT, "m", List.of()).build();

        assertThat(spec.environment()).containsEntry("CUDA_VISIBLE_DEVICES", "1,3");
    }

    @Test
    void leavesTheGpuChoiceToTheEngineOnCpu() {
        LaunchSpec spec =
                engine().launch(MODEL, Placement.cpu(), CONTEXT, "m", List.of()).build();

        assertThat(spec.environment()).doesNotContainKey("CUDA_VISIBLE_DEVICES");
    }

    @Test
    void layersBackendEnvThenModelEnvThenPlacement() {
        LocalEngine engine = LocalEngine.from(
                BackendConfig.of("e", "vllm", Map.of("env", Map.of("HF_HOME", "/srv/hf", "LOG", "info"))),
                "binary",
                "vllm");
        ModelDescriptor model = ModelDescriptor.builder("m", "engine")
                .env(Map.of("LOG", "debug", "CUDA_VISIBLE_DEVICES", "7"))
                .build();
        Placement placement = new Placement(List.of(0), List.of(), Map.of(0, 1L));

        LaunchSpec spec =
                engine.launch(model, placement, CONTEXT, "m", List.of()).build();

        assertThat(spec.environment())
                .containsEntry("HF_HOME", "/srv/hf")
                .containsEntry("LOG", "debug")
                .containsEntry("CUDA_VISIBLE_DEVICES", "0");
    }

    private static LocalEngine engine() {
        return LocalEngine.from(BackendConfig.of("e", "vllm", Map.of()), "binary", "vllm");
    }
}
