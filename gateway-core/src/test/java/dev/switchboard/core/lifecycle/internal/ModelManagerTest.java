package dev.switchboard.core.lifecycle.internal;

import static dev.switchboard.core.lifecycle.ModelState.FAILED;
import static dev.switchboard.core.lifecycle.ModelState.FALLING_ASLEEP;
import static dev.switchboard.core.lifecycle.ModelState.READY;
import static dev.switchboard.core.lifecycle.ModelState.SLEEPING;
import static dev.switchboard.core.lifecycle.ModelState.STARTING;
import static dev.switchboard.core.lifecycle.ModelState.STOPPING;
import static dev.switchboard.core.lifecycle.ModelState.UNLOADED;
import static dev.switchboard.core.lifecycle.ModelState.WAKING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.switchboard.core.GatewayException;
import dev.switchboard.core.event.EventBus;
import dev.switchboard.core.event.GatewayEvent;
import dev.switchboard.core.lifecycle.Lease;
import dev.switchboard.core.lifecycle.ModelState;
import dev.switchboard.core.lifecycle.ModelStatus;
import dev.switchboard.core.lifecycle.SchedulerConfig;
import dev.switchboard.core.placement.GpuInventory;
import dev.switchboard.core.spi.GpuInfo;
import dev.switchboard.core.spi.ModelDescriptor;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The manager and the lifecycles it drives, with a clock the test moves and engines the test makes
 * ready, crash or exit: every transition, the races around falling asleep, TTL, queue time-out and
 * drain, without real seconds or child processes.
 */
@Timeout(value = 5, unit = TimeUnit.SECONDS)
class ModelManagerTest {
    private static final long GB = 1L << 30;
    private static final Duration PATIENCE = Duration.ofSeconds(2);

    private final ManualClock clock = new ManualClock();
    private final FakeEngines engines = new FakeEngines();
    private final FakeBackend backend = new FakeBackend();
    private final EventBus events = new EventBus();
    private final List<GatewayEvent.StateChanged> moves = new CopyOnWriteArrayList<>();
    private final CountingInventory inventory = new CountingInventory(10 * GB);
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<String> startFailures = new CopyOnWriteArrayList<>();
    private final List<URI> exiting = new CopyOnWriteArrayList<>();
    private ModelManager manager;

    private ModelManager manager(SchedulerConfig.Builder config) {
        events.subscribe(event -> {
            if (event instanceof GatewayEvent.StateChanged change) {
                moves.add(change);
            }
        });
        manager = new ModelManager(
                Map.of(FakeBackend.NAME, backend),
                engines,
                () -> http,
                config.build(),
                events,
                () -> 0,
                inventory,
                clock,
                (id, message) -> startFailures.add(id),
                exiting::add);
        return manager;
    }

    private ModelManager manager() {
        return manager(SchedulerConfig.custom());
    }

    @AfterEach
    void close() {
        backend.calls.forEach(call -> call.outcome().complete(null));
        if (manager != null) {
            manager.close();
        }
        events.close();
        http.close();
        assertThat(engines.started()).as("engines left running").noneMatch(FakeEngines.Engine::alive);
    }

    private static ModelDescriptor model(String id) {
        return FakeBackend.model(id, 6 * GB);
    }

    private ModelState state(String id) {
        return manager.status(id).map(ModelStatus::state).orElse(UNLOADED);
    }

