package dev.switchboard.core.lifecycle.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.switchboard.core.Gateway;
import dev.switchboard.core.GatewayException;
import dev.switchboard.core.forward.ProxyRequest;
import dev.switchboard.core.lifecycle.GroupPolicy;
import dev.switchboard.core.lifecycle.Lease;
import dev.switchboard.core.lifecycle.ModelState;
import dev.switchboard.core.lifecycle.SchedulerConfig;
import dev.switchboard.core.spi.ModelDescriptor;
import dev.switchboard.core.testing.CollectingSink;
import dev.switchboard.core.testing.SimulatedEngines;
import dev.switchboard.simulator.JournalEvent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The model lifecycle as a library user sees it, with real engine-simulator processes. */
class ModelLifecycleTest {
    @TempDir
    Path dir;

    private Gateway gateway;
    private SimulatedEngines engines;

    @AfterEach
    void stopGateway() {
        if (gateway != null) {
            gateway.close();
        }
        if (engines != null) {
            assertThat(engines.livePids()).as("engines left running").isEmpty();
        }
    }

    private Gateway start(SchedulerConfig.Builder scheduler, String... models) {
        engines = new SimulatedEngines(dir).scheduler(scheduler.build());
        for (String model : models) {
            engines.model(model);
        }
        gateway = engines.start();
        return gateway;
    }

