package dev.switchboard.simulator;

import static dev.switchboard.simulator.internal.json.Json.array;
import static dev.switchboard.simulator.internal.json.Json.object;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.simulator.internal.json.Json;
import dev.switchboard.simulator.internal.json.JsonFields;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** A loaded {@code vllm serve}, asked what clients ask it. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VllmServerTest {

    private SimulatorProcess server;
    private int port;

    @BeforeAll
    void start() {
        port = SimulatorProcess.freePort();
        server = SimulatorProcess.start(
                "serve", "Qwen/Qwen2.5-7B-Instruct",
                "--served-model-name", "qwen",
                "--port", Integer.toString(port),
                "--max-model-len", "8192",
                "--sim-load-ms", "0",
                "--sim-tokens-per-second", "0",
                "--sim-kv-cache-percent", "25");
        Http.awaitHealthy(port);
    }

    @AfterAll
    void stop() {
        server.close();
    }

    @Test
    void exportsItsKvCacheUsageAsPrometheusText() {
        HttpResponse<String> metrics = Http.get(port, "/metrics");

        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
        assertThat(metrics.body())
                .contains("# TYPE vllm:kv_cache_usage_perc gauge\n")
                .contains("vllm:kv_cache_usage_perc{engine=\"0\",model_name=\"qwen\"} 0.25\n");
    }

    @Test
    void answersHealthWithEmptyBody() {
        HttpResponse<String> health = Http.get(port, "/health");

        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).isEmpty();
    }

    @Test
    void listsServedNameWithRootAndMaxModelLen() {
        JsonFields model =
                Http.json(Http.get(port, "/v1/models")).objects("data").getFirst();

        assertThat(model.string("id")).hasValue("qwen");
        assertThat(model.string("root")).hasValue("Qwen/Qwen2.5-7B-Instruct");
        assertThat(model.string("owned_by")).hasValue("vllm");
        assertThat(model.integer("max_model_len")).hasValue(8192);
    }

    @Test
    void rejectsUnknownModelWithNotFound() {
        HttpResponse<String> response = Http.post(port, "/v1/chat/completions", chat("llama", false));

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(Http.json(response).values())
                .isEqualTo(object(
                        "error",
                        object(
                                "message",
                                "The model `llama` does not exist.",
                                "type",
                                "NotFoundError",
                                "param",
                                null,
                                "code",
                                404L)));
    }

    @Test
    void putsFinishReasonOnTheChunkWithTheLastToken() {
        List<Object> events = Http.events(Http.post(port, "/v1/chat/completions", chat("qwen", true)));

        assertThat(Chunks.delta(events.getFirst())).isEqualTo(object("role", "assistant", "content", ""));
        Object lastChunk = events.get(events.size() - 2);
        assertThat(Chunks.finishReason(lastChunk)).hasValue("length");
        assertThat(Chunks.delta(lastChunk))
                .isEqualTo(object("content", SimulatedText.tokens("Hello", 3).getLast()));
        assertThat(events.getLast()).isEqualTo("[DONE]");
    }

    @Test
    void answersUnknownPathsLikeFastApi() {
        HttpResponse<String> response = Http.get(port, "/sleep");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(Http.json(response).values()).isEqualTo(object("detail", "Not Found"));
    }

    private static String chat(String model, boolean stream) {
        return Json.write(object(
                "model",
                model,
                "messages",
                array(object("role", "user", "content", "Hello")),
                "max_tokens",
                3,
                "stream",
                stream));
    }
}
