package dev.switchboard.simulator;

import static org.awaitility.Awaitility.await;

import dev.switchboard.simulator.internal.json.Json;
import dev.switchboard.simulator.internal.json.JsonFields;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A plain HTTP client for talking to a simulator the way the gateway will. */
final class Http {

    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private Http() {}

    static HttpResponse<String> get(int port, String path) {
        return send(request(port, path).GET().build());
    }

    static HttpResponse<String> post(int port, String path, String body) {
        return send(request(port, path)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());
    }

    /** The status of {@code GET path}, or 0 when nothing listens on the port. */
    static int status(int port, String path) {
        try {
            return CLIENT.send(request(port, path).GET().build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (ConnectException e) {
            return 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    static void awaitHealthy(int port) {
        await().atMost(SimulatorProcess.PATIENCE).until(() -> status(port, "/health") == 200);
    }

    static JsonFields json(HttpResponse<String> response) {
        return JsonFields.parse(response.body());
    }

    /** The payloads of a server-sent-events body, parsed as JSON except for {@code [DONE]}. */
    static List<Object> events(HttpResponse<String> response) {
        return payloads(response.body().lines().toList());
    }

    /** The events of a stream that may break off, up to where it broke. */
    static List<Object> eventsUntilCut(int port, String path, String body) {
        HttpRequest request = request(port, path)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        List<String> lines = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                CLIENT.send(request, HttpResponse.BodyHandlers.ofInputStream()).body(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                lines.add(line);
            }
        } catch (IOException e) {
            // the server went away mid-stream: keep what arrived
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        return payloads(lines);
    }

    private static List<Object> payloads(List<String> lines) {
        return lines.stream()
                .filter(line -> line.startsWith("data: "))
                .map(line -> line.substring("data: ".length()))
                .map(payload -> payload.equals("[DONE]") ? payload : Json.parse(payload))
                .toList();
    }

    private static HttpRequest.Builder request(int port, String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30));
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
