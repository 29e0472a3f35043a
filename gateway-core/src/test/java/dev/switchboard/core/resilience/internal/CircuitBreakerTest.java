package dev.switchboard.core.resilience.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.core.Gateway;
import dev.switchboard.core.GatewayConfig;
import dev.switchboard.core.GatewayException;
import dev.switchboard.core.event.GatewayEvent;
import dev.switchboard.core.forward.ProxyRequest;
import dev.switchboard.core.forward.RequestBody;
import dev.switchboard.core.lifecycle.Lease;
import dev.switchboard.core.lifecycle.ModelState;
import dev.switchboard.core.lifecycle.SchedulerConfig;
import dev.switchboard.core.resilience.ResilienceConfig;
import dev.switchboard.core.spi.BackendConfig;
import dev.switchboard.core.spi.ModelDescriptor;
import dev.switchboard.core.testing.CollectingSink;
import dev.switchboard.simulator.Journal;
import dev.switchboard.simulator.JournalEvent;
import dev.switchboard.simulator.SimulatorCommand;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model's circuit breaker as its contract says, with real engine processes: one failed start
 * counts once however many requests waited on it; an open breaker rejects without spawning; after
 * its wait one probe goes through, and a healthy probe closes it.
 */
class CircuitBreakerTest {
    @TempDir
    Path dir;

    private Gateway gateway;
    private final List<GatewayEvent.CircuitChanged> transitions = new CopyOnWriteArrayList<>();
    private final AtomicInteger spawns = new AtomicInteger();

    @AfterEach
    void close() {
        if (gateway != null) {
            gateway.close();
        }
    }

    /** An engine that exits with code 3 at start while the file {@code crash} exists. */
    private Gateway start(Path crashFlag, Path journal) throws Exception {
        Path launcher = SimulatorCommand.writeLauncher(dir.resolve("llama-server"));
        String cmd = SimulatorCommand.refusingWhile(
                crashFlag,
                launcher,
                "-m /models/flaky.gguf --port ${PORT} --alias flaky --sim-load-ms 50 --sim-record " + journal);
        ModelDescriptor flaky = ModelDescriptor.builder("flaky", "sim")
                .options(Map.of("cmd", cmd))
                .build();
        SchedulerConfig scheduler =
                SchedulerConfig.custom().restartBackoff(Duration.ofMillis(1)).build();
        ResilienceConfig resilience = ResilienceConfig.custom()
                .slidingWindowSize(2)
                .minimumNumberOfCalls(2)
                .failureRateThreshold(50)
                .waitInOpenState(Duration.ofSeconds(1))
                .permittedCallsInHalfOpenState(1)
                .build();
        gateway = Gateway.builder()
                .config(new GatewayConfig(
                        scheduler, List.of(BackendConfig.of("sim", "command", Map.of())), List.of(flaky), resilience))
                .shutdownHook(false)
                .build();
        gateway.subscribe(event -> {
            if (event instanceof GatewayEvent.CircuitChanged change) {
                transitions.add(change);
            } else if (event instanceof GatewayEvent.StateChanged change && change.to() == ModelState.STARTING) {
                spawns.incrementAndGet();
            }
        });
        return gateway;
    }

    private static GatewayException failure(CompletableFuture<?> future) {
        try {
            future.join();
        } catch (CompletionException e) {
            return (GatewayException) e.getCause();
        }
        throw new AssertionError("expected the request to fail");
    }

    /** Fails a request on a failed start, retrying while the manager's short back-off rejects it. */
    private GatewayException failedStart() {
        return await().atMost(Duration.ofSeconds(10))
                .until(() -> failure(gateway.acquire("flaky", true)), e -> e.status() == 500);
    }

    /** The half-open probe's lease, once the breaker lets one through (its open wait over, its permission free). */
    private Lease probe() {
        return await().atMost(Duration.ofSeconds(10))
                .until(
                        () -> gateway.acquire("flaky", true)
                                .handle((lease, error) -> lease)
                                .join(),
                        l -> l != null);
    }

    @Test
    void aProbeWhoseClientLeftBeforeItsRequestWasForwardedGivesItsPermissionBack() throws Exception {
        Path crash = Files.createFile(dir.resolve("crash"));
        start(crash, dir.resolve("journal.jsonl"));
        failedStart();
        failedStart();
        assertThat(gateway.circuitState("flaky")).isEqualTo(State.OPEN);
        Files.delete(crash);

        Lease probe = probe();
        assertThat(gateway.circuitState("flaky")).isEqualTo(State.HALF_OPEN);
        probe.close(); // the client hung up before its request went to the engine

        // the breaker's only half-open permission is free again: the next request is the probe (the
        // release is wired on the thread that granted the lease, which may run a moment after the
        // holder saw it: a permission never given back would leave every request rejected here)
        Lease next = probe();
        gateway.forward(next, new ProxyRequest("GET", "/health", Map.of(), RequestBody.EMPTY), new CollectingSink());
        next.close();
        assertThat(gateway.circuitState("flaky")).isEqualTo(State.CLOSED);
    }

    @Test
    void opensOnRepeatedFailedStartsRejectsWithoutSpawningThenAHealthyProbeClosesIt() throws Exception {
        Path crash = Files.createFile(dir.resolve("crash"));
        Path journal = dir.resolve("journal.jsonl");
        start(crash, journal);

        List<CompletableFuture<Lease>> waiters = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            waiters.add(gateway.acquire("flaky", true));
        }
        waiters.forEach(waiter -> assertThat(failure(waiter).status()).isEqualTo(500));
        assertThat(gateway.circuitState("flaky"))
                .as("four waiters on one failed start count once")
                .isEqualTo(State.CLOSED);

        failedStart();
        assertThat(gateway.circuitState("flaky")).isEqualTo(State.OPEN);
        await().atMost(Duration.ofSeconds(5)).until(() -> spawns.get() == 2);

        GatewayException rejected = failure(gateway.acquire("flaky", true));
        assertThat(rejected.status()).isEqualTo(503);
        assertThat(rejected.retryAfter()).contains(Duration.ofSeconds(1));
        assertThat(rejected.getMessage()).contains("failing repeatedly");
        Thread.sleep(100); // events are delivered on their own thread: give a wrong spawn time to show
        assertThat(spawns).as("an open breaker spawns nothing").hasValue(2);

        Files.delete(crash); // the engine is healthy again
        Lease probe = probe();
        assertThat(Journal.read(journal).stream().filter(e -> e.event().equals(JournalEvent.START)))
                .hasSize(1);
        assertThat(gateway.circuitState("flaky")).isEqualTo(State.HALF_OPEN);
        gateway.forward(probe, new ProxyRequest("GET", "/health", Map.of(), RequestBody.EMPTY), new CollectingSink());
        probe.close();
        assertThat(gateway.circuitState("flaky")).isEqualTo(State.CLOSED);

        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(transitions)
                        .extracting(GatewayEvent.CircuitChanged::to)
                        .containsExactly(State.OPEN, State.HALF_OPEN, State.CLOSED));
    }
}
