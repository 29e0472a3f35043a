package dev.switchboard.app.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.core.Gateway;
import dev.switchboard.core.GatewayConfig;
import dev.switchboard.core.lifecycle.SchedulerConfig;
import dev.switchboard.core.resilience.ResilienceConfig;
import dev.switchboard.core.spi.BackendConfig;
import dev.switchboard.core.spi.ModelDescriptor;
import dev.switchboard.simulator.Journal;
import dev.switchboard.simulator.JournalEvent;
import dev.switchboard.simulator.SimulatorCommand;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The circuit breaker as a client and an operator see it, through HTTP: an engine that crashes at
 * every start opens its model's breaker after the configured failures (requests waiting on one start
 * count once), requests then get 503 with {@code Retry-After} and spawn nothing, after the wait one
 * probe goes through, and a healthy probe closes it; each move is on {@code /api/events}, and
 * {@code /metrics} has the state.
 */
class CircuitBreakerRoutesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CHAT =
            "{\"model\":\"flaky\",\"max_tokens\":2,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    @TempDir
    Path dir;

    private Gateway gateway;
    private GatewayServer server;
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(Duration.ofSeconds(2));
        }
        if (gateway != null) {
            gateway.close();
        }
        http.close();
    }

    @Test
    void anEngineCrashingAtStartOpensTheBreakerAndAHealthyProbeClosesIt() throws Exception {
        Path crash = Files.createFile(dir.resolve("crash"));
        Path journal = dir.resolve("journal.jsonl");
        start(crash, journal);
        List<String> circuitEvents = new CopyOnWriteArrayList<>();
        Thread.ofVirtual().start(() -> follow("/api/events", circuitEvents));
        await().atMost(TestGateway.PATIENCE).until(() -> server.port() > 0);

        // four requests wait on one start, which fails: the breaker counts it once
        List<CompletableFuture<HttpResponse<String>>> waiting = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            waiting.add(http.sendAsync(chat(), HttpResponse.BodyHandlers.ofString()));
        }
        for (CompletableFuture<HttpResponse<String>> reply : waiting) {
            assertThat(reply.join().statusCode()).isEqualTo(500);
        }
        assertThat(metrics()).contains("switchboard_model_circuit_state{model=\"flaky\",state=\"closed\"} 1.0");

        // the second failed start opens it (the manager's short back-off may refuse a try first)
        await().atMost(TestGateway.PATIENCE)
                .until(() -> send(chat()).statusCode() == 503 && metrics().contains("state=\"open\"} 1.0"));
        HttpResponse<String> refused = send(chat());
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        assertThat(JSON.readTree(refused.body()).path("error").path("message").asText())
                .contains("failing repeatedly");
        assertThat(startsIn(journal)).as("an open breaker spawns nothing").isZero();

        Files.delete(crash); // the engine is healthy again: after the wait, one probe starts it
        await().atMost(TestGateway.PATIENCE).until(() -> send(chat()).statusCode() == 200);
        assertThat(startsIn(journal)).isEqualTo(1);
        assertThat(metrics()).contains("switchboard_model_circuit_state{model=\"flaky\",state=\"closed\"} 1.0");
        await().atMost(TestGateway.PATIENCE)
                .untilAsserted(() -> assertThat(circuitEvents).containsExactly("open", "half_open", "closed"));
    }

    /** An engine that exits with code 3 at start while the file {@code crashFlag} exists. */
    private void start(Path crashFlag, Path journal) {
        Path launcher = SimulatorCommand.writeLauncher(dir.resolve("llama-server"));
        String cmd = SimulatorCommand.refusingWhile(
                crashFlag,
                launcher,
                "-m /models/flaky.gguf --port ${PORT} --alias flaky --sim-load-ms 50 --sim-record " + journal);
        ModelDescriptor flaky = ModelDescriptor.builder("flaky", "sim")
                .options(Map.of("cmd", cmd))
                .build();
        ResilienceConfig resilience = ResilienceConfig.custom()
                .slidingWindowSize(2)
                .minimumNumberOfCalls(2)
                .failureRateThreshold(50)
                .waitInOpenState(Duration.ofSeconds(1))
                .permittedCallsInHalfOpenState(1)
                .build();
        gateway = Gateway.builder()
                .config(new GatewayConfig(
                        SchedulerConfig.custom()
                                .restartBackoff(Duration.ofMillis(1))
                                .build(),
                        List.of(BackendConfig.of("sim", "command", Map.of())),
                        List.of(flaky),
                        resilience))
                .shutdownHook(false)
                .build();
        server = GatewayServer.start(gateway, TestGateway.settings(List.of()));
    }

    private HttpRequest chat() {
        return HttpRequest.newBuilder(uri("/v1/chat/completions"))
                .timeout(TestGateway.PATIENCE)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(CHAT))
                .build();
    }

    private HttpResponse<String> send(HttpRequest request) {
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).join();
    }

    private String metrics() {
        return send(HttpRequest.newBuilder(uri("/metrics")).build()).body();
    }

    /** The model's circuit moves on {@code /api/events}, in order. */
    private void follow(String path, List<String> circuitEvents) {
        HttpRequest request = HttpRequest.newBuilder(uri(path)).build();
        HttpResponse<InputStream> response = http.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream())
                .join();
        try (Streams events = new Streams(response)) {
            for (String data = events.next(); data != null; data = events.next()) {
                JsonNode event = JSON.readTree(data);
                if (event.path("type").asText().equals("circuit")) {
                    circuitEvents.add(event.path("to").asText());
                }
            }
        } catch (Exception e) {
            // the server stopped
        }
    }

    private static long startsIn(Path journal) {
        return Files.exists(journal)
                ? Journal.read(journal).stream()
                        .filter(e -> e.event().equals(JournalEvent.START))
                        .count()
                : 0;
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }
}
