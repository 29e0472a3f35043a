package dev.switchboard.app.parity;

import static dev.switchboard.app.parity.RouterClient.PATIENCE;
import static dev.switchboard.app.parity.RouterClient.chat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.app.parity.RouterClient.Reply;
import dev.switchboard.simulator.JournalEvent;
import java.io.BufferedReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * llama-server's router API as its own tests check it ({@code
 * tools/server/tests/unit/test_router.py}), with the wording of {@code
 * tools/server/server-models.cpp} where a test only checks that a request fails, run against
 * Switchboard started with llama-server's command line.
 */
class RouterApiParityTest {
    private static final ObjectMapper JSON = new ObjectMapper();

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

    private void start(String... args) {
        router = RouterUnderTest.start(dir, args);
        api = router.client();
    }

    private static void assertError(Reply reply, int status, String type, String message) {
        assertThat(reply.status()).as("status of %s", reply.body()).isEqualTo(status);
        assertThat(reply.body().path("error").path("code").asInt()).isEqualTo(status);
        assertThat(reply.errorType()).isEqualTo(type);
        assertThat(reply.errorMessage()).isEqualTo(message);
    }

    // test_router_props
    @Test
    void propsDescribeTheRouter() {
        start("--models-max", "2", "--no-models-autoload");

        Reply props = api.get("/props");

        assertThat(props.status()).isEqualTo(200);
        assertThat(props.body().path("role").asText()).isEqualTo("router");
        assertThat(props.body().path("max_instances").asInt()).isEqualTo(2);
        assertThat(props.body().path("models_autoload").isBoolean()).isTrue();
        assertThat(props.body().path("models_autoload").asBoolean()).isFalse();
        // as llama.cpp's test_router_props checks it
        assertThat(props.body().path("build_info").asText()).startsWith("b");
    }

    // test_router.py's _get_model_ids and _get_model_status, on a --models-dir
    @Test
    void listsEveryModelOfTheModelsDirectoryAsUnloaded() {
        ModelsDir.addModel(dir, "alpha-Q8_0");
        ModelsDir.addModel(dir, "beta-Q8_0");
        start();

        Reply list = api.get("/models");

        assertThat(list.status()).isEqualTo(200);
        assertThat(list.body().path("object").asText()).isEqualTo("list");
        assertThat(api.modelIds(false)).containsExactlyInAnyOrder("alpha-Q8_0", "beta-Q8_0");
        JsonNode alpha = api.modelEntry("alpha-Q8_0");
        assertThat(alpha.path("object").asText()).isEqualTo("model");
        assertThat(alpha.path("owned_by").asText()).isEqualTo("llamacpp");
        assertThat(alpha.path("status").path("value").asText()).isEqualTo("unloaded");
    }

    // get_router_models in server-models.cpp: the entry before the model's first load
    @Test
    void listsAnUnloadedModelWithTheCommandItWillRunItsPresetAndItsSource() {
        Path file = ModelsDir.addModel(dir, "alpha-Q8_0");
        start();

        JsonNode alpha = api.modelEntry("alpha-Q8_0");

        assertThat(alpha.path("source").asText()).isEqualTo("models_dir");
        assertThat(alpha.path("can_remove").asBoolean()).isFalse();
        assertThat(alpha.path("architecture").path("input_modalities").toString())
                .isEqualTo("[\"text\"]");
        assertThat(alpha.path("architecture").path("output_modalities").toString())
                .isEqualTo("[\"text\"]");
        assertThat(alpha.path("status").path("preset").asText()).isEqualTo("[alpha-Q8_0]\nmodel = " + file + "\n\n");
        List<String> args = new ArrayList<>();
        alpha.path("status").path("args").forEach(arg -> args.add(arg.asText()));
        assertThat(args.getFirst()).isEqualTo(dir.resolve("llama-server").toString());
        assertThat(String.join(" ", args)).contains("--port 0", "--alias alpha-Q8_0", file.toString());
        assertThat(alpha.has("meta")).isFalse();
        assertThat(router.journal().events()).isEmpty();
    }

    // test_router_chat_completion_stream[ggml-org/tinygemma3-GGUF:Q8_0-True]
    @Test
    void streamsAChatCompletionFromAModelLoadedOnDemand() {
        ModelsDir.addModel(dir, "tiny");
        start();

        List<JsonNode> events = api.streamChat("tiny");

        StringBuilder content = new StringBuilder();
        for (JsonNode event : events) {
            JsonNode choice = event.path("choices").path(0);
            if (choice.isMissingNode()) {
                continue;
            }
            String finish = choice.path("finish_reason").asText(null);
            if (finish != null) {
                assertThat(finish).isIn("stop", "length");
                assertThat(choice.path("delta").has("content")).isFalse();
            } else {
                content.append(choice.path("delta").path("content").asText(""));
            }
        }
        assertThat(content).isNotEmpty();
        assertThat(api.status("tiny")).isEqualTo("loaded");
    }

