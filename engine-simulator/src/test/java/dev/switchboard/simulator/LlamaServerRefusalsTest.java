package dev.switchboard.simulator;

import static dev.switchboard.simulator.internal.json.Json.object;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.simulator.internal.json.Json;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What llama-server turns away, in its own error shapes. */
class LlamaServerRefusalsTest {

    private final int port = SimulatorProcess.freePort();
    private SimulatorProcess server;

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void answersLoadingModelOnEveryRouteUntilLoaded() {
        server = SimulatorProcess.start(
                "-m", "/models/slow.gguf", "--port", Integer.toString(port), "--sim-load-ms", "2000");
        await().atMost(SimulatorProcess.PATIENCE).until(() -> Http.status(port, "/health") != 0);

        HttpResponse<String> health = Http.get(port, "/health");
        HttpResponse<String> models = Http.get(port, "/v1/models");

        Object loading = object("error", object("message", "Loading model", "type", "unavailable_error", "code", 503L));
        assertThat(health.statusCode()).isEqualTo(503);
        assertThat(Http.json(health).values()).isEqualTo(loading);
        assertThat(models.statusCode()).isEqualTo(503);
        Http.awaitHealthy(port);
    }

    @Test
    void requiresApiKeyForInferenceButNotForHealth() {
        server = SimulatorProcess.start(
                "-m", "/models/a.gguf", "--port", Integer.toString(port), "--api-key", "secret", "--sim-load-ms", "0");
        Http.awaitHealthy(port);

        HttpResponse<String> response = Http.post(port, "/v1/chat/completions", LlamaServerTest.chat("a", false, 1));

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(Http.json(response).values())
                .isEqualTo(object(
                        "error", object("message", "Invalid API Key", "type", "authentication_error", "code", 401L)));
    }

    @Test
    void refusesEmbeddingsWithoutEmbeddingsFlag() {
        server = SimulatorProcess.start("-m", "/models/a.gguf", "--port", Integer.toString(port), "--sim-load-ms", "0");
        Http.awaitHealthy(port);

        HttpResponse<String> response = Http.post(port, "/v1/embeddings", Json.write(object("input", "hello")));

        assertThat(response.statusCode()).isEqualTo(501);
        assertThat(Http.json(response).object("error").orElseThrow().values())
                .containsEntry("type", "not_supported_error")
                .containsEntry("message", "This server does not support embeddings. Start it with `--embeddings`");
    }
}
