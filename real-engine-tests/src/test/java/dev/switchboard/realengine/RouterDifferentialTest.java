package dev.switchboard.realengine;

import static dev.switchboard.app.parity.RouterClient.PATIENCE;
import static dev.switchboard.app.parity.RouterClient.chat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.app.parity.GatewayProcess;
import dev.switchboard.app.parity.RouterClient;
import dev.switchboard.app.parity.RouterClient.Reply;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Differential parity with llama.cpp's own router: the real llama-server started as a router is the
 * reference, Switchboard with the same binary as {@code --llama-server} is the subject. One script of
 * requests goes to both, over the same models; for every step the test compares the status code, the
 * JSON shape (keys and value types, recursively), the values that are no accident of time or place
 * (see {@link #COMPARED_VALUES}) and error messages. Timestamps, ports, pids, paths and generated text
 * are compared by type only.
 *
 * <p>Compared routes: {@code GET /health}, {@code GET /props}, {@code GET /models} (before a load,
 * loaded, after the unload), {@code GET /v1/models}, {@code POST /models/load} (a model, the same
 * again, an unknown one), {@code POST /models/unload} (a loaded model, the same again, an unknown
 * one), {@code POST /v1/chat/completions} (plain, streaming, an unknown model, no model, a malformed
 * body) and the {@code GET /models/sse} events of a load and an unload.
 *
 * <p>Every deliberate difference is listed once, in {@link #DIFFERENCES}, with its reason
 * (docs/REAL-ENGINE.md repeats the list); the test pins both sides of each, so a difference that
 * goes away, or changes, fails it too.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 300, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class RouterDifferentialTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Keys whose values (strings and booleans) must match, not only their types. */
    private static final Set<String> COMPARED_VALUES = Set.of(
            "object",
            "id",
            "owned_by",
            "role",
            "value",
            "source",
            "can_remove",
            "success",
            "message",
            "type",
            "status",
            "event",
            "model",
            "finish_reason",
            "models_autoload",
            "input_modalities",
            "output_modalities");

    /**
     * A deliberate difference: at step {@code step}, llama.cpp answers {@code llamaCpp} (status and
     * error message), Switchboard {@code switchboard}, for {@code reason}.
     */
    record Difference(String step, Answer llamaCpp, Answer switchboard, String reason) {}

    /** A status and, for an error, how its message starts ({@code null}: not compared). */
    record Answer(int status, String message) {}

    /**
     * Keys Switchboard adds to a step's answer, with their reason: the test requires them there and
     * nowhere else.
     */
    record ExtraKey(String step, String key, String reason) {}

    static final List<ExtraKey> EXTRA_KEYS = List.of(new ExtraKey(
            "GET /props",
            "switchboard_version",
            "build_info keeps llama.cpp's b<number>-<commit> form, which clients parse; the gateway's own"
                    + " version goes in a key of its own"));

    static final List<Difference> DIFFERENCES = List.of(
            new Difference(
                    "load: an unknown model",
                    new Answer(404, "File Not Found"),
                    new Answer(404, "model is not found"),
                    "llama-server's HTTP layer replaces the body of every 404 with its generic 'File Not"
                            + " Found', losing the router's own 'model is not found'; Switchboard sends the"
                            + " router's words"),
            new Difference(
                    "chat: unknown model",
                    new Answer(400, "model 'no-such-model' not found"),
                    new Answer(404, "model 'no-such-model' not found"),
                    "OpenAI's API answers an unknown model with 404, which OpenAI clients map to their"
                            + " not-found error; llama.cpp's wording is kept"),
            new Difference(
                    "chat: malformed body",
                    new Answer(500, null),
                    new Answer(400, "request body is not valid JSON: "),
                    "a body that is not JSON is the client's error (400), not the server's; llama.cpp"
                            + " answers 500 with its JSON parser's exception text"));

    @TempDir
    static Path dir;

    private Map<String, Exchange> reference;
    private Map<String, Exchange> subject;

    /** What one step of the script saw: a status and a body (a JSON value or the SSE events). */
    record Exchange(int status, JsonNode body) {}

    @BeforeAll
    void runTheScriptOnBoth() throws Exception {
        Path models = dir.resolve("models");
        RealLlamaServer.writeModel(models, "alpha");
        RealLlamaServer.writeModel(models, "beta");
        String[] args = {"--models-dir", models.toString(), "--threads", "1"};

        Path referenceDir = Files.createDirectories(dir.resolve("llama.cpp"));
        try (LlamaRouter router = LlamaRouter.start(referenceDir, args)) {
            reference = script(router.client());
        }
        Path subjectDir = Files.createDirectories(dir.resolve("switchboard"));
        List<String> line = new ArrayList<>(List.of(args));
        line.addAll(List.of("--llama-server", RealLlamaServer.binary().toString()));
        try (GatewayProcess gateway = GatewayProcess.start(subjectDir, Map.of(), line.toArray(String[]::new))) {
            subject = script(gateway.client());
        }
    }

    @AfterAll
    void printTheComparison() {
        System.out.printf(
                "real-engine tier: differential parity with llama.cpp's router: %d steps compared, %d deliberate"
                        + " differences, %d added keys%n",
                reference == null ? 0 : reference.size(), DIFFERENCES.size(), EXTRA_KEYS.size());
    }

    /** The scripted requests, in order; each step named. */
    private static Map<String, Exchange> script(RouterClient api) throws IOException {
        Map<String, Exchange> seen = new LinkedHashMap<>();
        seen.put("GET /health", exchange(api.get("/health")));
        seen.put("GET /props", exchange(api.get("/props")));
        seen.put("GET /models: before a load", exchange(api.get("/models")));
        seen.put("GET /v1/models", exchange(api.get("/v1/models")));
        seen.put("load: a model", exchange(api.post("/models/load", "{\"model\":\"alpha\"}")));
        await().atMost(PATIENCE).until(() -> api.status("alpha").equals("loaded"));
        seen.put("GET /models: loaded", exchange(api.get("/models")));
        seen.put("load: the same again", exchange(api.post("/models/load", "{\"model\":\"alpha\"}")));
        seen.put("load: an unknown model", exchange(api.post("/models/load", "{\"model\":\"no-such-model\"}")));
        seen.put("chat: plain", exchange(api.post("/v1/chat/completions", chat("alpha", 4))));
        seen.put("chat: streaming", new Exchange(200, JSON.valueToTree(api.streamChat("alpha"))));
        seen.put("chat: unknown model", exchange(api.post("/v1/chat/completions", chat("no-such-model", 4))));
        seen.put(
                "chat: no model",
                exchange(api.post("/v1/chat/completions", "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")));
        seen.put("chat: malformed body", exchange(api.post("/v1/chat/completions", "{\"model\":\"alpha\",")));
        seen.put("unload: a model", exchange(api.post("/models/unload", "{\"model\":\"alpha\"}")));
        await().atMost(PATIENCE).until(() -> api.status("alpha").equals("unloaded"));
        seen.put("GET /models: unloaded", exchange(api.get("/models")));
        seen.put("unload: the same again", exchange(api.post("/models/unload", "{\"model\":\"alpha\"}")));
        seen.put("unload: an unknown model", exchange(api.post("/models/unload", "{\"model\":\"no-such-model\"}")));

        try (BufferedReader sse = api.openModelEvents()) {
            Iterator<JsonNode> events = events(sse);
            api.post("/models/load", "{\"model\":\"beta\"}");
            seen.put("/models/sse: a load", new Exchange(200, until(events, "loaded")));
            api.post("/models/unload", "{\"model\":\"beta\"}");
            seen.put("/models/sse: an unload", new Exchange(200, until(events, "unloaded")));
        }
        return seen;
    }

    private static Exchange exchange(Reply reply) {
        return new Exchange(reply.status(), reply.body());
    }

    private static Iterator<JsonNode> events(BufferedReader sse) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public JsonNode next() {
                try {
                    for (String line = sse.readLine(); line != null; line = sse.readLine()) {
                        if (line.startsWith("data: ")) {
                            return JSON.readTree(line.substring("data: ".length()));
                        }
                    }
                    throw new AssertionError("the model event stream ended");
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            }
        };
    }

    /**
     * The events up to the first whose status is {@code status}, as a JSON array; a run of loading
     * progress events is one entry, since how many there are depends on the machine's speed.
     */
    private static JsonNode until(Iterator<JsonNode> events, String status) {
        List<JsonNode> seen = new ArrayList<>();
        while (true) {
            JsonNode event = events.next();
            boolean progress = event.path("data").has("progress");
            if (!(progress && !seen.isEmpty() && seen.getLast().path("data").has("progress"))) {
                seen.add(event);
            }
            if (event.path("data").path("status").asText().equals(status)) {
                return JSON.valueToTree(seen);
            }
        }
    }

    @Test
    void everyStepAnswersAsLlamaCppsRouterDoesSaveTheListedDifferences() {
        assertThat(subject.keySet()).containsExactlyElementsOf(reference.keySet());
        List<String> mismatches = new ArrayList<>();
        reference.forEach((step, expected) -> {
            Exchange actual = subject.get(step);
            Difference difference = DIFFERENCES.stream()
                    .filter(d -> d.step().equals(step))
                    .findFirst()
                    .orElse(null);
            if (difference != null) {
                pin(step, "llama.cpp", expected, difference.llamaCpp(), mismatches::add);
                pin(step, "Switchboard", actual, difference.switchboard(), mismatches::add);
                return;
            }
            if (expected.status() != actual.status()) {
                mismatches.add(step + ": status " + actual.status() + ", llama.cpp " + expected.status() + " ("
                        + actual.body() + " / " + expected.body() + ")");
            }
            compare(step, "", expected.body(), actual.body(), mismatches::add);
        });
        for (ExtraKey listed : EXTRA_KEYS) {
            if (!subject.get(listed.step()).body().has(listed.key())) {
                mismatches.add(listed.step() + ": EXTRA_KEYS lists '" + listed.key() + "', Switchboard sent none");
            }
        }
        assertThat(mismatches)
                .as("differences from llama.cpp's router not listed in DIFFERENCES")
                .isEmpty();
    }

    @Test
    void theModelListShowsWhatTheRouterShowsBeforeDuringAndAfterALoad() {
        for (String step : List.of("GET /models: before a load", "GET /models: loaded", "GET /models: unloaded")) {
            JsonNode alpha = entry(subject.get(step).body(), "alpha");
            assertThat(alpha.path("source").asText()).as(step).isEqualTo("models_dir");
            assertThat(alpha.path("can_remove").asBoolean()).as(step).isFalse();
            assertThat(alpha.path("status").path("preset").asText())
                    .as(step)
                    .startsWith("[alpha]\n")
                    .contains("model = ");
            // the command it runs, or will run: llama.cpp lists --port 0 before the first load
            assertThat(alpha.path("status").path("args").get(0).asText())
                    .as(step)
                    .isEqualTo(RealLlamaServer.binary().toString());
        }
        assertThat(entry(subject.get("GET /models: before a load").body(), "alpha")
                        .path("status")
                        .path("args")
                        .toString())
                .contains("\"--port\",\"0\"");
        JsonNode loaded = entry(subject.get("GET /models: loaded").body(), "alpha");
        assertThat(loaded.path("meta").path("n_vocab").asInt()).isEqualTo(32_000);
        assertThat(loaded.path("meta").path("n_ctx").asInt()).isPositive();
        assertThat(entry(subject.get("GET /models: unloaded").body(), "alpha").has("meta"))
                .isFalse();
    }

    private static JsonNode entry(JsonNode list, String id) {
        for (JsonNode model : list.path("data")) {
            if (model.path("id").asText().equals(id)) {
                return model;
            }
        }
        throw new AssertionError("no " + id + " in " + list);
    }

    private static void pin(String step, String who, Exchange seen, Answer expected, Consumer<String> mismatch) {
        if (seen.status() != expected.status()) {
            mismatch.accept(step + ": " + who + " answered " + seen.status() + ", DIFFERENCES says " + expected.status()
                    + " (" + seen.body() + ")");
        }
        String message = seen.body() == null
                ? null
                : seen.body().path("error").path("message").asText(null);
        if (expected.message() != null && (message == null || !message.startsWith(expected.message()))) {
            mismatch.accept(
                    step + ": " + who + " said '" + message + "', DIFFERENCES says '" + expected.message() + "'");
        }
    }

    /** Compares shapes recursively: same keys, same value types, and the values of {@link #COMPARED_VALUES}. */
    private static void compare(String step, String path, JsonNode expected, JsonNode actual, Consumer<String> out) {
        String where = step + " " + (path.isEmpty() ? "(body)" : path);
        if (expected == null || actual == null) {
            if (expected != actual) {
                out.accept(where + ": " + (expected == null ? "llama.cpp sent no JSON" : "Switchboard sent no JSON"));
            }
            return;
        }
        if (expected.getNodeType() != actual.getNodeType()) {
            out.accept(where + ": " + actual.getNodeType() + ", llama.cpp " + expected.getNodeType() + " (" + actual
                    + " / " + expected + ")");
            return;
        }
        if (expected.isObject()) {
            Set<String> expectedKeys = new TreeSet<>();
            expected.fieldNames().forEachRemaining(expectedKeys::add);
            Set<String> actualKeys = new TreeSet<>();
            actual.fieldNames().forEachRemaining(actualKeys::add);
            if (!expectedKeys.equals(actualKeys)) {
                Set<String> missing = new TreeSet<>(expectedKeys);
                missing.removeAll(actualKeys);
                Set<String> extra = new TreeSet<>(actualKeys);
                extra.removeAll(expectedKeys);
                if (path.isEmpty()) {
                    EXTRA_KEYS.stream()
                            .filter(listed -> listed.step().equals(step))
                            .forEach(listed -> extra.remove(listed.key()));
                }
                if (!missing.isEmpty() || !extra.isEmpty()) {
                    out.accept(where + ": keys missing " + missing + ", extra " + extra);
                }
            }
            for (String key : expectedKeys) {
                if (actualKeys.contains(key)) {
                    String child = path.isEmpty() ? key : path + "." + key;
                    boolean completionId = key.equals("id") && step.startsWith("chat"); // random per answer
                    if (COMPARED_VALUES.contains(key)
                            && !completionId
                            && (expected.get(key).isValueNode() || key.endsWith("modalities"))
                            && !expected.get(key).equals(actual.get(key))) {
                        out.accept(step + " " + child + ": " + actual.get(key) + ", llama.cpp " + expected.get(key));
                    }
                    compare(step, child, expected.get(key), actual.get(key), out);
                }
            }
        } else if (expected.isArray()) {
            // lists of models or events pair up by position; lists of values (args) by element type
            boolean ofContainers = expected.size() > 0 && expected.get(0).isContainerNode();
            if (ofContainers && expected.size() != actual.size()) {
                out.accept(where + ": " + actual.size() + " entries, llama.cpp " + expected.size() + " (" + actual
                        + " / " + expected + ")");
                return;
            }
            for (int i = 0; i < Math.min(expected.size(), actual.size()); i++) {
                compare(step, path + "[" + i + "]", expected.get(i), actual.get(i), out);
            }
        }
    }
}
