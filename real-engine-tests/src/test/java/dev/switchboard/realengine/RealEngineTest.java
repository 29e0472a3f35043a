package dev.switchboard.realengine;

import static dev.switchboard.app.parity.RouterClient.PATIENCE;
import static dev.switchboard.app.parity.RouterClient.chat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.app.parity.GatewayProcess;
import dev.switchboard.app.parity.Pids;
import dev.switchboard.app.parity.RouterClient;
import dev.switchboard.app.parity.RouterClient.Reply;
import dev.switchboard.llamacpp.discovery.HubCacheFixture;
import dev.switchboard.llamacpp.gguf.GgufWriter;
import dev.switchboard.llamacpp.gguf.TinyLlamaModels;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Switchboard in router mode with real llama-server children ({@code switchboard --models-dir DIR
 * --llama-server <real binary>}, a process of its own), serving tiny random-weight models with a
 * real tokenizer: what a user of llama.cpp's router sees, with the engine they run.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a lost event must not hang the build
class RealEngineTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private GatewayProcess gateway;
    private RouterClient api;
    /** Children that may have lost their gateway (no longer its descendants). */
    private Set<Long> orphans = Set.of();

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        orphans.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
    }

    private Path models() {
        try {
            return Files.createDirectories(dir.resolve("models"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void start(String... args) {
        start(Map.of(), args);
    }

    /** {@code switchboard --models-dir DIR/models --llama-server REAL ARGS}; one thread per child. */
    private void start(Map<String, String> env, String... args) {
        List<String> line = new ArrayList<>(List.of(
                "--models-dir",
                models().toString(),
                "--llama-server",
                RealLlamaServer.binary().toString()));
        line.addAll(List.of(args));
        line.addAll(List.of("--threads", "1")); // reaches the children: the machine is shared
        gateway = GatewayProcess.start(dir, env, line.toArray(String[]::new));
        api = gateway.client();
    }

    /** The llama-server children running now, by model. */
    private Map<String, Long> children() {
        return gateway.process()
                .descendants()
                .filter(p -> p.info().command().orElse("").endsWith("llama-server"))
                .collect(Collectors.toMap(RealEngineTest::alias, ProcessHandle::pid));
    }

    private static String alias(ProcessHandle child) {
        List<String> args = List.of(child.info().arguments().orElse(new String[0]));
        int at = args.indexOf("--alias");
        return at >= 0 && at + 1 < args.size() ? args.get(at + 1) : "?";
    }

    private static String content(Reply reply) {
        return reply.body()
                .path("choices")
                .path(0)
                .path("message")
                .path("content")
                .asText();
    }

    @Test
    void loadsAModelAndAnswersAChatToMaxTokens() {
        RealLlamaServer.writeModel(models(), "tiny");
        start();

        api.loadAndWait("tiny");
        Reply answer = api.post("/v1/chat/completions", chat("tiny", 12));

        assertThat(answer.status()).as("%s", answer.body()).isEqualTo(200);
        assertThat(content(answer)).isNotBlank();
        // the end-of-text token can never be sampled: the answer runs to max_tokens
        assertThat(answer.body().path("usage").path("completion_tokens").asInt())
                .isEqualTo(12);
        assertThat(answer.body().path("choices").path(0).path("finish_reason").asText())
                .isEqualTo("length");
        assertThat(answer.body().path("model").asText()).isEqualTo("tiny");
    }

    @Test
    void streamsAChatFromAModelLoadedOnDemand() {
        RealLlamaServer.writeModel(models(), "tiny");
        start();

        List<JsonNode> events = api.streamChat("tiny");

        StringBuilder text = new StringBuilder();
        List<String> finishes = new ArrayList<>();
        for (JsonNode event : events) {
            JsonNode choice = event.path("choices").path(0);
            text.append(choice.path("delta").path("content").asText(""));
            if (choice.hasNonNull("finish_reason")) {
                finishes.add(choice.path("finish_reason").asText());
            }
        }
        assertThat(text.toString()).isNotBlank();
        assertThat(finishes).containsExactly("length");
        assertThat(api.status("tiny")).isEqualTo("loaded");
    }

    @Test
    void modelsMaxEvictsTheLeastRecentlyUsedModel() {
        for (String id : List.of("one", "two", "three")) {
            RealLlamaServer.writeModel(models(), id);
        }
        start("--models-max", "2");
        assertThat(api.post("/v1/chat/completions", chat("one", 2)).status()).isEqualTo(200);
        assertThat(api.post("/v1/chat/completions", chat("two", 2)).status()).isEqualTo(200);
        assertThat(api.post("/v1/chat/completions", chat("one", 2)).status()).isEqualTo(200);
        long two = children().get("two");

        assertThat(api.post("/v1/chat/completions", chat("three", 2)).status()).isEqualTo(200);

        await().atMost(PATIENCE).until(() -> api.status("two").equals("unloaded"));
        assertThat(api.status("one")).isEqualTo("loaded");
        assertThat(api.status("three")).isEqualTo("loaded");
        await().atMost(PATIENCE).until(() -> !Pids.running(two));
        assertThat(children()).containsOnlyKeys("one", "three");
    }

    @Test
    void swapsOneModelForAnotherAndBackWithRoomForOne() {
        RealLlamaServer.writeModel(models(), "left");
        RealLlamaServer.writeModel(models().resolve("left").resolveSibling("right.gguf"), TinyLlamaModels.Size.SMALL);
        start("--models-max", "1");

        for (String model : List.of("left", "right", "left")) {
            Reply answer = api.post("/v1/chat/completions", chat(model, 4));
            assertThat(answer.status()).as("%s: %s", model, answer.body()).isEqualTo(200);
            assertThat(content(answer)).isNotBlank();
            await().atMost(PATIENCE).until(() -> children().keySet().equals(Set.of(model)));
        }
    }

    /**
     * llama-server serves each connection on one of its HTTP workers (slots + 4, so 8 here) for as long
     * as the connection stays open; new connections that arrive together while fewer workers are free
     * wait in its queue until another connection closes, which the gateway's idle keep-alive
     * connections do only at the child's 5 s keep-alive timeout. Holding its connections within the
     * workers, the gateway answers a burst at once. The child is paused so that the burst reaches it
     * together, as it does under load.
     */
    @Test
    void aBurstOfRequestsIsAnsweredAtOnceBesideTheGatewaysKeepAliveConnections() throws Exception {
        RealLlamaServer.writeModel(models(), "tiny");
        start();
        api.loadAndWait("tiny");
        answerAll(burst(6)); // six idle keep-alive connections to the child now, six of its workers held
        long child = children().get("tiny");

        List<CompletableFuture<Reply>> burst;
        try {
            signal("STOP", child);
            burst = burst(12);
            Thread.sleep(500); // the requests reach the paused child
        } finally {
            signal("CONT", child);
        }
        long resumed = System.nanoTime();
        answerAll(burst);

        // the previous build: four of the twelve waited for the keep-alive timeout, 5.1 s
        assertThat(Duration.ofNanos(System.nanoTime() - resumed)).isLessThan(Duration.ofSeconds(3));
    }

    private List<CompletableFuture<Reply>> burst(int requests) {
        List<CompletableFuture<Reply>> replies = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            replies.add(api.postAsync("/v1/chat/completions", chat("tiny", 2)));
        }
        return replies;
    }

    private static void answerAll(List<CompletableFuture<Reply>> replies) {
        for (CompletableFuture<Reply> reply : replies) {
            Reply answer = reply.orTimeout(30, TimeUnit.SECONDS).join();
            assertThat(answer.status()).as("%s", answer.body()).isEqualTo(200);
        }
    }

    private static void signal(String signal, long pid) throws IOException, InterruptedException {
        assertThat(new ProcessBuilder("kill", "-" + signal, String.valueOf(pid))
                        .inheritIO()
                        .start()
                        .waitFor())
                .isZero();
    }

    @Test
    void servesAModelOfAPresetFileWithThePresetsArguments() throws Exception {
        Path file = RealLlamaServer.writeModel(dir.resolve("elsewhere"), "stories");
        Path preset = Files.writeString(dir.resolve("presets.ini"), """
                [*]
                c = 1024

                [custom-stories]
                model = %s
                c = 512
                """.formatted(file));
        start("--models-preset", preset.toString());

        Reply answer = api.post("/v1/chat/completions", chat("custom-stories", 4));

        assertThat(answer.status()).as("%s", answer.body()).isEqualTo(200);
        assertThat(content(answer)).isNotBlank();
        List<String> args = new ArrayList<>();
        api.modelEntry("custom-stories").path("status").path("args").forEach(a -> args.add(a.asText()));
        assertThat(String.join(" ", args)).contains("--ctx-size 512").contains(file.toString());
        // the running child's own context: the section's value over [*]
        assertThat(api.modelEntry("custom-stories").path("meta").path("n_ctx").asInt())
                .isEqualTo(512);
    }

    @Test
    void discoversAndServesAModelOfTheHuggingFaceCache() throws Exception {
        HubCacheFixture cache = new HubCacheFixture(Files.createDirectories(dir.resolve("hf-cache")));
        String commit = HubCacheFixture.commit("main");
        Path link = cache.repo("switchboard/real-tiny-GGUF").ref("main", commit).file(commit, "real-tiny-F16.gguf", "");
        Path blob = link.toRealPath();
        Files.delete(blob);
        RealLlamaServer.writeModel(blob, TinyLlamaModels.Size.TINY);
        Map<String, String> env = new HashMap<>();
        env.put("LLAMA_CACHE", cache.hub().toString());
        start(env);

        assertThat(api.modelIds(false)).contains("switchboard/real-tiny-GGUF:F16");
        Reply answer = api.post("/v1/chat/completions", chat("switchboard/real-tiny-GGUF:F16", 4));

        assertThat(answer.status()).as("%s", answer.body()).isEqualTo(200);
        assertThat(content(answer)).isNotBlank();
    }

    @Test
    void modelEventsReportTheLoadWithTheChildsProgress() throws Exception {
        RealLlamaServer.writeModel(models().resolve("big.gguf"), TinyLlamaModels.Size.MEDIUM);
        start();
        List<JsonNode> events = new ArrayList<>();
        try (BufferedReader sse = api.openModelEvents()) {
            assertThat(api.post("/models/load", "{\"model\":\"big\"}").status()).isEqualTo(200);
            for (String line = sse.readLine(); line != null; line = sse.readLine()) {
                if (line.startsWith("data: ")) {
                    JsonNode event = JSON.readTree(line.substring("data: ".length()));
                    events.add(event);
                    if (event.path("data").path("status").asText().equals("loaded")) {
                        break;
                    }
                }
            }
        }

        assertThat(events).allSatisfy(e -> assertThat(e.path("model").asText()).isEqualTo("big"));
        assertThat(events.getFirst().path("event").asText()).isEqualTo("model_status");
        assertThat(events.getFirst().path("data").path("status").asText()).isEqualTo("loading");
        // the child's cmd_child_to_router:state loading lines, as the router relays them
        List<JsonNode> progress =
                events.stream().filter(e -> e.path("data").has("progress")).toList();
        assertThat(progress).isNotEmpty().allSatisfy(e -> {
            assertThat(e.path("event").asText()).isEqualTo("status_change");
            assertThat(e.path("data").path("status").asText()).isEqualTo("loading");
            assertThat(e.path("data").path("progress").path("value").asDouble()).isBetween(0.0, 1.0);
        });
        assertThat(progress.getLast()
                        .path("data")
                        .path("progress")
                        .path("value")
                        .asDouble())
                .isEqualTo(1.0);
        assertThat(events.getLast().path("event").asText()).isEqualTo("status_change");
    }

    @Test
    void unloadAsksTheChildToExitAndItLeavesOnItsOwn() throws Exception {
        RealLlamaServer.writeModel(models(), "tiny");
        Path childLog = dir.resolve("child.log");
        start("--log-file", childLog.toString());
        api.loadAndWait("tiny");
        long child = children().get("tiny");

        Reply unload = api.post("/models/unload", "{\"model\":\"tiny\"}");

        assertThat(unload.status()).isEqualTo(200);
        await().atMost(PATIENCE).until(() -> api.status("tiny").equals("unloaded"));
        await().atMost(PATIENCE).until(() -> !Pids.running(child));
        // llama-server's own words on reading cmd_router_to_child:exit from its stdin
        assertThat(Files.readString(childLog)).contains("exit command received, exiting...");
        assertThat(api.modelEntry("tiny").path("status").has("failed")).isFalse();
    }

    @Test
    void aModelWhoseFileTheEngineCannotLoadIsFailedWithTheExitCode() throws Exception {
        Files.createDirectories(models());
        // a GGUF header the gateway reads, naming tensors llama.cpp cannot find
        new GgufWriter()
                .putString("general.architecture", "llama")
                .putUint32("llama.block_count", 1)
                .putUint32("llama.context_length", 256)
                .putUint32("llama.embedding_length", 64)
                .putUint32("llama.attention.head_count", 4)
                .write(models().resolve("broken.gguf"));
        RealLlamaServer.writeModel(models(), "fine");
        start();

        Reply load = api.post("/models/load", "{\"model\":\"broken\"}");

        assertThat(load.status()).isEqualTo(200);
        await().atMost(PATIENCE)
                .until(() ->
                        api.modelEntry("broken").path("status").path("failed").asBoolean());
        JsonNode status = api.modelEntry("broken").path("status");
        assertThat(status.path("value").asText()).isEqualTo("unloaded");
        assertThat(status.path("exit_code").asInt()).isNotZero();
        assertThat(children()).isEmpty();
        // the gateway goes on serving the others
        assertThat(api.post("/v1/chat/completions", chat("fine", 2)).status()).isEqualTo(200);
    }

    @Test
    void noChildOutlivesAGatewayKilledWithSigkill() throws Exception {
        RealLlamaServer.writeModel(models(), "first");
        RealLlamaServer.writeModel(models(), "second");
        start();
        assertThat(api.post("/v1/chat/completions", chat("first", 2)).status()).isEqualTo(200);
        assertThat(api.post("/v1/chat/completions", chat("second", 2)).status()).isEqualTo(200);
        Set<Long> engines = Set.copyOf(children().values());
        orphans = engines;
        assertThat(engines).hasSize(2);

        gateway.process().destroyForcibly(); // SIGKILL: no shutdown hook runs
        assertThat(gateway.process().waitFor(10, TimeUnit.SECONDS)).isTrue();

        // the guard ends the children when the gateway's pipe closes (loaded ones leave by themselves too)
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(engines).noneMatch(Pids::running));
    }
}