    // test_router_chat_completion_stream[non-existent/model-False]; wording: router_validate_model.
    // llama.cpp answers 400 here; Switchboard's API answers 404 for a model it does not know, on
    // every route, with llama.cpp's wording.
    @Test
    void refusesAChatCompletionForAnUnknownModel() {
        ModelsDir.addModel(dir, "tiny");
        start();

        Reply reply = api.post("/v1/chat/completions", chat("non-existent/model", 4, "\"stream\":true,"));

        assertError(reply, 404, "not_found_error", "model 'non-existent/model' not found");
        assertThat(router.journal().events()).isEmpty();
    }

    // router_validate_model in server-models.cpp
    @Test
    void refusesARequestThatNamesNoModel() {
        start();

        Reply reply = api.post("/v1/chat/completions", "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

        assertError(reply, 400, "invalid_request_error", "model name is missing from the request");
    }

    // test_router_unload_model
    @Test
    void unloadsALoadedModelByAskingItsChildToExit() {
        ModelsDir.addModel(dir, "tiny");
        start();
        api.loadAndWait("tiny");

        Reply unload = api.post("/models/unload", "{\"model\":\"tiny\"}");

        assertThat(unload.status()).isEqualTo(200);
        assertThat(unload.body().path("success").asBoolean()).isTrue();
        await().atMost(PATIENCE).until(() -> api.status("tiny").equals("unloaded"));
        long child = router.journal().starts("tiny").getFirst().pid();
        // the child heard cmd_router_to_child:exit and left on its own, status 0, instead of being killed
        await().atMost(PATIENCE)
                .untilAsserted(() -> assertThat(router.journal().events())
                        .filteredOn(e -> e.pid() == child && e.event().equals(JournalEvent.EXIT))
                        .singleElement()
                        .satisfies(exit -> assertThat(exit.number("code")).hasValue(0)));
    }

    // post_router_models_load in server-models.cpp
    @Test
    void loadRefusesAnUnknownModel() {
        start();

        assertError(api.post("/models/load", "{\"model\":\"nope\"}"), 404, "not_found_error", "model is not found");
    }

    // post_router_models_load in server-models.cpp
    @Test
    void loadRefusesAModelThatIsAlreadyRunning() {
        ModelsDir.addModel(dir, "tiny");
        start();
        api.loadAndWait("tiny");

        assertError(
                api.post("/models/load", "{\"model\":\"tiny\"}"),
                400,
                "invalid_request_error",
                "model is already running");
    }

    // post_router_models_unload in server-models.cpp: 400 here, unlike load's 404
    @Test
    void unloadRefusesAnUnknownModel() {
        start();

        assertError(
                api.post("/models/unload", "{\"model\":\"nope\"}"), 400, "invalid_request_error", "model is not found");
    }

    // post_router_models_unload in server-models.cpp
    @Test
    void unloadRefusesAModelThatIsNotRunning() {
        ModelsDir.addModel(dir, "tiny");
        start();

        assertError(
                api.post("/models/unload", "{\"model\":\"tiny\"}"),
                400,
                "invalid_request_error",
                "model is not running");
    }

    // test_router_no_models_autoload; wording: router_validate_model
    @Test
    void withoutAutoloadARequestForAnUnloadedModelIsRefusedUntilTheModelIsLoaded() {
        ModelsDir.addModel(dir, "tiny");
        start("--no-models-autoload");

        assertError(
                api.post("/v1/chat/completions", chat("tiny", 4)), 400, "invalid_request_error", "model is not loaded");
        assertThat(router.journal().events()).isEmpty();

        api.loadAndWait("tiny");

        Reply answer = api.post("/v1/chat/completions", chat("tiny", 4));
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body().has("error")).isFalse();
    }

    // README "Routing requests": ?autoload=true|false overrides --no-models-autoload per request
    @Test
    void theAutoloadQueryParameterLoadsAModelDespiteNoModelsAutoload() {
        ModelsDir.addModel(dir, "tiny");
        start("--no-models-autoload");

        Reply answer = api.post("/v1/chat/completions?autoload=true", chat("tiny", 4));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(api.status("tiny")).isEqualTo("loaded");
    }