    private void awaitState(String id, ModelState expected) {
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(1)).until(() -> state(id) == expected);
    }

    private FakeEngines.Engine awaitEngine(String id, int count) {
        await().atMost(PATIENCE)
                .pollInterval(Duration.ofMillis(1))
                .until(() -> engines.of(id).size() == count);
        return engines.last(id);
    }

    /** Starts the model and returns it ready and idle. */
    private FakeEngines.Engine ready(ModelDescriptor model) {
        int before = engines.of(model.id()).size();
        CompletableFuture<Lease> lease = manager.acquire(model, true);
        FakeEngines.Engine engine = awaitEngine(model.id(), before + 1);
        engine.becomeReady();
        lease.join().close();
        return engine;
    }

    /** The oldest pending sleep or wake call, once the engine's thread has made it. */
    private FakeBackend.Call awaitCall(String kind) {
        await().atMost(PATIENCE)
                .pollInterval(Duration.ofMillis(1))
                .until(() -> !backend.pending(kind).isEmpty());
        return backend.pending(kind).getFirst();
    }

    private void awaitMoves(String id, ModelState... path) {
        await().atMost(PATIENCE)
                .untilAsserted(() -> assertThat(moves.stream()
                                .filter(m -> m.model().equals(id))
                                .map(GatewayEvent.StateChanged::to)
                                .toList())
                        .containsExactly(path));
    }

    private static GatewayException failure(CompletableFuture<?> future) {
        try {
            future.join();
        } catch (CompletionException e) {
            return (GatewayException) e.getCause();
        }
        throw new AssertionError("expected the request to fail");
    }

    @Test
    void aColdRequestStartsTheEngineAndGetsItsLeaseOnceReady() {
        manager();
        CompletableFuture<Lease> lease = manager.acquire(model("a"), true);
        FakeEngines.Engine engine = awaitEngine("a", 1);
        assertThat(state("a")).isEqualTo(STARTING);
        assertThat(lease).isNotDone();

        engine.becomeReady();

        try (Lease granted = lease.join()) {
            assertThat(granted.model().id()).isEqualTo("a");
        }
        assertThat(state("a")).isEqualTo(READY);
        awaitMoves("a", STARTING, READY);
    }

    @Test
    void requestsWaitingOnOneStartShareIt() {
        manager();
        List<CompletableFuture<Lease>> leases = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            leases.add(manager.acquire(model("a"), true));
        }
        awaitEngine("a", 1).becomeReady();

        leases.forEach(lease -> lease.join().close());
        assertThat(engines.of("a")).hasSize(1);
    }

    @Test
    void aFailedStartFailsItsWaitersAndShowsTheExitCodeAndLastLines() {
        manager();
        CompletableFuture<Lease> first = manager.acquire(model("a"), true);
        CompletableFuture<Lease> second = manager.acquire(model("a"), true);
        awaitEngine("a", 1).crash(3);

        assertThat(failure(first).status()).isEqualTo(500);
        assertThat(failure(second).getMessage()).contains("exited with code 3");
        ModelStatus status = manager.status("a").orElseThrow();
        assertThat(status.state()).isEqualTo(FAILED);
        assertThat(status.exitCode()).isEqualTo(3);
        assertThat(status.lastLines()).contains("fatal: engine gave up");
        assertThat(startFailures).as("one outcome for the start both waited on").containsExactly("a");
        awaitMoves("a", STARTING, FAILED);
    }

    @Test
    void failedStartsBackOffExponentially() {
        manager(SchedulerConfig.custom().restartBackoff(Duration.ofSeconds(2)));
        CompletableFuture<Lease> first = manager.acquire(model("a"), true);
        awaitEngine("a", 1).crash(1);
        failure(first);

        GatewayException rejected = failure(manager.acquire(model("a"), true));
        assertThat(rejected.status()).isEqualTo(503);
        assertThat(rejected.retryAfter()).contains(Duration.ofSeconds(2));
        assertThat(engines.of("a")).hasSize(1);

        clock.advance(Duration.ofSeconds(2));
        CompletableFuture<Lease> retry = manager.acquire(model("a"), true);
        awaitEngine("a", 2).crash(1);
        failure(retry);
        assertThat(failure(manager.acquire(model("a"), true)).retryAfter()).contains(Duration.ofSeconds(4));

        clock.advance(Duration.ofSeconds(4));
        CompletableFuture<Lease> third = manager.acquire(model("a"), true);
        awaitEngine("a", 3).becomeReady();
        third.join().close();
        assertThat(manager.status("a").orElseThrow().failed()).isFalse();
    }

    @Test
    void anEngineThatCrashesAfterReadinessShowsFailedAndTheNextRequestRestartsIt() {
        manager();
        FakeEngines.Engine engine = ready(model("a"));

        engine.crash(137);

        ModelStatus status = manager.status("a").orElseThrow();
        assertThat(status.state()).isEqualTo(FAILED);
        assertThat(status.exitCode()).isEqualTo(137);
        assertThat(status.failure()).contains("exited unexpectedly with code 137");
        CompletableFuture<Lease> lease = manager.acquire(model("a"), true);
        awaitEngine("a", 2).becomeReady();
        lease.join().close();
        awaitMoves("a", STARTING, READY, FAILED, STARTING, READY);
    }

    @Test
    void unloadDrainsInFlightRequestsBeforeStoppingTheEngine() {
        manager();
        CompletableFuture<Lease> pending = manager.acquire(model("a"), true);
        FakeEngines.Engine engine = awaitEngine("a", 1);
        engine.becomeReady();
        Lease lease = pending.join();

        CompletableFuture<Void> unloaded = manager.unload("a", "unload requested");

        assertThat(state("a")).isEqualTo(STOPPING);
        assertThat(engine.stops).hasValue(0);
        assertThat(exiting).isEmpty(); // its connections are still in use
        lease.close();
        unloaded.join();
        // the proxy was told to close its idle connections to the engine, which then exits at once
        assertThat(exiting).containsExactly(lease.baseUri());
        assertThat(engine.stops).hasValue(1);
        assertThat(state("a")).isEqualTo(UNLOADED);
        awaitMoves("a", STARTING, READY, STOPPING, UNLOADED);
    }

    @Test
    void aRequestThatOutlivesTheStopTimeoutDoesNotHoldTheStopForever() {
        manager(SchedulerConfig.custom().stopTimeout(Duration.ofSeconds(10)));
        CompletableFuture<Lease> pending = manager.acquire(model("a"), true);
        FakeEngines.Engine engine = awaitEngine("a", 1);
        engine.becomeReady();
        Lease lease = pending.join();
        CompletableFuture<Void> unloaded = manager.unload("a", "unload requested");

        clock.advance(Duration.ofSeconds(9));
        assertThat(engine.stops).hasValue(0);
        clock.advance(Duration.ofSeconds(1));

        unloaded.join();
        assertThat(engine.stops).hasValue(1);
        lease.close(); // late: changes nothing
        assertThat(state("a")).isEqualTo(UNLOADED);
    }

    @Test
    void aLeaseOnAnEngineThatDiedIsTradedForOneOnAFreshStart() throws InterruptedException {
        manager();
        FakeEngines.Engine dead = ready(model("a"));
        Lease lease = manager.acquire(model("a"), true).join();
        dead.crash(137); // between its readiness and the request

        CompletableFuture<Lease> restarted = manager.restartDeadEngine(lease).orElseThrow();
        awaitEngine("a", 2).becomeReady();

        restarted.join().close();
        assertThat(state("a")).isEqualTo(READY);
        assertThat(manager.status("a").orElseThrow().inFlight())
                .as("the dead engine's lease went back")
                .isZero();
        awaitMoves("a", STARTING, READY, FAILED, STARTING, READY);
    }

    @Test
    void anEngineStoppedOnPurposeIsNotRestartedForALeaseThatOutlivedIt() throws InterruptedException {
        manager(SchedulerConfig.custom().stopTimeout(Duration.ofSeconds(10)));
        ready(model("a"));
        Lease lease = manager.acquire(model("a"), true).join();
        CompletableFuture<Void> unloaded = manager.unload("a", "unload requested");
        clock.advance(Duration.ofSeconds(10)); // the drain times out: the engine stops under the lease
        unloaded.join();

        assertThat(manager.restartDeadEngine(lease)).isEmpty();
        assertThat(engines.of("a")).hasSize(1);
        lease.close();
    }

    @Test
    void aRequestForAStoppingModelWaitsForItsNextStart() {
        manager();
        CompletableFuture<Lease> pending = manager.acquire(model("a"), true);
        awaitEngine("a", 1).becomeReady();
        Lease held = pending.join();
        manager.unload("a", "unload requested");

        CompletableFuture<Lease> next = manager.acquire(model("a"), true);
        assertThat(next).isNotDone();
        held.close();

        awaitEngine("a", 2).becomeReady();
        next.join().close();
        assertThat(state("a")).isEqualTo(READY);
    }

    @Test
    void unloadingAModelThatIsNotLoadedIsRejected() {
        manager();
        assertThatThrownBy(() -> manager.unload("a", "unload requested"))
                .isInstanceOf(GatewayException.class)
                .hasMessage("model is not loaded");
    }

    @Test
    void anIdleModelStopsAfterItsTtlAndNotBefore() {
        manager(SchedulerConfig.custom().idleTtl(Duration.ofSeconds(30)));
        FakeEngines.Engine engine = ready(model("a"));

        clock.advance(Duration.ofSeconds(29));
        assertThat(state("a")).isEqualTo(READY);
        clock.advance(Duration.ofSeconds(2));

        awaitState("a", UNLOADED);
        assertThat(engine.stops).hasValue(1);
    }

    @Test
    void theIdleCheckRunsOnlyAtTheNextExpiryAndEachUseMovesIt() {
        manager(SchedulerConfig.custom().idleTtl(Duration.ofSeconds(30)));
        ready(model("a")); // idle from now: expires at 30 s
        clock.advance(Duration.ofSeconds(20));
        manager.acquire(model("a"), true).join().close(); // used again: expires at 50 s

        clock.advance(Duration.ofMillis(29_999));
        assertThat(state("a")).isEqualTo(READY);
        assertThat(clock.onceRuns()).as("timed tasks run while nothing expires").isZero();

        clock.advance(Duration.ofMillis(1));
        assertThat(clock.onceRuns()).isEqualTo(1);
        assertThat(state("a")).isIn(STOPPING, UNLOADED);
        awaitState("a", UNLOADED);
    }

    @Test
    void aModelWithARequestInFlightOutlivesItsTtl() {
        manager(SchedulerConfig.custom().idleTtl(Duration.ofSeconds(30)));
        ready(model("a"));
        Lease lease = manager.acquire(model("a"), true).join();

        clock.advance(Duration.ofMinutes(5));

        assertThat(state("a")).isEqualTo(READY);
        assertThat(clock.onceRuns())
                .as("no idle check while nothing can expire")
                .isZero();
        lease.close();
    }

    @Test
    void aWaitPastTheQueueTimeoutFailsWith503() {
        manager(SchedulerConfig.custom().queueTimeout(Duration.ofSeconds(60)));
        CompletableFuture<Lease> lease = manager.acquire(model("a"), true);
        awaitEngine("a", 1);

        clock.advance(Duration.ofSeconds(59));
        assertThat(lease).isNotDone();
        clock.advance(Duration.ofSeconds(1));

        GatewayException error = failure(lease);
        assertThat(error.status()).isEqualTo(503);
        assertThat(error.getMessage()).isEqualTo("timed out after 60s waiting for model 'a' to be ready");
        assertThat(manager.waitingRequests()).isZero();
    }

    @Test
    void aFullQueueRejectsWith429() {
        manager(SchedulerConfig.custom().maxWaiting(2));
        manager.acquire(model("a"), true);
        manager.acquire(model("a"), true);

        GatewayException error = failure(manager.acquire(model("b"), true));

        assertThat(error.status()).isEqualTo(429);
        assertThat(error.retryAfter()).isPresent();
    }

    @Test
    void aModelThatDoesNotFitPutsTheIdleOneToSleepThenWakesItOnItsTurn() {
        manager();
        ready(model("a"));

        CompletableFuture<Lease> forB = manager.acquire(model("b"), true);
        awaitState("a", FALLING_ASLEEP);
        assertThat(engines.of("b")).isEmpty(); // no start before the memory is free
        awaitCall("sleep").outcome().complete(null);

        awaitState("a", SLEEPING);
        awaitEngine("b", 1).becomeReady();
        forB.join().close();
        assertThat(manager.status("a").orElseThrow().placement().totalBytes()).isZero();

        CompletableFuture<Lease> forA = manager.acquire(model("a"), true);
        awaitState("b", FALLING_ASLEEP);
        awaitCall("sleep").outcome().complete(null);
        awaitState("a", WAKING);
        awaitCall("wake").outcome().complete(null);

        forA.join().close();
        assertThat(engines.of("a")).hasSize(1); // woken, not restarted
        awaitMoves("a", STARTING, READY, FALLING_ASLEEP, SLEEPING, WAKING, READY);
    }

    @Test
    void sleepOnDemandFreesTheGpuMemoryAndTheNextRequestWakesTheSameEngine() {
        manager();
        ready(model("a"));

        CompletableFuture<Void> asleep = manager.sleep(model("a"), "sleep requested");
        awaitState("a", FALLING_ASLEEP);
        assertThat(asleep).isNotDone();
        awaitCall("sleep").outcome().complete(null);

        asleep.join();
        assertThat(state("a")).isEqualTo(SLEEPING);
        assertThat(manager.status("a").orElseThrow().placement().totalBytes()).isZero();
        CompletableFuture<Lease> request = manager.acquire(model("a"), true);
        awaitState("a", WAKING);
        awaitCall("wake").outcome().complete(null);
        request.join().close();
        assertThat(engines.of("a")).hasSize(1); // woken, not restarted
        awaitMoves("a", STARTING, READY, FALLING_ASLEEP, SLEEPING, WAKING, READY);
        assertThat(moves.get(2).reason()).isEqualTo("sleep requested");
    }

    @Test
    void sleepIsRefusedWithoutAWarmTierBeforeReadyAndWhileServing() {
        manager();
        ModelDescriptor cold = FakeBackend.withoutWarmTier("cold", GB);
        ready(cold);
        assertThatThrownBy(() -> manager.sleep(cold, "sleep requested"))
                .isInstanceOfSatisfying(
                        GatewayException.class, e -> assertThat(e.status()).isEqualTo(400))
                .hasMessageContaining("no warm tier");

        assertThatThrownBy(() -> manager.sleep(model("a"), "sleep requested"))
                .isInstanceOfSatisfying(
                        GatewayException.class, e -> assertThat(e.status()).isEqualTo(409))
                .hasMessageContaining("is unloaded");

        CompletableFuture<Lease> lease = manager.acquire(model("a"), true);
        awaitEngine("a", 1);
        assertThatThrownBy(() -> manager.sleep(model("a"), "sleep requested")).hasMessageContaining("is starting");
        engines.last("a").becomeReady();
        try (Lease serving = lease.join()) {
            assertThatThrownBy(() -> manager.sleep(model("a"), "sleep requested"))
                    .isInstanceOfSatisfying(
                            GatewayException.class, e -> assertThat(e.status()).isEqualTo(409))
                    .hasMessageContaining("serving 1 request");
        }
        assertThat(backend.calls).isEmpty();
        assertThat(state("a")).isEqualTo(READY);
        assertThat(state("cold")).isEqualTo(READY);
    }

    @Test
    void aWakeThatFailsFailsItsWaitersAndStopsTheEngine() {
        manager();
        FakeEngines.Engine a = ready(model("a"));
        CompletableFuture<Lease> forB = manager.acquire(model("b"), true);
        awaitState("a", FALLING_ASLEEP);
        awaitCall("sleep").outcome().complete(null);
        awaitEngine("b", 1).becomeReady();
        forB.join().close();

        CompletableFuture<Lease> forA = manager.acquire(model("a"), true);
        awaitState("b", FALLING_ASLEEP);
        awaitCall("sleep").outcome().complete(null);
        awaitState("a", WAKING);
        awaitCall("wake").outcome().completeExceptionally(new RuntimeException("no memory"));

        assertThat(failure(forA).getMessage()).contains("failed to wake: no memory");
        assertThat(state("a")).isEqualTo(FAILED);
        assertThat(a.alive()).isFalse();
    }

    @Test
    void unloadWhileFallingAsleepStopsTheEngineAndTheLateSleepChangesNothing() {
        manager();
        FakeEngines.Engine a = ready(model("a"));
        CompletableFuture<Lease> forB = manager.acquire(model("b"), true);
        awaitState("a", FALLING_ASLEEP);

        manager.unload("a", "unload requested").join();
        assertThat(state("a")).isEqualTo(UNLOADED);
        awaitCall("sleep").outcome().complete(null); // the sleep answers late

        awaitEngine("b", 1).becomeReady();
        forB.join().close();
        assertThat(state("a")).isEqualTo(UNLOADED);
        assertThat(manager.status("a").orElseThrow().placement().gpuIds()).isEmpty();
        assertThat(a.stops).hasValue(1);
        awaitMoves("a", STARTING, READY, FALLING_ASLEEP, STOPPING, UNLOADED);
    }

    @Test
    void aSleepThatFailsAfterAnUnloadNeverStopsTheNextEngine() {
        manager();
        FakeEngines.Engine first = ready(model("a"));
        CompletableFuture<Lease> forB = manager.acquire(model("b"), true);
        awaitState("a", FALLING_ASLEEP);
        manager.unload("a", "unload requested").join();
        awaitEngine("b", 1).becomeReady();
        forB.join().close();
        manager.unload("b", "unload requested").join();
        FakeEngines.Engine second = ready(model("a"));

        awaitCall("sleep").outcome().completeExceptionally(new RuntimeException("gone"));

        await().pollDelay(Duration.ofMillis(50)).atMost(PATIENCE).until(() -> true);
        assertThat(state("a")).isEqualTo(READY);
        assertThat(second.alive()).isTrue();
        assertThat(second.stops).hasValue(0);
        assertThat(first.stops).hasValue(1);
    }

    @Test
    void closeWhileFallingAsleepStopsTheEngineOnce() {
        manager();
        FakeEngines.Engine a = ready(model("a"));
        manager.acquire(model("b"), true);
        awaitState("a", FALLING_ASLEEP);

        manager.close();
        awaitCall("sleep").outcome().complete(null);

        assertThat(state("a")).isEqualTo(UNLOADED);
        assertThat(a.stops).hasValue(1);
    }

    @Test
    void anEngineThatCrashesWhileFallingAsleepIsFailedAndTheSleepResultIsIgnored() {
        manager();
        FakeEngines.Engine a = ready(model("a"));
        CompletableFuture<Lease> forB = manager.acquire(model("b"), true);
        awaitState("a", FALLING_ASLEEP);

        a.crash(139);
        awaitCall("sleep").outcome().complete(null);

        assertThat(state("a")).isEqualTo(FAILED);
        awaitEngine("b", 1).becomeReady();
        forB.join().close();
        assertThat(state("a")).isEqualTo(FAILED);
    }

    @Test
    void nothingReadsTheGpusWhileAllIsIdle() {
        manager(SchedulerConfig.custom().idleTtl(Duration.ZERO));
        ready(model("a"));
        ready(FakeBackend.model("small", GB));
        inventory.reads.set(0);

        for (int i = 0; i < 240; i++) {
            clock.advance(Duration.ofMillis(250)); // one idle minute, every GPU check included
        }

        assertThat(inventory.reads).hasValue(0);
    }

    @Test
    void theGpusAreReadWhileARequestWaits() {
        manager();
        manager.acquire(model("a"), true);
        awaitEngine("a", 1);
        inventory.reads.set(0);

        clock.advance(Duration.ofSeconds(1));

        assertThat(inventory.reads.get()).isPositive();
    }

    /** A GPU whose readings are counted. */
    private static final class CountingInventory implements GpuInventory {
        final AtomicInteger reads = new AtomicInteger();
        private final List<GpuInfo> gpus;

        CountingInventory(long bytes) {
            this.gpus = List.of(new GpuInfo(0, "GPU-0", "fake", bytes, 0, bytes));
        }

        @Override
        public List<GpuInfo> gpus() {
            reads.incrementAndGet();
            return gpus;
        }

        @Override
        public Map<Long, Long> memoryByPid() {
            reads.incrementAndGet();
            return Map.of();
        }

        @Override
        public void refresh() {}
    }
}
