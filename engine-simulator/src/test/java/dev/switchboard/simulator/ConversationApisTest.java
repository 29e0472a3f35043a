package dev.switchboard.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.simulator.internal.json.JsonFields;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The routes vLLM and llama-server serve besides chat: OpenAI's Responses API, Anthropic's Messages API, and base64
 * embeddings (the OpenAI SDKs' default encoding), on a simulated vLLM.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConversationApisTest {

    private SimulatorProcess server;
    private int port;

    @BeforeAll
    void start() {
        port = SimulatorProcess.freePort();
        server = SimulatorProcess.start(
                "serve", "Qwen/Qwen2.5-7B-Instruct",
                "--served-model-name", "qwen",
                "--port", Integer.toString(port),
                "--sim-load-ms", "0",
                "--sim-tokens-per-second", "0");
        Http.awaitHealthy(port);
    }

    @AfterAll
    void stop() {
        server.close();
    }

    @Test
    void base64EmbeddingsDecodeToTheFloatVector() {
        JsonFields datum = Http.json(Http.post(
                        port, "/v1/embeddings", "{\"model\":\"qwen\",\"input\":\"hi\",\"encoding_format\":\"base64\"}"))
                .objects("data")
                .getFirst();

        ByteBuffer bytes = ByteBuffer.wrap(
                        Base64.getDecoder().decode(datum.string("embedding").orElseThrow()))
                .order(ByteOrder.LITTLE_ENDIAN);
        float[] vector = new float[bytes.remaining() / Float.BYTES];
        bytes.asFloatBuffer().get(vector);
        assertThat(vector).containsExactly(SimulatedText.embedding("hi"));
    }

    @Test
    void responsesAnswerWithOneOutputTextMessage() {
        JsonFields response =
                Http.json(Http.post(port, "/v1/responses", "{\"model\":\"qwen\",\"input\":\"hello there\"}"));

        assertThat(response.string("object")).hasValue("response");
        assertThat(response.string("status")).hasValue("completed");
        JsonFields part =
                response.objects("output").getFirst().objects("content").getFirst();
        assertThat(part.string("type")).hasValue("output_text");
        assertThat(part.string("text")).hasValue(SimulatedText.text("hello there", SimulatedText.NATURAL_LENGTH));
        assertThat(response.object("usage").orElseThrow().integer("output_tokens"))
                .hasValue(SimulatedText.NATURAL_LENGTH);
    }

    @Test
    void responsesStreamNamedEventsEndingInCompleted() {
        HttpResponse<String> response =
                Http.post(port, "/v1/responses", "{\"model\":\"qwen\",\"input\":\"hello\",\"stream\":true}");

        List<String> names = response.body()
                .lines()
                .filter(line -> line.startsWith("event: "))
                .map(line -> line.substring(7))
                .distinct()
                .toList();
        assertThat(names)
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
        String text = Http.events(response).stream()
                .map(JsonFields::of)
                .filter(event -> event.string("type").orElse("").equals("response.output_text.delta"))
                .map(event -> event.string("delta").orElseThrow())
                .reduce("", String::concat);
        assertThat(text).isEqualTo(SimulatedText.text("hello", SimulatedText.NATURAL_LENGTH));
    }

    @Test
    void messagesAnswerAsAnthropicWithSystemInThePrompt() {
        JsonFields message = Http.json(Http.post(
                port,
                "/v1/messages",
                "{\"model\":\"qwen\",\"max_tokens\":4,\"system\":\"be brief\","
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"));

        assertThat(message.string("type")).hasValue("message");
        assertThat(message.string("stop_reason")).hasValue("max_tokens");
        assertThat(message.objects("content").getFirst().string("text"))
                .hasValue(SimulatedText.text(SimulatedText.chatPrompt(List.of("be brief", "hi")), 4));
    }

    @Test
    void messagesStreamInAnthropicsEventOrder() {
        HttpResponse<String> response = Http.post(
                port,
                "/v1/messages",
                "{\"model\":\"qwen\",\"max_tokens\":64,\"stream\":true,"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

        List<String> types = Http.events(response).stream()
                .map(event -> JsonFields.of(event).string("type").orElseThrow())
                .distinct()
                .toList();
        assertThat(types)
                .containsExactly(
                        "message_start",
                        "content_block_start",
                        "content_block_delta",
                        "content_block_stop",
                        "message_delta",
                        "message_stop");
        assertThat(response.body()).startsWith("event: message_start\ndata: ");
    }
}
