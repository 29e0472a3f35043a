package dev.switchboard.app.clients;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.simulator.SimulatedText;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Anthropic's Messages and OpenAI's Responses APIs on every engine (natively where the engine has
 * the route, translated onto chat completions where it has not), OpenAI's model retrieval, and the
 * 404 for a route an engine lacks, all through the gateway's HTTP port.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConversationRoutesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    private ClientsGateway gateway;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void start() throws Exception {
        gateway = ClientsGateway.start(dir);
    }

    @AfterAll
    void stop() {
        http.close();
        gateway.close();
    }

    @Test
    void messagesAreTranslatedForAnEngineWithoutThem() throws Exception {
        HttpResponse<String> response = post(
                "/v1/messages",
                "{\"model\":\"sglang\",\"max_tokens\":5,\"system\":\"be brief\","
                        + "\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"hi\"}]}]}");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode message = JSON.readTree(response.body());
        assertThat(message.path("type").asText()).isEqualTo("message");
        assertThat(message.path("role").asText()).isEqualTo("assistant");
        assertThat(message.path("stop_reason").asText()).isEqualTo("max_tokens");
        assertThat(message.path("content").path(0).path("text").asText())
                .isEqualTo(SimulatedText.text(SimulatedText.chatPrompt(List.of("be brief", "hi")), 5));
        assertThat(message.path("usage").path("output_tokens").asInt()).isEqualTo(5);
    }

    @Test
    void translatedMessagesStreamInAnthropicsEvents() throws Exception {
        HttpResponse<String> response = post(
                "/v1/messages",
                "{\"model\":\"old-vllm\",\"max_tokens\":100,\"stream\":true,"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}");

        assertThat(response.headers().firstValue("content-type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("text/event-stream"));
        List<JsonNode> events = events(response.body());
        assertThat(events.stream().map(e -> e.path("type").asText()).distinct())
                .containsExactly(
                        "message_start",
                        "content_block_start",
                        "content_block_delta",
                        "content_block_stop",
                        "message_delta",
                        "message_stop");
        assertThat(text(events, "content_block_delta", e -> e.path("delta").path("text")))
                .isEqualTo(SimulatedText.text("hello", SimulatedText.NATURAL_LENGTH));
        JsonNode delta = events.stream()
                .filter(e -> e.path("type").asText().equals("message_delta"))
                .findFirst()
                .orElseThrow();
        assertThat(delta.path("delta").path("stop_reason").asText()).isEqualTo("end_turn");
        assertThat(delta.path("usage").path("output_tokens").asInt()).isEqualTo(SimulatedText.NATURAL_LENGTH);
        assertThat(response.body()).contains("event: message_start\n");
    }

    @Test
    void responsesAreTranslatedForAnEngineWithoutThem() throws Exception {
        JsonNode response = JSON.readTree(
                post("/v1/responses", "{\"model\":\"old-vllm\",\"instructions\":\"be brief\",\"input\":\"hi\"}")
                        .body());

        assertThat(response.path("object").asText()).isEqualTo("response");
        assertThat(response.path("status").asText()).isEqualTo("completed");
        assertThat(response.path("output")
                        .path(0)
                        .path("content")
                        .path(0)
                        .path("text")
                        .asText())
                .isEqualTo(SimulatedText.text(
                        SimulatedText.chatPrompt(List.of("be brief", "hi")), SimulatedText.NATURAL_LENGTH));
        assertThat(response.path("usage").path("output_tokens").asInt()).isEqualTo(SimulatedText.NATURAL_LENGTH);
    }

    @Test
    void translatedResponsesStreamInResponsesEvents() throws Exception {
        HttpResponse<String> response =
                post("/v1/responses", "{\"model\":\"old-vllm\",\"input\":\"hello\",\"stream\":true}");

        List<JsonNode> events = events(response.body());
        assertThat(events.stream().map(e -> e.path("type").asText()).distinct())
                .containsExactly(
                        "response.created",
                        "response.in_progress",
                        "response.output_item.added",
                        "response.content_part.added",
                        "response.output_text.delta",
                        "response.output_text.done",
                        "response.content_part.done",
                        "response.output_item.done",
                        "response.completed");
        assertThat(text(events, "response.output_text.delta", e -> e.path("delta")))
                .isEqualTo(SimulatedText.text("hello", SimulatedText.NATURAL_LENGTH));
        assertThat(events.stream().map(e -> e.path("sequence_number").asInt()))
                .isSorted()
                .doesNotHaveDuplicates();
    }

    @Test
    void nativeRoutesAnswerAsTheEngineDoes() throws Exception {
        JsonNode message = JSON.readTree(post(
                        "/v1/messages",
                        "{\"model\":\"vllm\",\"max_tokens\":3,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .body());
        JsonNode response = JSON.readTree(post("/v1/responses", "{\"model\":\"qwen2.5:7b\",\"input\":\"hi\"}")
                .body());

        // the simulated engines' own ids, which a translation would have prefixed again
        assertThat(message.path("id").asText()).startsWith("msg_").doesNotStartWith("msg_msg_");
        assertThat(message.path("content").path(0).path("text").asText()).isEqualTo(SimulatedText.text("hi", 3));
        assertThat(response.path("id").asText()).startsWith("resp_").doesNotStartWith("resp_resp_");
        assertThat(response.path("model").asText()).isEqualTo("llama");
    }

    @Test
    void aRouteTheEngineLacksIsAnOpenAiNotFoundNamingModelAndRoute() throws Exception {
        HttpResponse<String> response =
                post("/v1/audio/speech", "{\"model\":\"vllm\",\"input\":\"hi\",\"voice\":\"a\"}");

        assertThat(response.statusCode()).isEqualTo(404);
        JsonNode error = JSON.readTree(response.body()).path("error");
        assertThat(error.path("message").asText()).isEqualTo("model 'vllm' does not serve POST /v1/audio/speech");
        assertThat(error.path("type").asText()).isEqualTo("not_found_error");
        assertThat(error.path("code").asInt()).isEqualTo(404);
    }

    @Test
    void retrievesAModelByIdOrAliasAndAnswersNotFoundForOthers() throws Exception {
        JsonNode byAlias = JSON.readTree(get("/v1/models/qwen2.5:7b").body());
        HttpResponse<String> unknown = get("/v1/models/nope");

        assertThat(byAlias.path("id").asText()).isEqualTo("llama");
        assertThat(byAlias.path("object").asText()).isEqualTo("model");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(unknown.body()).path("error").path("message").asText())
                .isEqualTo("model 'nope' not found");
    }

    private static String text(
            List<JsonNode> events, String type, java.util.function.Function<JsonNode, JsonNode> piece) {
        return events.stream()
                .filter(e -> e.path("type").asText().equals(type))
                .map(piece)
                .map(JsonNode::asText)
                .reduce("", String::concat);
    }

    private static List<JsonNode> events(String body) {
        return body.lines()
                .filter(line -> line.startsWith("data: "))
                .map(line -> {
                    try {
                        return JSON.readTree(line.substring(6));
                    } catch (IOException e) {
                        throw new AssertionError(line, e);
                    }
                })
                .toList();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(gateway.url() + path))
                        .timeout(Duration.ofSeconds(60))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(gateway.url() + path))
                        .timeout(Duration.ofSeconds(60))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
