package dev.switchboard.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.app.config.AppConfig;
import dev.switchboard.app.config.ConfigLoader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the command prints and returns when it does not serve: errors, help and conversion. */
class MainTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return new Main(
                        Map.of(),
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8))
                .run(args);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aBadConfigurationPrintsOneLineNamingFileLineAndKeyAndExitsTwo() throws Exception {
        Path config = Files.writeString(dir.resolve("config.yaml"), "scheduler:\n  maxLoaded: four\n");

        int status = run("--config", config.toString());

        assertThat(status).isEqualTo(2);
        assertThat(err()).isEqualTo(config + ":2: scheduler.maxLoaded: must be a number, got 'four'\n");
        assertThat(out()).isEmpty();
    }

    @Test
    void aBackendTypeNoJarProvidesExitsTwoNamingTheType() throws Exception {
        Path config = Files.writeString(dir.resolve("config.yaml"), "backends:\n  trt: { type: tensorrt }\n");

        int status = run("--config", config.toString());

        assertThat(status).isEqualTo(2);
        assertThat(err())
                .startsWith("switchboard: backend 'trt' has type 'tensorrt', which no jar on the classpath provides")
                .doesNotContain("Exception", "\tat ");
    }

    @Test
    void aPortInUseExitsTwoWithoutAStackTrace() throws Exception {
        Path config = Files.writeString(dir.resolve("config.yaml"), "gpus: none\n");
        try (ServerSocket taken = new ServerSocket(0)) {
            int status = run("--config", config.toString(), "--port", Integer.toString(taken.getLocalPort()));

            assertThat(status).isEqualTo(2);
            assertThat(err()).startsWith("switchboard: ").doesNotContain("\tat ");
        }
    }

    @Test
    void aUsageErrorGoesToStandardErrorWithStatusTwo() {
        int status = run("--models-max", "many");

        assertThat(status).isEqualTo(2);
        assertThat(err()).contains("--models-max").contains("Try 'switchboard --help'.");
    }

    @Test
    void helpGoesToStandardOutputWithSuccess() {
        int status = run("--help");

        assertThat(status).isZero();
        assertThat(out()).startsWith("Usage: switchboard");
    }

    @Test
    void convertPrintsSwitchboardYamlAndListsUnsupportedSettingsOnStandardError() throws Exception {
        Path llamaSwap = Files.writeString(dir.resolve("llama-swap.yaml"), """
                logLevel: debug
                apiKeys: ["${env.SWAP_KEY}"]
                models:
                  qwen:
                    cmd: llama-server --port ${PORT} -m qwen.gguf
                """);

        int status = run("convert", llamaSwap.toString());

        assertThat(status).isZero();
        assertThat(err()).isEqualTo(llamaSwap + ":1: logLevel: not supported by Switchboard; ignored\n");
        AppConfig converted =
                ConfigLoader.withEnvironment(Map.of("SWAP_KEY", "sk-1")).load("out.yaml", out(), dir);
        assertThat(converted.server().apiKeys()).containsExactly("sk-1");
        assertThat(converted.gateway().models().getFirst().options())
                .containsEntry("cmd", "llama-server --port ${PORT} -m qwen.gguf");
    }
}
