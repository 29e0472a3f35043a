package dev.switchboard.app.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.core.lifecycle.ModelState;
import dev.switchboard.simulator.JournalEvent;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The inference API through the gateway to simulated llama-servers. */
class OpenAiRoutesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    static TestGateway gateway;

    @BeforeAll
    static void start() {
        gateway = TestGateway.start(
                dir,
                List.of(
                        TestGateway.simulated(dir, "fast", "--sim-tokens-per-second", "0"),
                        TestGateway.simulated(dir, "slow", "--sim-tokens-per-second", "20"),
                        TestGateway.simulated(dir, "idle"),
                        TestGateway.simulated(dir, "sluggish", "--sim-load-ms", "5000"),
                        TestGateway.simulated(dir, "broken", "--sim-crash-at-start", "3")));
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void answersAChatCompletionWhole() throws IOException {
        HttpResponse<String> response = gateway.post("/v1/chat/completions", chat("fast", false, 4));

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("object").asText()).isEqualTo("chat.completion");
        assertThat(body.path("choices").get(0).path("message").path("content").asText())
                .isNotEmpty();
    }

    @Test
    void relaysEachStreamedEventBeforeTheAnswerIsComplete() throws IOException {
        HttpResponse<InputStream> response =
                gateway.open(chatRequest(chat("slow", true, 20)).build());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("text/event-stream"));
        try (Streams events = new Streams(response)) {
            assertThat(events.next()).contains("chat.completion.chunk");
            // the engine is still generating: the gateway did not wait for the whole answer
            assertThat(gateway.gateway().status("slow").inFlight()).isEqualTo(1);
            assertThat(events.rest()).hasSizeGreaterThan(1).last().isEqualTo("[DONE]");
        }
    }

    @Test
    void listsModelsInLlamaCppRouterShapeWithTheirState() throws IOException {
        gateway.post("/v1/chat/completions", chat("fast", false, 1));

        JsonNode list = JSON.readTree(gateway.get("/v1/models").body());

        assertThat(list.path("object").asText()).isEqualTo("list");
        JsonNode fast = model(list, "fast");
        assertThat(fast.path("object").asText()).isEqualTo("model");
        assertThat(fast.path("owned_by").asText()).isEqualTo("llamacpp");
        assertThat(fast.path("created").asLong()).isPositive();
        assertThat(fast.path("aliases").isArray()).isTrue();
        assertThat(fast.path("status").path("value").asText()).isEqualTo("loaded");
        assertThat(fast.path("status").has("failed")).isFalse();
        assertThat(model(list, "idle").path("status").path("value").asText()).isEqualTo("unloaded");
    }

    @Test
    void servesTheSameListAtTheRouterPath() throws IOException {
        JsonNode list = JSON.readTree(gateway.get("/models").body());

        assertThat(list.path("data").findValuesAsText("id")).contains("fast", "slow", "idle", "sluggish");
    }

    @Test
    void refusesARequestWithoutAModel() throws IOException {
        HttpResponse<String> response = gateway.post("/v1/chat/completions", "{\"messages\":[]}");

        assertError(response, 400, "invalid_request_error", "model name is missing from the request");
    }

    @Test
    void refusesAnUnknownModel() throws IOException {
        HttpResponse<String> response = gateway.post("/v1/chat/completions", chat("nope", false, 1));

        assertError(response, 404, "not_found_error", "model 'nope' not found");
    }

    @Test
    void refusesMalformedJson() throws IOException {
        HttpResponse<String> response = gateway.post("/v1/chat/completions", "{\"model\": ");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(error(response).path("type").asText()).isEqualTo("invalid_request_error");
        assertThat(error(response).path("message").asText()).startsWith("request body is not valid JSON");
    }

    @Test
    void refusesABodyOverTheLimit() throws IOException {
        String huge = chat("fast", false, 1).replace("hi", "x".repeat(2 * 1024 * 1024));

        HttpResponse<String> response = gateway.post("/v1/chat/completions", huge);

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(error(response).path("code").asInt()).isEqualTo(413);
        assertThat(error(response).path("message").asText()).contains("larger than the limit");
    }

    @Test
    void refusesToLoadImplicitlyWhenAutoloadIsOff() throws IOException {
        HttpResponse<String> response = gateway.post("/v1/chat/completions?autoload=false", chat("idle", false, 1));

        assertError(response, 400, "invalid_request_error", "model is not loaded");
        assertThat(gateway.gateway().status("idle").state()).isEqualTo(ModelState.UNLOADED);
    }

    @Test
    void abortsTheEngineRequestWhenTheClientLeavesMidStream() throws IOException {
        HttpResponse<InputStream> response =
                gateway.open(chatRequest(chat("slow", true, 200)).build());
        try (Streams events = new Streams(response)) {
            assertThat(events.next()).contains("chat.completion.chunk");
        }

        await().atMost(TestGateway.PATIENCE)
                .untilAsserted(() -> assertThat(gateway.journal("slow"))
                        .extracting(JournalEvent::event)
                        .contains(JournalEvent.REQUEST_ABORTED));
    }

    @Test
    void stopsWaitingForAModelWhenTheClientHangsUp() {
        HttpRequest request = chatRequest(chat("sluggish", false, 1))
                .timeout(Duration.ofMillis(500))
                .build();
        try {
            gateway.send(request);
        } catch (RuntimeException expected) {
            // the client gave up waiting
        }

        await().atMost(TestGateway.PATIENCE)
                .untilAsserted(
                        () -> assertThat(gateway.get("/metrics").body())
                                .contains(
                                        "switchboard_requests_total{model=\"sluggish\",route=\"/v1/chat/completions\",status=\"499\"} 1.0"));
        assertThat(gateway.gateway().status("sluggish").state()).isEqualTo(ModelState.STARTING);
    }

    @Test
    void tellsWhenToRetryAModelWhoseStartJustFailed() throws IOException {
        assertThat(gateway.post("/v1/chat/completions", chat("broken", false, 1))
                        .statusCode())
                .isEqualTo(500);

        HttpResponse<String> retry = gateway.post("/v1/chat/completions", chat("broken", false, 1));

        assertThat(retry.statusCode()).isEqualTo(503);
        assertThat(error(retry).path("type").asText()).isEqualTo("unavailable_error");
        assertThat(retry.headers().firstValue("Retry-After")).hasValue("2");
    }

    @Test
    void readsTheModelOfAnAudioUploadFromItsFormField() throws IOException {
        String boundary = "b0undary";
        String form = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.wav\"\r\n"
                + "Content-Type: audio/wav\r\n\r\nRIFF\r\n--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"model\"\r\n\r\nwhisper-x\r\n--" + boundary + "--\r\n";

        HttpResponse<String> response = gateway.send(gateway.request("/v1/audio/transcriptions")
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build());

        assertError(response, 404, "not_found_error", "model 'whisper-x' not found");
    }

    @Test
    void answersAnUnknownRouteInTheErrorShape() throws IOException {
        assertError(gateway.get("/v2/nothing"), 404, "not_found_error", "File Not Found");
    }

    private static String chat(String model, boolean stream, int maxTokens) {
        return "{\"model\":\"" + model + "\",\"stream\":" + stream + ",\"max_tokens\":" + maxTokens
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    }

    private static HttpRequest.Builder chatRequest(String body) {
        return gateway.request("/v1/chat/completions")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    private static JsonNode model(JsonNode list, String id) {
        for (JsonNode model : list.path("data")) {
            if (model.path("id").asText().equals(id)) {
                return model;
            }
        }
        throw new AssertionError("no model '" + id + "' in " + list);
    }

    private static JsonNode error(HttpResponse<String> response) throws IOException {
        return JSON.readTree(response.body()).path("error");
    }

    static void assertError(HttpResponse<String> response, int status, String type, String message) throws IOException {
        assertThat(response.statusCode()).isEqualTo(status);
        JsonNode error = JSON.readTree(response.body()).path("error");
        assertThat(error.path("code").asInt()).isEqualTo(status);
        assertThat(error.path("type").asText()).isEqualTo(type);
        assertThat(error.path("message").asText()).isEqualTo(message);
    }
}
