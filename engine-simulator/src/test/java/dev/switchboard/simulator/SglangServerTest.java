package dev.switchboard.simulator;

import static dev.switchboard.simulator.internal.json.Json.array;
import static dev.switchboard.simulator.internal.json.Json.object;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.simulator.internal.json.Json;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A simulated {@code python -m sglang.launch_server}. */
class SglangServerTest {

    @TempDir
    Path dir;

    private final int port = SimulatorProcess.freePort();
    private SimulatorProcess server;

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void reportsUnhealthyUntilWarmUpIsDone() {
        // 8 warm-up tokens at 10 per second keep /health at 503 for 800 ms once the port is open
        server = start("--sim-tokens-per-second", "10");
        await().atMost(SimulatorProcess.PATIENCE)
                .pollInterval(Duration.ofMillis(20))
                .until(() -> Http.status(port, "/health") != 0);

        int first = Http.status(port, "/health");

        assertThat(first).isEqualTo(503);
        Http.awaitHealthy(port);
    }

    @Test
    void exportsItsTokenUsageWithEnableMetrics() {
        server = start("--enable-metrics", "--sim-kv-cache-percent", "40");
        Http.awaitHealthy(port);

        HttpResponse<String> metrics = Http.get(port, "/metrics");

        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("sglang:token_usage{model_name=\"Qwen/Qwen2.5-7B-Instruct\"} 0.4\n");
    }

    @Test
    void servesNoMetricsWithoutEnableMetrics() {
        server = start();
        Http.awaitHealthy(port);

        assertThat(Http.status(port, "/metrics")).isEqualTo(404);
    }

    @Test
    void namesModelAsTheRequestDid() {
        server = start();
        Http.awaitHealthy(port);

        String body = Json.write(object(
                "model", "default", "messages", array(object("role", "user", "content", "hi")), "max_tokens", 1));

        assertThat(Http.json(Http.post(port, "/v1/chat/completions", body)).string("model"))
                .hasValue("default");
    }

    @Test
    void releasesAndResumesGpuMemoryWithMemorySaver() {
        Path ledger = Ledgers.h100s(dir, 2, 480);
        server = start("--enable-memory-saver", "--sim-ledger", ledger.toString(), "--base-gpu-id", "1");
        Http.awaitHealthy(port);
        long loaded = Ledgers.usedMib(ledger)[1];

        Http.post(port, "/release_memory_occupation", "{}");
        long released = Ledgers.usedMib(ledger)[1];
        Http.post(port, "/resume_memory_occupation", "{}");

        assertThat(loaded).isEqualTo((long) Math.floor(Ledgers.H100_MIB * 0.88));
        assertThat(released).isZero();
        assertThat(Ledgers.usedMib(ledger)).containsExactly(0, loaded);
    }

    @Test
    void keepsGpuMemoryOnReleaseWithoutMemorySaver() {
        Path ledger = Ledgers.h100s(dir, 1, 480);
        server = start("--sim-ledger", ledger.toString(), "--mem-fraction-static", "0.5");
        Http.awaitHealthy(port);

        Http.post(port, "/release_memory_occupation", "{}");

        assertThat(Ledgers.usedMib(ledger)[0]).isEqualTo(Ledgers.H100_MIB / 2);
    }

    private SimulatorProcess start(String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "-m",
                "sglang.launch_server",
                "--model-path",
                "Qwen/Qwen2.5-7B-Instruct",
                "--port",
                Integer.toString(port),
                "--sim-load-ms",
                "0"));
        args.addAll(List.of(extra));
        return SimulatorProcess.start(args.toArray(String[]::new));
    }
}