    private static Lease lease(Gateway gateway, String model) {
        return gateway.acquire(model, true).join();
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
    void startsAColdModelOnceForAHundredConcurrentRequests() throws Exception {
        start(SchedulerConfig.custom(), "solo");
        List<Future<Lease>> leases = new ArrayList<>();
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 100; i++) {
                leases.add(clients.submit(() -> lease(gateway, "solo")));
            }
            for (Future<Lease> lease : leases) {
                lease.get().close();
            }
        }
        assertThat(engines.starts("solo")).isEqualTo(1);
    }

    @Test
    void neverRunsMoreEnginesThanMaxLoadedUnderConcurrentColdRequests() throws Exception {
        start(SchedulerConfig.custom().maxLoaded(2), "m1", "m2", "m3", "m4");
        List<Future<Integer>> answers = new ArrayList<>();
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 50; i++) {
                String model = "m" + (i % 4 + 1);
                answers.add(clients.submit(() -> {
                    try (Lease lease = lease(gateway, model)) {
                        CollectingSink sink = new CollectingSink();
                        gateway.forward(lease, chat(model, false, 4), sink);
                        return sink.status();
                    }
                }));
            }
            for (Future<Integer> answer : answers) {
                assertThat(answer.get()).isEqualTo(200);
            }
        }
        assertThat(engines.maxConcurrentEngines()).isLessThanOrEqualTo(2);
    }

    @Test
    void evictsLeastRecentlyUsedIdleModel() {
        start(SchedulerConfig.custom().maxLoaded(2), "a", "b", "c");
        lease(gateway, "a").close();
        lease(gateway, "b").close();
        lease(gateway, "a").close();
        lease(gateway, "c").close();

        assertThat(gateway.status("b").state()).isEqualTo(ModelState.UNLOADED);
        assertThat(gateway.status("a").state()).isEqualTo(ModelState.READY);
        assertThat(gateway.status("c").state()).isEqualTo(ModelState.READY);
        assertThat(engines.events(JournalEvent.EXIT, "a")).isEmpty();
    }

    @Test
    void anEvictedEngineHasExitedBeforeTheNextOneStarts() {
        // as with llama.cpp's router, the loaded limit bounds the engines running, not only those ready
        engines = new SimulatedEngines(dir)
                .scheduler(SchedulerConfig.custom().maxLoaded(1).build());
        engines.model("slow-to-exit", "--sim-exit-ms", "1000");
        engines.model("next");
        gateway = engines.start();
        lease(gateway, "slow-to-exit").close();

        lease(gateway, "next").close();

        assertThat(gateway.status("slow-to-exit").state()).isEqualTo(ModelState.UNLOADED);
        assertThat(engines.events(JournalEvent.EXIT, "slow-to-exit")).hasSize(1);
        assertThat(engines.maxConcurrentEngines()).isEqualTo(1);
    }

    @Test
    void neverEvictsAModelWithRequestsInFlight() {
        start(SchedulerConfig.custom().maxLoaded(1), "busy", "next");
        Lease busy = lease(gateway, "busy");
        CompletableFuture<Lease> next = gateway.acquire("next", true);

        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> !next.isDone());
        assertThat(gateway.status("busy").state()).isEqualTo(ModelState.READY);

        busy.close();
        next.join().close();
        assertThat(gateway.status("busy").state()).isEqualTo(ModelState.UNLOADED);
    }

    @Test
    void aLongStreamFinishesIntactBeforeTheNextModelTakesItsPlace() throws Exception {
        start(SchedulerConfig.custom().maxLoaded(1), "talker", "other");
        CollectingSink sink = new CollectingSink();
        CompletableFuture<Void> stream = CompletableFuture.runAsync(() -> {
            try (Lease lease = lease(gateway, "talker")) {
                gateway.forward(lease, chat("talker", true, 40), sink);
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        });
        await().until(() -> gateway.status("talker").inFlight() == 1);

        Lease other = gateway.acquire("other", true).join();
        other.close();

        assertThat(stream).isDone();
        assertThat(sink.text()).endsWith("data: [DONE]\n\n");
        assertThat(sink.text().split("\n\n")).hasSizeGreaterThanOrEqualTo(40);
    }

    @Test
    void aCrashAtStartFailsTheWaitingRequestsWithTheExitCode() {
        engines = new SimulatedEngines(dir);
        engines.model("broken", "--sim-crash-at-start", "3");
        gateway = engines.start();

        GatewayException error = failure(gateway.acquire("broken", true));

        assertThat(error.status()).isEqualTo(500);
        assertThat(error.getMessage()).contains("broken").contains("code 3");
        assertThat(gateway.status("broken").failed()).isTrue();
        assertThat(gateway.status("broken").lastExitCode()).hasValue(3);
    }

    @Test
    void aFullQueueRejectsWith429() {
        start(SchedulerConfig.custom().maxLoaded(1).maxWaiting(2), "busy", "next");
        try (Lease busy = lease(gateway, "busy")) {
            CompletableFuture<Lease> first = gateway.acquire("next", true);
            CompletableFuture<Lease> second = gateway.acquire("next", true);

            GatewayException error = failure(gateway.acquire("next", true));

            assertThat(error.status()).isEqualTo(429);
            assertThat(error.retryAfter()).isPresent();
            first.cancel(true);
            second.cancel(true);
        }
    }

    @Test
    void aWaitPastTheQueueTimeoutFailsWith503() {
        start(SchedulerConfig.custom().maxLoaded(1).queueTimeout(Duration.ofSeconds(3)), "busy", "next");
        try (Lease busy = lease(gateway, "busy")) {
            long started = System.nanoTime();
            GatewayException error = failure(gateway.acquire("next", true));

            assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofSeconds(3));
            assertThat(error.status()).isEqualTo(503);
            assertThat(error.getMessage()).contains("next");
            assertThat(error.retryAfter()).isPresent();
        }
    }

    @Test
    void aWaiterThatLeavesCausesNoEviction() {
        start(SchedulerConfig.custom().maxLoaded(1), "busy", "wanted");
        Lease busy = lease(gateway, "busy");
        CompletableFuture<Lease> waiter = gateway.acquire("wanted", true);
        waiter.cancel(true);
        busy.close();

        await().during(Duration.ofMillis(500))
                .atMost(Duration.ofSeconds(2))
                .until(() -> gateway.status("busy").state() == ModelState.READY);
        assertThat(engines.starts("wanted")).isZero();
        assertThat(engines.events(JournalEvent.EXIT, "busy")).isEmpty();
    }

    @Test
    void unloadDrainsInFlightRequestsThenStopsTheEngine() {
        start(SchedulerConfig.custom(), "model");
        Lease inFlight = lease(gateway, "model");
        CompletableFuture<Void> unloaded = gateway.unload("model");

        assertThat(gateway.status("model").state()).isEqualTo(ModelState.STOPPING);
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !unloaded.isDone());
        assertThat(engines.events(JournalEvent.EXIT, "model")).isEmpty();

        inFlight.close();
        unloaded.join();
        assertThat(gateway.status("model").state()).isEqualTo(ModelState.UNLOADED);
        assertThat(engines.events(JournalEvent.EXIT, "model")).hasSize(1);
    }

    @Test
    void aRequestForAStoppingModelWaitsForItsNextStart() {
        start(SchedulerConfig.custom(), "model");
        Lease inFlight = lease(gateway, "model");
        gateway.unload("model");
        CompletableFuture<Lease> next = gateway.acquire("model", true);
        inFlight.close();

        next.join().close();
        assertThat(engines.starts("model")).isEqualTo(2);
    }

    @Test
    void unloadingAModelThatIsNotLoadedIsRejected() {
        start(SchedulerConfig.custom(), "model");
        assertThatThrownBy(() -> gateway.unload("model"))
                .isInstanceOf(GatewayException.class)
                .hasMessage("model is not loaded");
    }

    @Test
    void anIdleModelUnloadsAfterItsTtl() {
        start(SchedulerConfig.custom().idleTtl(Duration.ofSeconds(1)), "model");
        lease(gateway, "model").close();
        await().atMost(Duration.ofSeconds(5))
                .until(() -> gateway.status("model").state() == ModelState.UNLOADED);
        assertThat(engines.events(JournalEvent.EXIT, "model")).hasSize(1);
    }

    @Test
    void closingTheGatewayStopsEveryEngine() {
        start(SchedulerConfig.custom(), "a", "b");
        lease(gateway, "a").close();
        lease(gateway, "b").close();
        assertThat(engines.livePids()).hasSize(2);

        gateway.close();

        assertThat(engines.livePids()).isEmpty();
    }

    @Test
    void aSwappingGroupRunsOneOfItsModelsAtATime() {
        engines = new SimulatedEngines(dir)
                .scheduler(SchedulerConfig.custom()
                        .group("chat", new GroupPolicy(true, false, false))
                        .build());
        engines.model(ModelDescriptor.builder("first", SimulatedEngines.BACKEND).group("chat"));
        engines.model(
                ModelDescriptor.builder("second", SimulatedEngines.BACKEND).group("chat"));
        engines.model("loner");
        gateway = engines.start();

        lease(gateway, "first").close();
        lease(gateway, "loner").close();
        lease(gateway, "second").close();

        assertThat(gateway.status("first").state()).isEqualTo(ModelState.UNLOADED);
        assertThat(gateway.status("second").state()).isEqualTo(ModelState.READY);
        assertThat(gateway.status("loner").state()).isEqualTo(ModelState.READY);
    }

    @Test
    void anExclusiveGroupStopsOtherModelsButNotPersistentOnes() {
        engines = new SimulatedEngines(dir)
                .scheduler(SchedulerConfig.custom()
                        .group("big", GroupPolicy.LLAMA_SWAP_DEFAULT)
                        .group("always", new GroupPolicy(false, false, true))
                        .build());
        engines.model(ModelDescriptor.builder("huge", SimulatedEngines.BACKEND).group("big"));
        engines.model(
                ModelDescriptor.builder("embedder", SimulatedEngines.BACKEND).group("always"));
        engines.model("small");
        gateway = engines.start();

        lease(gateway, "embedder").close();
        lease(gateway, "small").close();
        lease(gateway, "huge").close();

        assertThat(gateway.status("small").state()).isEqualTo(ModelState.UNLOADED);
        assertThat(gateway.status("embedder").state()).isEqualTo(ModelState.READY);
        assertThat(gateway.status("huge").state()).isEqualTo(ModelState.READY);
    }

    static ProxyRequest chat(String model, boolean stream, int maxTokens) {
        String body = "{\"model\":\"" + model + "\",\"stream\":" + stream + ",\"max_tokens\":" + maxTokens
                + ",\"ignore_eos\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}";
        return new ProxyRequest(
                "POST",
                "/v1/chat/completions",
                Map.of("Content-Type", List.of("application/json")),
                body.getBytes(StandardCharsets.UTF_8));
    }
}
