package dev.switchboard.simulator;

import static dev.switchboard.simulator.internal.json.Json.array;
import static dev.switchboard.simulator.internal.json.Json.object;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.simulator.internal.json.Json;
import dev.switchboard.simulator.internal.json.JsonFields;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** A loaded llama-server, asked what clients ask it. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LlamaServerTest {

    static final String PROMPT = "Tell me about switchboards";

    private SimulatorProcess server;
    private int port;

    @BeforeAll
    void start() {
        port = SimulatorProcess.freePort();
        server = SimulatorProcess.start(
                "-m",
                "/models/qwen2.5-0.5b-q4.gguf",
                "-a",
                "qwen,qwen-small",
                "--embeddings",
                "--port",
                Integer.toString(port),
                "--sim-load-ms",
                "0",
                "--sim-tokens-per-second",
                "0");
        Http.awaitHealthy(port);
    }

    @AfterAll
    void stop() {
        server.close();
    }

    @Test
    void answersHealthWithStatusOk() {
        HttpResponse<String> health = Http.get(port, "/health");

        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(Http.json(health).values()).isEqualTo(Map.of("status", "ok"));
    }

    @Test
    void listsFirstAliasAsModelId() {
        JsonFields models = Http.json(Http.get(port, "/v1/models"));

        assertThat(models.string("object")).hasValue("list");
        assertThat(models.objects("data")).singleElement().satisfies(model -> {
            assertThat(model.string("id")).hasValue("qwen");
            assertThat(model.string("owned_by")).hasValue("llamacpp");
        });
    }

    @Test
    void namesServedModelInResponsesWhateverTheRequestNames() {
        JsonFields answer = Http.json(Http.post(port, "/v1/chat/completions", chat("something-else", false, 2)));

        assertThat(answer.string("model")).hasValue("qwen");
    }

    @Test
    void streamsChatAsEventsEndingWithDone() {
        HttpResponse<String> response = Http.post(port, "/v1/chat/completions", chat("qwen", true, -1));

        List<Object> events = Http.events(response);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/event-stream");
        assertThat(Chunks.delta(events.getFirst())).isEqualTo(object("role", "assistant", "content", null));
        assertThat(Chunks.content(events)).isEqualTo(SimulatedText.text(PROMPT, SimulatedText.NATURAL_LENGTH));
        assertThat(Chunks.finishReason(events.get(events.size() - 2))).hasValue("stop");
        assertThat(events.getLast()).isEqualTo("[DONE]");
    }

    @Test
    void cutsAnswerAtMaxTokensWithFinishReasonLength() {
        JsonFields answer = Http.json(Http.post(port, "/v1/chat/completions", chat("qwen", false, 3)));

        JsonFields choice = answer.objects("choices").getFirst();
        assertThat(choice.object("message").orElseThrow().string("content")).hasValue(SimulatedText.text(PROMPT, 3));
        assertThat(choice.string("finish_reason")).hasValue("length");
        assertThat(answer.object("usage").orElseThrow().values())
                .containsEntry("completion_tokens", 3L)
                .containsEntry("prompt_tokens", 4L)
                .containsEntry("total_tokens", 7L);
    }

    @Test
    void sendsUsageChunkWithoutChoicesWhenStreamOptionsAskForIt() {
        String body = Json.write(object(
                "messages",
                array(object("role", "user", "content", PROMPT)),
                "stream",
                true,
                "max_tokens",
                2,
                "stream_options",
                object("include_usage", true)));

        List<Object> events = Http.events(Http.post(port, "/v1/chat/completions", body));

        JsonFields usageChunk = JsonFields.of(events.get(events.size() - 2));
        assertThat(usageChunk.array("choices")).isEmpty();
        assertThat(usageChunk.object("usage").orElseThrow().integer("completion_tokens"))
                .hasValue(2);
    }

    @Test
    void honoursNPredictOnNativeCompletionStreamWithoutDone() {
        String body = Json.write(object("prompt", PROMPT, "n_predict", 5, "stream", true));

        List<Object> events = Http.events(Http.post(port, "/completion", body));

        assertThat(events).hasSize(6).doesNotContain("[DONE]");
        JsonFields last = JsonFields.of(events.getLast());
        assertThat(last.flag("stop")).isTrue();
        assertThat(last.string("stop_type")).hasValue("limit");
        String content = events.subList(0, 5).stream()
                .map(event -> JsonFields.of(event).string("content").orElseThrow())
                .reduce("", String::concat);
        assertThat(content).isEqualTo(SimulatedText.text(PROMPT, 5));
    }

    @Test
    void answersTextCompletionsInOpenAiShape() {
        JsonFields answer =
                Http.json(Http.post(port, "/v1/completions", Json.write(object("prompt", PROMPT, "max_tokens", 4))));

        assertThat(answer.string("object")).hasValue("text_completion");
        assertThat(answer.objects("choices").getFirst().string("text")).hasValue(SimulatedText.text(PROMPT, 4));
    }

    @Test
    void embedsEachInputAsItsSimulatedVector() {
        JsonFields answer =
                Http.json(Http.post(port, "/v1/embeddings", Json.write(object("input", array("first", "second")))));

        List<JsonFields> data = answer.objects("data");
        assertThat(data).hasSize(2);
        assertThat(Chunks.vector(data.get(1))).containsExactly(SimulatedText.embedding("second"));
    }

    @Test
    void answersUnknownPathsWithFileNotFound() {
        HttpResponse<String> response = Http.get(port, "/no/such/route");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(Http.json(response).values())
                .isEqualTo(
                        object("error", object("message", "File Not Found", "type", "not_found_error", "code", 404L)));
    }

    static String chat(String model, boolean stream, int maxTokens) {
        Map<String, Object> body =
                object("model", model, "messages", array(object("role", "user", "content", PROMPT)), "stream", stream);
        if (maxTokens >= 0) {
            body.put("max_tokens", maxTokens);
        }
        return Json.write(body);
    }
}
