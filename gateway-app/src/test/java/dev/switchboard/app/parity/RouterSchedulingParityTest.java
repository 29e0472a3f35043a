package dev.switchboard.app.parity;

import static dev.switchboard.app.parity.RouterClient.PATIENCE;
import static dev.switchboard.app.parity.RouterClient.chat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.app.parity.RouterClient.Reply;
import dev.switchboard.simulator.JournalEvent;
import java.net.http.HttpTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --models-max} as llama-server's router tests check it ({@code
 * tools/server/tests/unit/test_router.py}): least-recently-used eviction and the queue of requests
 * waiting for a slot. Where llama.cpp's tests sleep to let a request reach its model, these wait
 * until the simulated engine has journaled it.
 */
class RouterSchedulingParityTest {
    @TempDir
    Path dir;

    private RouterUnderTest router;
    private RouterClient api;

    @AfterEach
    void stop() {
        if (router != null) {
            router.close();
        }
    }

    private void start(int modelsMax, String... models) {
        for (String model : models) {
            ModelsDir.addModel(dir, model);
        }
        router = RouterUnderTest.start(dir, "--models-max", Integer.toString(modelsMax));
        api = router.client();
    }

    /** A request that keeps {@code model}'s engine busy, once the engine has started on it. */
    private CompletableFuture<Reply> busy(String model) {
        int before = Collections.frequency(router.journal().requestedModels(), model);
        CompletableFuture<Reply> busy = api.postAsync("/v1/chat/completions", RouterClient.busyChat(model));
        await().atMost(PATIENCE)
                .until(() -> Collections.frequency(router.journal().requestedModels(), model) > before);
        return busy;
    }

    private CompletableFuture<Reply> ask(String model) {
        return api.postAsync("/v1/chat/completions", chat(model, 4));
    }

    private static void assertAnswered(CompletableFuture<Reply> request) {
        Reply reply = request.join();
        assertThat(reply.status()).as("%s", reply.body()).isEqualTo(200);
        assertThat(reply.body()
                        .path("choices")
                        .path(0)
                        .path("message")
                        .path("content")
                        .asText())
                .isNotEmpty();
    }

    // test_router_models_max_evicts_lru
    @Test
    void loadingBeyondModelsMaxEvictsTheLeastRecentlyUsedModel() {
        start(2, "first", "second", "third");
        api.loadAndWait("first");
        api.loadAndWait("second");

        api.loadAndWait("third");

        assertThat(api.status("first")).isEqualTo("unloaded");
        assertThat(api.status("second")).isEqualTo("loaded");
        assertThat(router.journal().mostEnginesAtOnce()).isEqualTo(2);
    }

    // test_router_models_max_evicts_lru, with the use that llama.cpp's last_used records: a relayed POST
    @Test
    void aRequestMakesItsModelRecentlyUsed() {
        start(2, "first", "second", "third");
        api.loadAndWait("first");
        api.loadAndWait("second");
        assertAnswered(ask("first"));

        api.loadAndWait("third");

        assertThat(api.status("first")).isEqualTo("loaded");
        assertThat(api.status("second")).isEqualTo("unloaded");
        assertThat(router.journal().mostEnginesAtOnce()).isEqualTo(2);
    }

    // test_router_queue_does_not_evict_busy_model
    @Test
    void aRequestFindingNoFreeSlotWaitsForTheBusyModelInsteadOfEvictingIt() {
        start(1, "a", "b");
        api.loadAndWait("a");
        CompletableFuture<Reply> busy = busy("a");

        CompletableFuture<Reply> queued = ask("b");

        assertAnswered(busy);
        assertAnswered(queued);
        await().atMost(PATIENCE).until(() -> api.status("b").equals("loaded"));
        assertThat(api.status("a")).isEqualTo("unloaded");
        assertThat(router.journal().events()).noneMatch(e -> e.event().equals(JournalEvent.REQUEST_ABORTED));
        assertThat(router.journal().mostEnginesAtOnce()).isEqualTo(1);
    }

