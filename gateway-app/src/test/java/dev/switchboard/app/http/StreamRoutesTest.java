package dev.switchboard.app.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.core.lifecycle.ModelState;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Resumable stream sessions ({@code X-Conversation-Id}, {@code /v1/stream}) as llama.cpp's test_stream.py checks them. */
class StreamRoutesTest {
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
                        TestGateway.simulated(dir, "loading-a", "--sim-load-ms", "3000"),
                        TestGateway.simulated(dir, "loading-b", "--sim-load-ms", "3000")));
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void replaysAFinishedStreamFromAnyOffsetAndAStopEvictsIt() {
        String id = "conv-1::fast";
        HttpResponse<String> streamed = gateway.send(chat("fast", id, 8));
        assertThat(streamed.statusCode()).isEqualTo(200);
        assertThat(streamed.body()).contains("data: ").contains("[DONE]");

        HttpResponse<String> replay = gateway.get("/v1/stream?" + query(id) + "&from=0");
        assertThat(replay.statusCode()).isEqualTo(200);
        assertThat(replay.headers().firstValue("content-type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("text/event-stream"));
        assertThat(replay.body()).isEqualTo(streamed.body());
        assertThat(gateway.get("/v1/stream?" + query(id) + "&from=10").body())
                .isEqualTo(streamed.body().substring(10));

        HttpResponse<String> stop =
                gateway.send(gateway.request("/v1/stream?" + query(id)).DELETE().build());
        assertThat(stop.statusCode()).isEqualTo(204);
        assertError(gateway.get("/v1/stream?" + query(id) + "&from=0"), 404, "Stream not found or expired");
    }

    @Test
    void answersBadRequestsInTheOpenAiShape() {
        assertError(gateway.get("/v1/stream"), 400, "Missing conversation id in path");
        gateway.send(chat("fast", "conv-bad", 2));
        assertError(gateway.get("/v1/stream?conv_id=conv-bad&from=x"), 400, "Invalid 'from' offset");
        assertThat(gateway.send(gateway.request("/v1/stream?conv_id=unknown")
                                .DELETE()
                                .build())
                        .statusCode())
                .isEqualTo(204);
    }

    @Test
    void aClientThatLeavesDuringTheLoadCanResumeTheWholeAnswer() throws Exception {
        String id = "conv-reload::loading-a";
        String body = "{\"model\":\"loading-a\",\"stream\":true,\"max_tokens\":8,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        try (Socket socket = new Socket("127.0.0.1", gateway.server().port())) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                            + "X-Conversation-Id: " + id + "\r\nContent-Length: " + body.length()
                            + "\r\nConnection: close\r\n\r\n" + body)
                    .getBytes(StandardCharsets.UTF_8));
            out.flush();
            await().atMost(TestGateway.PATIENCE)
                    .until(() -> gateway.gateway().status("loading-a").state() == ModelState.STARTING);
        } // the client is gone, like a page reload

        assertError(
                gateway.get("/v1/stream?" + query(id) + "&from=0"), 503, "Stream owner model is loading, retry later");
        await().atMost(TestGateway.PATIENCE).untilAsserted(() -> {
            HttpResponse<String> replay = gateway.get("/v1/stream?" + query(id) + "&from=0");
            assertThat(replay.statusCode()).isEqualTo(200);
            assertThat(replay.body()).contains("data: ").endsWith("data: [DONE]\n\n");
        });
    }

    @Test
    void aStopDuringTheLoadCancelsTheWaitingRequest() {
        String id = "conv-stop::loading-b";
        AtomicBoolean sent = new AtomicBoolean();
        CompletableFuture<HttpResponse<String>> waiting = CompletableFuture.supplyAsync(() -> {
            sent.set(true);
            return gateway.send(chat("loading-b", id, 512));
        });
        await().atMost(TestGateway.PATIENCE)
                .until(() -> sent.get() && gateway.gateway().status("loading-b").state() == ModelState.STARTING);

        assertThat(gateway.send(gateway.request("/v1/stream?" + query(id))
                                .DELETE()
                                .build())
                        .statusCode())
                .isEqualTo(204);

        HttpResponse<String> cancelled =
                waiting.orTimeout(60, java.util.concurrent.TimeUnit.SECONDS).join();
        assertError(cancelled, 400, "request cancelled by a stop while the model was loading");
        assertError(gateway.get("/v1/stream?" + query(id) + "&from=0"), 404, "Stream not found or expired");
    }

    @Test
    void looksUpOnlyTheSessionsAskedAbout() throws IOException {
        gateway.send(chat("fast", "conv-look::fast", 2));
        gateway.send(chat("fast", "conv-other", 2));

        JsonNode found = JSON.readTree(gateway.post("/v1/streams/lookup", "{\"conversation_ids\":[\"conv-look\"]}")
                .body());
        assertThat(found).hasSize(1);
        assertThat(found.get(0).path("conversation_id").asText()).isEqualTo("conv-look::fast");
        assertThat(found.get(0).path("is_done").asBoolean()).isTrue();
        assertThat(found.get(0).path("total_bytes").asLong()).isPositive();
    }

    private static HttpRequest chat(String model, String conversation, int maxTokens) {
        return gateway.request("/v1/chat/completions")
                .header("Content-Type", "application/json")
                .header("X-Conversation-Id", conversation)
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"" + model + "\",\"stream\":true,\"max_tokens\":"
                        + maxTokens + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                .build();
    }

    private static String query(String id) {
        return "conv_id=" + URLEncoder.encode(id, StandardCharsets.UTF_8);
    }

    private static void assertError(HttpResponse<String> response, int status, String message) {
        assertThat(response.statusCode()).isEqualTo(status);
        try {
            assertThat(JSON.readTree(response.body())
                            .path("error")
                            .path("message")
                            .asText())
                    .isEqualTo(message);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
