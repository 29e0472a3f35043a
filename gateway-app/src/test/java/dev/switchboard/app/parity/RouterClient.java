package dev.switchboard.app.parity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What a llama.cpp router client does, over real HTTP (the JDK client) to a gateway on loopback:
 * requests, {@code GET /models} lookups, streamed chats and the model event stream.
 */
public final class RouterClient implements AutoCloseable {
    /** How long a request, or a test waiting for something that should happen, may take. */
    public static final Duration PATIENCE = Duration.ofSeconds(30);

    /** Tokens a {@link #busyChat} asks for; at the simulators' speed they take ~1.5 s. */
    private static final int BUSY_TOKENS = 150;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final int port;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    public RouterClient(int port) {
        this.port = port;
    }

    /** An HTTP answer: its status and its body as JSON ({@code null} when the body is not JSON). */
    public record Reply(int status, JsonNode body) {
        /** The {@code error.message} of an error body. */
        public String errorMessage() {
            return body.path("error").path("message").asText();
        }

        public String errorType() {
            return body.path("error").path("type").asText();
        }
    }

    /** A chat completion request for {@code model}, asking for {@code maxTokens} tokens. */
    public static String chat(String model, int maxTokens) {
        return chat(model, maxTokens, "");
    }

    /**
     * The same with more fields.
     *
     * @param fields JSON members, each followed by a comma: {@code "stream":true,}
     */
    public static String chat(String model, int maxTokens, String fields) {
        return "{" + fields + "\"model\":\"" + model + "\",\"max_tokens\":" + maxTokens
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}";
    }

    /**
     * A chat completion request that keeps {@code model}'s engine busy for a while: the simulated
     * answer runs to its {@code max_tokens} instead of stopping after a few words.
     */
    public static String busyChat(String model) {
        return chat(model, BUSY_TOKENS, "\"ignore_eos\":true,");
    }

    public Reply get(String path, String... headers) {
        return reply(send(request(path, headers).GET().build(), HttpResponse.BodyHandlers.ofString()));
    }

    public Reply post(String path, String json, String... headers) {
        return reply(send(post(request(path, headers), json), HttpResponse.BodyHandlers.ofString()));
    }

    /** Sends a POST in the background. */
    public CompletableFuture<Reply> postAsync(String path, String json) {
        return http.sendAsync(post(request(path), json), HttpResponse.BodyHandlers.ofString())
                .thenApply(RouterClient::reply);
    }

    /** A GET whose client hangs up if no answer has begun after {@code patience}. */
    public CompletableFuture<Reply> getGivingUpAfter(Duration patience, String path) {
        return http.sendAsync(request(path).timeout(patience).GET().build(), HttpResponse.BodyHandlers.ofString())
                .thenApply(RouterClient::reply);
    }

    /** A POST whose client hangs up if no answer has begun after {@code patience}. */
    public CompletableFuture<Reply> postGivingUpAfter(Duration patience, String path, String json) {
        return http.sendAsync(post(request(path).timeout(patience), json), HttpResponse.BodyHandlers.ofString())
                .thenApply(RouterClient::reply);
    }

    /** A streamed chat completion: the {@code data:} events up to {@code [DONE]}, as JSON. */
    public List<JsonNode> streamChat(String model) {
        HttpResponse<InputStream> response = send(
                post(request("/v1/chat/completions"), chat(model, 8, "\"stream\":true,")),
                HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("status " + response.statusCode());
        }
        try (BufferedReader reader = lines(response)) {
            List<JsonNode> events = new ArrayList<>();
            for (String line = reader.readLine();
                    line != null && !line.equals("data: [DONE]");
                    line = reader.readLine()) {
                if (line.startsWith("data: ")) {
                    events.add(JSON.readTree(line.substring("data: ".length())));
                }
            }
            return events;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Opens {@code GET /models/sse}; the caller reads its lines and closes it. */
    public BufferedReader openModelEvents() {
        return lines(send(request("/models/sse").GET().build(), HttpResponse.BodyHandlers.ofInputStream()));
    }

    /** Opens {@code GET /api/events}; the caller reads its lines and closes it. */
    BufferedReader openAdminEvents() {
        return lines(send(request("/api/events").GET().build(), HttpResponse.BodyHandlers.ofInputStream()));
    }

    /** Loads the model with {@code POST /models/load} and waits until {@code GET /models} says it is loaded. */
    public void loadAndWait(String model, String... headers) {
        Reply load = post("/models/load", "{\"model\":\"" + model + "\"}", headers);
        assertThat(load.status()).as("load %s: %s", model, load.body()).isEqualTo(200);
        assertThat(load.body().path("success").asBoolean()).isTrue();
        await().atMost(PATIENCE).until(() -> status(model, headers).equals("loaded"));
    }

    /** The ids {@code GET /models} lists ({@code ?reload=1} when asked). */
    public List<String> modelIds(boolean reload) {
        return get(reload ? "/models?reload=1" : "/models")
                .body()
                .path("data")
                .valueStream()
                .map(model -> model.path("id").asText())
                .toList();
    }

    /** {@code status.value} of the model in {@code GET /models}. */
    public String status(String model, String... headers) {
        return modelEntry(model, headers).path("status").path("value").asText();
    }

    /** The model's entry in {@code GET /models}. */
    public JsonNode modelEntry(String model, String... headers) {
        return get("/models", headers)
                .body()
                .path("data")
                .valueStream()
                .filter(m -> m.path("id").asText().equals(model))
                .findFirst()
                .orElseThrow(() -> new AssertionError("GET /models does not list " + model));
    }

    /** Requests waiting for their model now, from the gateway's Prometheus gauge. */
    public int waitingRequests() {
        String metrics = send(request("/metrics").GET().build(), HttpResponse.BodyHandlers.ofString())
                .body();
        return metrics.lines()
                .filter(line -> line.startsWith("switchboard_requests_waiting "))
                .map(line -> (int) Double.parseDouble(line.substring(line.indexOf(' ') + 1)))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no switchboard_requests_waiting in /metrics"));
    }

    private HttpRequest.Builder request(String path, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(PATIENCE);
        return headers.length == 0 ? request : request.headers(headers);
    }

    private static HttpRequest post(HttpRequest.Builder request, String json) {
        return request.header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build();
    }

    private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> body) {
        try {
            return http.send(request, body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static BufferedReader lines(HttpResponse<InputStream> response) {
        return new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
    }

    private static Reply reply(HttpResponse<String> response) {
        JsonNode body;
        try {
            body = JSON.readTree(response.body());
        } catch (IOException e) {
            body = null;
        }
        return new Reply(response.statusCode(), body);
    }

    @Override
    public void close() {
        http.close();
    }
}