    // test_router_queue_coalesces_requests_for_same_model
    @Test
    void requestsWaitingForOneModelShareOneSlotSoOnlyOneModelIsGivenUp() {
        start(2, "a", "b", "c");
        api.loadAndWait("a");
        api.loadAndWait("b");
        CompletableFuture<Reply> busy = busy("a");

        List<CompletableFuture<Reply>> waiters =
                IntStream.range(0, 3).mapToObj(i -> ask("c")).toList();

        assertAnswered(busy);
        waiters.forEach(RouterSchedulingParityTest::assertAnswered);
        await().atMost(PATIENCE).until(() -> api.status("c").equals("loaded"));
        assertThat(api.status("a")).isEqualTo("loaded");
        assertThat(api.status("b")).isEqualTo("unloaded");
        assertThat(router.journal().starts("c")).hasSize(1);
    }

    // test_router_queue_client_disconnect_keeps_model
    @Test
    void aClientThatLeavesWhileQueuedCostsNoRunningModelItsSlot() {
        start(1, "a", "b");
        api.loadAndWait("a");
        CompletableFuture<Reply> busy = busy("a");

        CompletableFuture<Reply> impatient =
                api.postGivingUpAfter(Duration.ofMillis(500), "/v1/chat/completions", chat("b", 4));

        assertThat(impatient)
                .failsWithin(PATIENCE)
                .withThrowableOfType(Exception.class)
                .withRootCauseInstanceOf(HttpTimeoutException.class);
        assertAnswered(busy);
        // nobody waits for b any more, so a keeps its slot
        await().during(Duration.ofSeconds(2))
                .atMost(PATIENCE)
                .until(() -> api.status("a").equals("loaded") && api.status("b").equals("unloaded"));
        assertThat(router.journal().starts("b")).isEmpty();
    }

    // test_router_queue_is_fifo
    @Test
    void queuedRequestsAreServedInArrivalOrder() {
        start(1, "a", "b", "c");
        api.loadAndWait("a");
        CompletableFuture<Reply> busy = busy("a");

        CompletableFuture<Reply> first = ask("b");
        await().atMost(PATIENCE).until(() -> api.waitingRequests() == 1);
        CompletableFuture<Reply> second = ask("c");

        assertAnswered(busy);
        assertAnswered(first);
        assertAnswered(second);
        assertThat(router.journal().requestedModels()).containsExactly("a", "b", "c");
    }

    // test_router_fast_path_load_not_evicted_before_proxy
    @Test
    void aModelLoadedForARequestIsNotEvictedBeforeThatRequestIsRelayed() {
        start(1, "a", "b");

        CompletableFuture<Reply> forA = ask("a");
        await().atMost(PATIENCE).until(() -> api.status("a").equals("loaded"));
        CompletableFuture<Reply> forB = ask("b");

        assertAnswered(forA);
        assertAnswered(forB);
        assertThat(router.journal().mostEnginesAtOnce()).isEqualTo(1);
    }

    // test_router_does_not_proxy_into_stopping_model
    @Test
    void aRequestForAStoppingModelWaitsForItToStopAndLoadsItAgain() {
        start(1, "a");
        api.loadAndWait("a");
        assertThat(api.post("/models/unload", "{\"model\":\"a\"}").status()).isEqualTo(200);

        CompletableFuture<Reply> request = ask("a");

        assertAnswered(request);
        assertThat(router.journal().starts("a")).hasSize(2);
        assertThat(router.journal().mostEnginesAtOnce()).isEqualTo(1);
    }

    // test_router_queue_two_waiters_share_one_eviction
    @Test
    void twoRequestsWantingTheSameIdleSlotAreBothServed() {
        start(1, "a", "b", "c");
        api.loadAndWait("a");

        CompletableFuture<Reply> first = ask("b");
        CompletableFuture<Reply> second = ask("c");

        assertAnswered(first);
        assertAnswered(second);
        assertThat(api.status("a")).isEqualTo("unloaded");
        assertThat(router.journal().mostEnginesAtOnce()).isEqualTo(1);
    }
}
