package dev.switchboard.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.simulator.internal.json.Json;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How a simulated vLLM starts, sleeps, wakes and ends. */
class VllmLifecycleTest {

    private static final Map<String, String> DEV_MODE = Map.of("VLLM_SERVER_DEV_MODE", "1");

    @TempDir
    Path dir;

    private final int port = SimulatorProcess.freePort();
    private SimulatorProcess server;

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void keepsPortClosedUntilModelHasLoaded() {
        Path journal = dir.resolve("journal.jsonl");
        server = start(Map.of(), "--sim-load-ms", "1500", "--sim-record", journal.toString());
        await().atMost(SimulatorProcess.PATIENCE)
                .until(() -> !Journal.read(journal).isEmpty());

        int whileLoading = Http.status(port, "/health");

        assertThat(whileLoading).isZero();
        Http.awaitHealthy(port);
    }

    @Test
    void givesGpuMemoryBackWhileAsleepWithSleepMode() {
        Path ledger = Ledgers.h100s(dir, 1, 480);
        server = start(DEV_MODE, "--enable-sleep-mode", "--sim-ledger", ledger.toString());
        Http.awaitHealthy(port);
        long awake = Ledgers.usedMib(ledger)[0];

        Http.post(port, "/sleep?level=1", "");
        long asleep = Ledgers.usedMib(ledger)[0];
        boolean sleeping = Http.json(Http.get(port, "/is_sleeping")).flag("is_sleeping");
        Http.post(port, "/wake_up", "");

        assertThat(awake).isEqualTo((long) Math.floor(Ledgers.H100_MIB * 0.9));
        assertThat(asleep).isZero();
        assertThat(sleeping).isTrue();
        assertThat(Ledgers.usedMib(ledger)[0]).isEqualTo(awake);
        assertThat(Http.json(Http.get(port, "/is_sleeping")).flag("is_sleeping"))
                .isFalse();
    }

    @Test
    void keepsGpuMemoryWhileAsleepWithoutSleepMode() {
        Path ledger = Ledgers.h100s(dir, 1, 480);
        server = start(DEV_MODE, "--sim-ledger", ledger.toString());
        Http.awaitHealthy(port);

        Http.post(port, "/sleep", "");

        assertThat(Ledgers.usedMib(ledger)[0]).isPositive();
    }

    @Test
    void offersNoSleepEndpointsOutsideDevMode() {
        server = start(Map.of(), "--enable-sleep-mode");
        Http.awaitHealthy(port);

        assertThat(Http.post(port, "/sleep", "").statusCode()).isEqualTo(404);
    }

    @Test
    void diesWhenAskedToGenerateWhileAsleep() {
        server = start(DEV_MODE, "--enable-sleep-mode");
        Http.awaitHealthy(port);
        Http.post(port, "/sleep", "");

        int status = Http.post(port, "/v1/completions", Json.write(Json.object("prompt", "hi")))
                .statusCode();

        assertThat(status).isEqualTo(500);
        assertThat(server.awaitExit()).isEqualTo(1);
    }

    @Test
    void outlivesTheEndOfStdin() {
        server = start(Map.of());
        Http.awaitHealthy(port);

        server.closeStdin();

        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(server::isAlive);
    }

    @Test
    void exitsWithStatusZeroOnSigterm() {
        Path journal = dir.resolve("journal.jsonl");
        server = start(Map.of(), "--sim-record", journal.toString());
        Http.awaitHealthy(port);

        server.terminate();

        assertThat(server.awaitExit()).isZero();
        assertThat(Journal.read(journal).getLast().number("code")).hasValue(0);
    }

    private SimulatorProcess start(Map<String, String> env, String... extra) {
        List<String> args =
                new ArrayList<>(List.of("serve", "Qwen/X", "--port", Integer.toString(port), "--sim-load-ms", "0"));
        args.addAll(List.of(extra));
        return SimulatorProcess.start(env, args.toArray(String[]::new));
    }
}
