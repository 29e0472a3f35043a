package dev.switchboard.app.engines;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.app.ServerSettings;
import dev.switchboard.app.http.GatewayServer;
import dev.switchboard.core.Gateway;
import dev.switchboard.core.GatewayConfig;
import dev.switchboard.core.lifecycle.SchedulerConfig;
import dev.switchboard.core.spi.BackendConfig;
import dev.switchboard.core.spi.ModelDescriptor;
import dev.switchboard.simulator.Journal;
import dev.switchboard.simulator.JournalEvent;
import dev.switchboard.simulator.SimulatorCommand;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One gateway, one endpoint, three engines side by side: a llama.cpp model (from a preset), a vLLM
 * model and an SGLang model, each launched by its own backend jar found through ServiceLoader and
 * played by the engine simulator in that engine's personality.
 */
class MultiEngineTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void servesLlamaCppVllmAndSglangModelsThroughOneEndpoint() throws Exception {
        Path journal = dir.resolve("journal.jsonl");
        Map<String, Object> recorded = Map.of("SIM_RECORD", journal.toString(), "SIM_LOAD_MS", "50");
        Path llamaServer = SimulatorCommand.writeLauncher(dir.resolve("llama-server"));
        Path preset = Files.writeString(
                dir.resolve("models.ini"), "[tiny-llama]\nhf-repo = org/tiny-GGUF:Q4_K_M\nctx-size = 2048\n");
        List<String> python = new ArrayList<>(SimulatorCommand.javaCommand());
        List<BackendConfig> backends = List.of(
                BackendConfig.of(
                        "llama",
                        "llamacpp",
                        Map.of(
                                "binary",
                                llamaServer.toString(),
                                "modelsPreset",
                                preset.toString(),
                                "hfCache",
                                false,
                                "env",
                                recorded)),
                BackendConfig.of("vllm", "vllm", Map.of("command", SimulatorCommand.javaCommand(), "env", recorded)),
                BackendConfig.of("sglang", "sglang", Map.of("python", python, "env", recorded)));
        List<ModelDescriptor> models = List.of(
                ModelDescriptor.builder("qwen-vllm", "vllm")
                        .source("Qwen/Qwen2.5-0.5B-Instruct")
                        .build(),
                ModelDescriptor.builder("llama-sglang", "sglang")
                        .source("meta-llama/Llama-3.2-1B-Instruct")
                        .args(List.of("--skip-server-warmup"))
                        .build());
        try (Gateway gateway = Gateway.builder()
                .config(new GatewayConfig(SchedulerConfig.ofDefaults(), backends, models))
                .shutdownHook(false)
                .build()) {
            GatewayServer server =
                    GatewayServer.start(gateway, new ServerSettings("127.0.0.1", 0, List.of(), 1 << 20, false));
            try (HttpClient http =
                    HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
                URI base = URI.create("http://127.0.0.1:" + server.port());
                for (String model : List.of("tiny-llama", "qwen-vllm", "llama-sglang")) {
                    HttpResponse<String> answer = http.send(
                            HttpRequest.newBuilder(base.resolve("/v1/chat/completions"))
                                    .timeout(Duration.ofSeconds(60))
                                    .header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"" + model
                                            + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
                    assertThat(answer.statusCode())
                            .as(model + ": " + answer.body())
                            .isEqualTo(200);
                    assertThat(JSON.readTree(answer.body())
                                    .at("/choices/0/message/content")
                                    .asText())
                            .isNotBlank();
                }
                JsonNode listing = JSON.readTree(http.send(
                                HttpRequest.newBuilder(base.resolve("/v1/models"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body());
                assertThat(listing.get("data").findValuesAsText("id"))
                        .contains("tiny-llama", "qwen-vllm", "llama-sglang");
                assertThat(listing.get("data").findValues("status"))
                        .extracting(status -> status.get("value").asText())
                        .containsOnly("loaded");
            } finally {
                server.stop(Duration.ofSeconds(5));
            }
        }
        assertThat(Journal.read(journal))
                .filteredOn(e -> e.event().equals(JournalEvent.START))
                .extracting(e -> e.text("personality").orElse(""))
                .containsExactlyInAnyOrder("llama.cpp", "vllm", "sglang");
    }
}
