package dev.switchboard.app.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.core.lifecycle.SchedulerConfig;
import dev.switchboard.core.placement.GpuInventory;
import dev.switchboard.core.spi.BackendConfig;
import dev.switchboard.core.spi.ModelDescriptor;
import dev.switchboard.simulator.SimulatorCommand;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /api/models/{id}/sleep}: a vLLM model with sleep mode (played by the engine simulator)
 * goes from ready to sleeping on demand and the next request wakes the same engine; a model
 * without a warm tier, or one that is not ready, is refused in the OpenAI error shape.
 */
class SleepRouteTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CHAT = "{\"model\":\"qwen\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    @TempDir
    Path dir;

    @Test
    void putsAReadyVllmModelToSleepAndTheNextRequestWakesIt() throws IOException {
        BackendConfig vllm = BackendConfig.of(
                "vllm", "vllm", Map.of("command", SimulatorCommand.javaCommand(), "startTimeout", "60s"));
        ModelDescriptor qwen = ModelDescriptor.builder("qwen", "vllm")
                .source("Qwen/Qwen2.5-0.5B-Instruct")
                .options(Map.of("sleep", true))
                .build();
        try (TestGateway gateway = TestGateway.start(
                dir,
                TestGateway.settings(List.of()),
                SchedulerConfig.ofDefaults(),
                GpuInventory.none(),
                List.of(vllm),
                List.of(qwen, TestGateway.simulated(dir, "plain")))) {
            gateway.ensureLoaded("qwen");
            gateway.ensureLoaded("plain");
            assertThat(model(gateway, "qwen").path("warmTier").asBoolean()).isTrue();
            assertThat(model(gateway, "plain").path("warmTier").asBoolean()).isFalse();

            HttpResponse<String> accepted = gateway.post("/api/models/qwen/sleep", "");

            assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
            await().atMost(TestGateway.PATIENCE)
                    .until(() -> model(gateway, "qwen").path("state").asText().equals("sleeping"));
            assertThat(model(gateway, "qwen").path("warm").asBoolean()).isTrue();
            assertThat(gateway.get("/metrics").body())
                    .contains("switchboard_model_evictions_total{model=\"qwen\",reason=\"sleep\"} 1.0");
            assertError(gateway.post("/api/models/qwen/sleep", ""), 409, "is sleeping");

            HttpResponse<String> answer = gateway.post("/v1/chat/completions", CHAT);

            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            assertThat(model(gateway, "qwen").path("state").asText()).isEqualTo("ready");
            assertThat(gateway.get("/metrics").body())
                    .as("woken, not started again")
                    .contains("switchboard_model_starts_total{model=\"qwen\"} 1.0");
            assertError(gateway.post("/api/models/plain/sleep", ""), 400, "no warm tier");
            assertThat(model(gateway, "plain").path("state").asText()).isEqualTo("ready");
        }
    }

    private static void assertError(HttpResponse<String> response, int status, String message) throws IOException {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonNode error = JSON.readTree(response.body()).path("error");
        assertThat(error.path("message").asText()).contains(message);
        assertThat(error.path("type").asText()).isEqualTo("invalid_request_error");
    }

    private static JsonNode model(TestGateway gateway, String id) throws IOException {
        for (JsonNode model : JSON.readTree(gateway.get("/api/models").body())) {
            if (model.path("id").asText().equals(id)) {
                return model;
            }
        }
        throw new AssertionError("no model " + id + " in /api/models");
    }
}
