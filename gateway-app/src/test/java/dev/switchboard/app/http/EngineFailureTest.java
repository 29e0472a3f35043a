package dev.switchboard.app.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.core.lifecycle.SchedulerConfig;
import dev.switchboard.core.placement.GpuInventory;
import dev.switchboard.core.spi.ModelDescriptor;
import dev.switchboard.simulator.JournalEvent;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Engines that die while answering, and engines that never become ready. */
class EngineFailureTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    static TestGateway gateway;

    @BeforeAll
    static void start() {
        ModelDescriptor hung = TestGateway.simulated(dir, "hung", "--sim-hang");
        gateway = TestGateway.start(
                dir,
                TestGateway.settings(List.of()),
                // no back-off, so the request after a crash restarts the engine at once
                SchedulerConfig.custom().restartBackoff(Duration.ZERO).build(),
                GpuInventory.none(),
                List.of(
                        TestGateway.simulated(dir, "victim", "--sim-tokens-per-second", "20"),
                        TestGateway.simulated(dir, "phoenix"),
                        ModelDescriptor.builder("hung", TestGateway.BACKEND)
                                .options(Map.of("cmd", hung.options().get("cmd"), "startTimeout", "2s"))
                                .build(),
                        ModelDescriptor.builder("dies", TestGateway.BACKEND)
                                .options(Map.of(
                                        "cmd",
                                        "sh -c 'echo loading weights; echo \"fatal: cannot open model file\"; exit 3'"))
                                .build()));
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void endsAStreamWhoseEngineIsKilledWithAnErrorEventAndRestartsTheEngineForTheNextRequest() throws IOException {
        HttpResponse<java.io.InputStream> response = gateway.open(gateway.request("/v1/chat/completions")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"victim\",\"stream\":true,\"max_tokens\":400,"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                .build());
        assertThat(response.statusCode()).isEqualTo(200);
        List<String> lines = new ArrayList<>();
        try (BufferedReader reader =
                new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            int data = 0;
            String line;
            while (data < 3 && (line = reader.readLine()) != null) {
                lines.add(line);
                data += line.startsWith("data: {") ? 1 : 0;
            }
            long pid = enginePid("victim");
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly); // kill -9, mid-stream
            // the rest arrives and the stream ends: readLine would throw on a cut connection
            while ((line = reader.readLine()) != null) {
                lines.add(line);
            }
        }

        List<String> tokens =
                lines.stream().filter(l -> l.startsWith("data: {\"choices")).toList();
        assertThat(tokens).hasSizeGreaterThanOrEqualTo(3);
        List<String> events = lines.stream().filter(l -> !l.isEmpty()).toList();
        assertThat(events.get(events.size() - 2)).isEqualTo("event: error");
        JsonNode error =
                JSON.readTree(events.getLast().substring("data: ".length())).path("error");
        assertThat(error.path("code").asInt()).isEqualTo(502);
        assertThat(error.path("type").asText()).isEqualTo("server_error");
        assertThat(error.path("message").asText()).contains("the engine stopped in the middle of its answer");
        assertThat(lines).noneMatch(l -> l.equals("data: [DONE]"));

        await().atMost(TestGateway.PATIENCE).untilAsserted(() -> {
            // the lifecycle's FAILED state, with the exit code (the router view says "unloaded", failed)
            JsonNode model = adminView("victim");
            assertThat(model.path("state").asText()).isEqualTo("failed");
            assertThat(model.path("failed").asBoolean()).isTrue();
            assertThat(model.path("exitCode").isInt()).isTrue();
            assertThat(model.path("exitCode").asInt()).isNotZero();
        });

        // an answer that had begun is not sent again: no engine was started for it
        assertThat(starts("victim")).isEqualTo(1);
        assertThat(gateway.journal("victim").stream().filter(e -> e.event().equals(JournalEvent.REQUEST)))
                .hasSize(1);

        HttpResponse<String> next = gateway.post(
                "/v1/chat/completions",
                "{\"model\":\"victim\",\"max_tokens\":2,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(next.statusCode()).isEqualTo(200);
        assertThat(gateway.journal("victim").stream().filter(e -> e.event().equals(JournalEvent.START)))
                .hasSize(2);
    }

    @Test
    void restartsAnEngineKilledBetweenRequestsAndServesTheNextRequestAsIfNothingHappened() throws Exception {
        String chat = "{\"model\":\"phoenix\",\"max_tokens\":2,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        assertThat(gateway.post("/v1/chat/completions", chat).statusCode()).isEqualTo(200);
        ProcessHandle engine = ProcessHandle.of(enginePid("phoenix")).orElseThrow();
        ProcessHandle guard = childOfThisJvm(engine);

        // the engine dies while the gateway cannot notice yet (its guard, the process the gateway
        // waits on, is paused): the next request finds a ready model whose engine refuses it
        signal(guard, "STOP");
        engine.destroyForcibly(); // kill -9, while the model is idle and ready
        CompletableFuture<HttpResponse<String>> next =
                CompletableFuture.supplyAsync(() -> gateway.post("/v1/chat/completions", chat));
        Thread.sleep(300);
        signal(guard, "CONT"); // the guard reaps the engine and exits: now the gateway sees the exit

        HttpResponse<String> answer = next.get(TestGateway.PATIENCE.toSeconds(), TimeUnit.SECONDS);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(JSON.readTree(answer.body())
                        .path("choices")
                        .path(0)
                        .path("message")
                        .has("content"))
                .isTrue();
        assertThat(starts("phoenix")).isEqualTo(2);
        assertThat(adminView("phoenix").path("state").asText()).isEqualTo("ready");
    }

    /** The ancestor of {@code process} that this JVM started: an engine's guard. */
    private static ProcessHandle childOfThisJvm(ProcessHandle process) {
        ProcessHandle current = process;
        while (current.parent().orElseThrow().pid() != ProcessHandle.current().pid()) {
            current = current.parent().orElseThrow();
        }
        return current;
    }

    private static void signal(ProcessHandle process, String signal) throws IOException, InterruptedException {
        int code = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid()))
                .inheritIO()
                .start()
                .waitFor();
        assertThat(code).as("kill -" + signal).isZero();
    }

    @Test
    void stopsAnEngineThatIsNotReadyWithinItsStartTimeoutAndAnswersItsWaiters503() throws IOException {
        long started = System.nanoTime();
        HttpResponse<String> response = gateway.post(
                "/v1/chat/completions", "{\"model\":\"hung\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

        assertThat(response.statusCode()).isEqualTo(503);
        JsonNode error = JSON.readTree(response.body()).path("error");
        assertThat(error.path("type").asText()).isEqualTo("unavailable_error");
        assertThat(error.path("message").asText())
                .isEqualTo("model 'hung' failed to start: not ready after 2s (its start timeout); the engine was"
                        + " stopped");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
        long pid = enginePid("hung");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
        assertThat(adminView("hung").path("state").asText()).isEqualTo("failed");
    }

    @Test
    void anEngineThatExitsDuringItsStartFailsItsRequestWithItsExitCodeAndKeepsItsLastWords() throws IOException {
        HttpResponse<String> response = gateway.post(
                "/v1/chat/completions", "{\"model\":\"dies\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(JSON.readTree(response.body()).path("error").path("message").asText())
                .isEqualTo("model 'dies' failed to start: engine exited with code 3");
        JsonNode view = adminView("dies");
        assertThat(view.path("state").asText()).isEqualTo("failed");
        // the output is read in batches: the last lines are there however soon after them the engine exited
        assertThat(view.path("lastLines").toString()).contains("loading weights", "fatal: cannot open model file");
    }

    private static long starts(String model) {
        return gateway.journal(model).stream()
                .filter(e -> e.event().equals(JournalEvent.START))
                .count();
    }

    private static long enginePid(String model) {
        return gateway.journal(model).stream()
                .filter(e -> e.event().equals(JournalEvent.START))
                .reduce((first, second) -> second)
                .orElseThrow()
                .pid();
    }

    private static JsonNode adminView(String model) throws IOException {
        for (JsonNode view : JSON.readTree(gateway.get("/api/models").body())) {
            if (view.path("id").asText().equals(model)) {
                return view;
            }
        }
        throw new AssertionError("no model " + model + " in /api/models");
    }
}