    // test_router_api_key_required
    @Test
    void requiresTheApiKeyAndKeepsItFromTheChildren() {
        ModelsDir.addModel(dir, "tiny");
        start("--api-key", "sk-router-secret");
        String[] auth = {"Authorization", "Bearer sk-router-secret"};

        Reply refused = api.post("/v1/chat/completions", chat("tiny", 4));
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.errorType()).isEqualTo("authentication_error");

        api.loadAndWait("tiny", auth);

        Reply answer = api.post("/v1/chat/completions", chat("tiny", 4), auth);
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body().has("error")).isFalse();
        // unset_reserved_args: the key is the router's, a child never gets it
        assertThat(router.journal().starts("tiny").getFirst().args()).doesNotContain("--api-key", "sk-router-secret");
    }

    // test_router_reload_models
    @Test
    void reloadRereadsThePresetFile() throws Exception {
        Path model = ModelsDir.addModel(dir.resolve("elsewhere"), "stories");
        Path preset = Files.writeString(dir.resolve("presets.ini"), """
                [model-reload-a]
                model = %1$s

                [model-reload-b]
                model = %1$s
                """.formatted(model));
        start("--models-preset", preset.toString());
        assertThat(api.modelIds(false)).contains("model-reload-a", "model-reload-b");

        Files.writeString(preset, """
                [model-reload-b]
                model = %1$s

                [model-reload-c]
                model = %1$s
                """.formatted(model));

        assertThat(api.modelIds(true)).doesNotContain("model-reload-a").contains("model-reload-b", "model-reload-c");
    }

    // README "Model presets": command line over the model's section over [*]; router arguments reach every child
    @Test
    void childArgumentsTakeTheRouterCommandLineOverTheModelSectionOverTheGlobalSection() throws Exception {
        ModelsDir.addModel(dir, "tiny");
        Path preset = Files.writeString(dir.resolve("presets.ini"), """
                version = 1

                [*]
                c = 8192
                top-k = 11
                temp = 0.1

                [tiny]
                c = 4096
                temp = 0.5
                jinja = true
                """);
        start("--models-preset", preset.toString(), "--temp", "0.9", "--seed", "7");

        api.loadAndWait("tiny");

        JournalEvent child = router.journal().starts("tiny").getFirst();
        assertThat(child.entry("flags", "--top-k")).as("[*] alone").hasValue("11");
        assertThat(child.entry("flags", "--ctx-size")).as("section over [*]").hasValue("4096");
        assertThat(child.entry("flags", "--temp"))
                .as("command line over section")
                .hasValue("0.9");
        assertThat(child.entry("flags", "--seed")).as("command line alone").hasValue("7");
        assertThat(child.entry("flags", "--jinja")).as("section flag").hasValue("");
        assertThat(child.entry("flags", "--alias"))
                .as("the router names the child")
                .hasValue("tiny");
    }

    // README "GET /models": status.args is the command line the model's instance runs with
    @Test
    void listsTheArgumentsALoadedModelRunsWith() {
        ModelsDir.addModel(dir, "tiny");
        start("--seed", "7");
        api.loadAndWait("tiny");

        List<String> listed = new ArrayList<>();
        api.modelEntry("tiny").path("status").path("args").forEach(arg -> listed.add(arg.asText()));

        List<String> commandLine =
                new ArrayList<>(List.of(dir.resolve("llama-server").toString()));
        commandLine.addAll(router.journal().starts("tiny").getFirst().args());
        assertThat(listed).isEqualTo(commandLine);
    }

    // README "GET /models/sse" and server_models::load / update_status
    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a missing event must not hang the build
    void modelEventsReportLoadingThenLoaded() throws Exception {
        ModelsDir.addModel(dir, "tiny");
        start();
        List<JsonNode> events = new ArrayList<>();
        try (BufferedReader sse = api.openModelEvents()) {
            api.post("/models/load", "{\"model\":\"tiny\"}");
            for (String line = sse.readLine(); line != null; line = sse.readLine()) {
                if (line.startsWith("data: ")) {
                    JsonNode event = JSON.readTree(line.substring(6));
                    events.add(event);
                    if (event.path("data").path("status").asText().equals("loaded")) {
                        break;
                    }
                }
            }
        }

        assertThat(events.getFirst().path("model").asText()).isEqualTo("tiny");
        assertThat(events.getFirst().path("event").asText()).isEqualTo("model_status");
        assertThat(events.getFirst().path("data").path("status").asText()).isEqualTo("loading");
        assertThat(events.getLast().path("event").asText()).isEqualTo("status_change");
        assertThat(events.getLast().path("model").asText()).isEqualTo("tiny");
    }
}
