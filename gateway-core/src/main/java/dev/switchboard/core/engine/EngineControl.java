package dev.switchboard.core.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.core.forward.HttpClients;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The control calls a warm tier makes to a local engine: POSTs that must answer 2xx, reads of a
 * status endpoint, and polling until the engine reports the state asked for. Every call and every
 * wait is bounded by one timeout. Thread-safe.
 */
public final class EngineControl implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration POLL = Duration.ofMillis(50);

    private final CompletableFuture<HttpClient> http;
    private final Duration timeout;

    /** @param timeout the bound of each call and of each {@link #await} */
    public EngineControl(Duration timeout) {
        this.http = HttpClients.buildInBackground(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)));
        this.timeout = timeout;
    }

    /**
     * Sends a POST, with a JSON body when {@code json} is not empty.
     *
     * @throws IOException when the engine cannot be reached or does not answer 2xx
     */
    public void post(URI engine, String pathAndQuery, String json) throws IOException, InterruptedException {
        HttpRequest.Builder request = request(engine, pathAndQuery);
        if (json.isEmpty()) {
            request.POST(HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        }
        send(request.build());
    }

    /** The HTTP status a GET of the path answers with. */
    public int status(URI engine, String path) throws IOException, InterruptedException {
        return http.join()
                .send(request(engine, path).GET().build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    /**
     * A boolean field of the JSON object a GET of the path answers with.
     *
     * @throws IOException when the answer is not 2xx or has no such boolean field
     */
    public boolean booleanField(URI engine, String path, String field) throws IOException, InterruptedException {
        String body = send(request(engine, path).GET().build());
        JsonNode value = JSON.readTree(body).path(field);
        if (!value.isBoolean()) {
            throw new IOException("GET " + path + " answered without a boolean '" + field + "': " + body);
        }
        return value.booleanValue();
    }

    /**
     * Polls until the condition holds.
     *
     * @param what what is awaited, for the error message
     * @throws IOException when it does not hold within the timeout, or a poll fails
     */
    public void await(Condition condition, String what) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                throw new IOException("gave up after " + timeout.toSeconds() + "s waiting for " + what);
            }
            Thread.sleep(POLL);
        }
    }

    @Override
    public void close() {
        http.thenAccept(HttpClient::close);
    }

    private HttpRequest.Builder request(URI engine, String pathAndQuery) {
        return HttpRequest.newBuilder(engine.resolve(pathAndQuery)).timeout(timeout);
    }

    private String send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> response = http.join().send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IOException(request.method() + " " + request.uri() + " answered " + response.statusCode() + ": "
                    + response.body());
        }
        return response.body();
    }

    /** A state the engine is polled for. */
    @FunctionalInterface
    public interface Condition {
        boolean holds() throws IOException, InterruptedException;
    }
}
