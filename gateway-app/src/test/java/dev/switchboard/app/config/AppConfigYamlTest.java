package dev.switchboard.app.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.app.ServerSettings;
import dev.switchboard.core.GatewayConfig;
import dev.switchboard.core.lifecycle.SchedulerConfig;
import dev.switchboard.core.spi.BackendConfig;
import dev.switchboard.core.spi.ModelDescriptor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writing a configuration as Switchboard YAML, as {@code switchboard convert} does. */
class AppConfigYamlTest {
    @TempDir
    Path dir;

    private AppConfig reread(AppConfig config) {
        return ConfigLoader.withEnvironment(Map.of()).load("converted.yaml", config.toYaml(), dir);
    }

    private static void assertSameConfig(AppConfig actual, AppConfig expected) {
        assertThat(actual.gateway().backends()).isEqualTo(expected.gateway().backends());
        assertThat(actual.gateway().models()).isEqualTo(expected.gateway().models());
        assertThat(actual.gateway().scheduler())
                .hasToString(expected.gateway().scheduler().toString());
        assertThat(actual.server()).isEqualTo(expected.server());
        assertThat(actual.gpus()).isEqualTo(expected.gpus());
    }

    @Test
    void aConvertedLlamaSwapFileReadsBackAsTheSameConfiguration() {
        AppConfig llamaSwap = ConfigLoader.withEnvironment(Map.of()).load("config.yaml", """
                healthCheckTimeout: 500
                globalTTL: 300
                apiKeys: [sk-hunter2]
                macros:
                  llama: /opt/llama-server --port ${PORT}
                models:
                  qwen:
                    cmd: |
                      # the newest build
                      ${llama}
                      -m qwen.gguf --ctx-size 8192
                    aliases: [gpt-4o-mini]
                    env: ["CUDA_VISIBLE_DEVICES=0"]
                    ttl: 60
                    name: Qwen
                    concurrencyLimit: 2
                    filters: { stripParams: "top_k", setParams: { temperature: 0.7 } }
                  embed:
                    cmd: /opt/llama-server --port ${PORT} --embeddings -m embed.gguf
                    cmdStop: kill -TERM ${PID}
                    unlisted: true
                groups:
                  helpers: { swap: false, exclusive: false, persistent: true, members: [embed] }
                hooks:
                  on_startup: { preload: [embed] }
                """, dir);

        assertSameConfig(reread(llamaSwap), llamaSwap);
    }

    @Test
    void leavesOutSettingsAtTheirDefaults() {
        AppConfig config = new AppConfig(
                new GatewayConfig(
                        SchedulerConfig.custom().maxLoaded(2).build(),
                        List.of(BackendConfig.of("run", "command", Map.of())),
                        List.of(ModelDescriptor.builder("m", "run")
                                .options(Map.of("cmd", "serve"))
                                .build())),
                ServerSettings.defaults(),
                new GpuSetting.Auto(),
                List.of());

        assertThat(config.toYaml()).isEqualTo("""
                        scheduler:
                          maxLoaded: 2
                        backends:
                          run:
                            type: command
                        models:
                          m:
                            backend: run
                            cmd: serve
                        """);
    }

    @Test
    void writesMultiLineCommandsAsLiteralBlocks() {
        AppConfig config = new AppConfig(
                new GatewayConfig(
                        SchedulerConfig.ofDefaults(),
                        List.of(BackendConfig.of("run", "command", Map.of())),
                        List.of(ModelDescriptor.builder("m", "run")
                                .options(Map.of("cmd", "llama-server\n--port ${PORT}\n"))
                                .build())),
                ServerSettings.defaults(),
                new GpuSetting.None(),
                List.of());

        assertThat(config.toYaml()).contains("    cmd: |\n      llama-server\n      --port ${PORT}\n");
    }

    @Test
    void statesDurationsAndSizesInTheLargestExactUnit() {
        AppConfig config = new AppConfig(
                new GatewayConfig(
                        SchedulerConfig.custom()
                                .idleTtl(Duration.ofHours(2))
                                .stopTimeout(Duration.ofSeconds(90))
                                .restartBackoff(Duration.ofMillis(1500))
                                .build(),
                        List.of(),
                        List.of()),
                new ServerSettings("127.0.0.1", 8080, List.of(), 1536L << 20, true),
                new GpuSetting.Fixed(List.of(GpuSetting.Fixed.gpu(0, "L4", 24L << 30))),
                List.of());

        assertThat(config.toYaml())
                .contains("maxBodySize: 1536MiB")
                .contains("idleTtl: 2h")
                .contains("stopTimeout: 90s")
                .contains("restartBackoff: 1500ms")
                .contains("memory: 24GiB");
    }
}
