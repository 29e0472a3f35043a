package dev.switchboard.app.http;

import static dev.switchboard.app.http.OpenAiRoutesTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.core.lifecycle.ModelState;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** llama.cpp's router API: its requests, answers and error wording. */
class RouterRoutesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    static TestGateway gateway;

    @BeforeAll
    static void start() {
        gateway = TestGateway.start(
                dir,
                List.of(
                        TestGateway.simulated(dir, "loadable"),
                        TestGateway.simulated(dir, "busy"),
                        TestGateway.simulated(dir, "probed"),
                        TestGateway.simulated(dir, "unloadable"),
                        TestGateway.simulated(dir, "watched"),
                        TestGateway.simulated(dir, "resting")));
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void loadsAModelInTheBackground() throws IOException {
        HttpResponse<String> response = gateway.post("/models/load", "{\"model\":\"loadable\"}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(response.body())).isEqualTo(JSON.readTree("{\"success\":true}"));
        await().atMost(TestGateway.PATIENCE)
                .until(() -> gateway.gateway().status("loadable").state() == ModelState.READY);
    }

    @Test
    void refusesToLoadAnUnknownModel() throws IOException {
        assertError(gateway.post("/models/load", "{\"model\":\"nope\"}"), 404, "not_found_error", "model is not found");
    }

    @Test
    void refusesToLoadARunningModel() throws IOException {
        gateway.post("/models/load", "{\"model\":\"busy\"}");

        assertError(
                gateway.post("/models/load", "{\"model\":\"busy\"}"),
                400,
                "invalid_request_error",
                "model is already running");
    }

    @Test
    void unloadsALoadedModel() throws IOException {
        gateway.ensureLoaded("unloadable");

        HttpResponse<String> response = gateway.post("/models/unload", "{\"model\":\"unloadable\"}");

        assertThat(JSON.readTree(response.body())).isEqualTo(JSON.readTree("{\"success\":true}"));
        await().atMost(TestGateway.PATIENCE)
                .until(() -> gateway.gateway().status("unloadable").state() == ModelState.UNLOADED);
    }

    @Test
    void refusesToUnloadAModelThatIsNotRunning() throws IOException {
        assertError(
                gateway.post("/models/unload", "{\"model\":\"resting\"}"),
                400,
                "invalid_request_error",
                "model is not running");
    }

    @Test
    void refusesToUnloadAnUnknownModelAsLlamaCppDoes() throws IOException {
        assertError(
                gateway.post("/models/unload", "{\"model\":\"nope\"}"),
                400,
                "invalid_request_error",
                "model is not found");
    }

    @Test
    void describesItselfAsARouter() throws IOException {
        JsonNode props = JSON.readTree(gateway.get("/props").body());

        assertThat(props.path("role").asText()).isEqualTo("router");
        assertThat(props.path("max_instances").asInt()).isEqualTo(4);
        assertThat(props.path("models_autoload").asBoolean()).isTrue();
        // llama.cpp's b<build>-<commit> form, which clients parse; the gateway's version beside it
        assertThat(props.path("build_info").asText()).matches("b\\d+-\\S+");
        assertThat(props.path("switchboard_version").asText()).isNotBlank();
    }

    @Test
    void asksTheEngineForAModelsProps() throws IOException {
        HttpResponse<String> response = gateway.get("/props?model=probed");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).path("model_path").asText()).isEqualTo("/models/probed.gguf");
    }

    @Test
    void reportsHealth() throws IOException {
        HttpResponse<String> response = gateway.get("/health");

        assertThat(JSON.readTree(response.body())).isEqualTo(JSON.readTree("{\"status\":\"ok\"}"));
    }

    @Test
    void streamsModelStatusInLlamaCppShape() throws IOException {
        HttpResponse<InputStream> response =
                gateway.open(gateway.request("/models/sse").GET().build());
        try (Streams events = new Streams(response)) {
            gateway.post("/models/load", "{\"model\":\"watched\"}");

            JsonNode loading = JSON.readTree(events.nextMatching(e -> e.contains("\"watched\"")));
            JsonNode loaded = JSON.readTree(events.nextMatching(e -> e.contains("\"loaded\"")));

            assertThat(loading)
                    .isEqualTo(JSON.readTree(
                            "{\"model\":\"watched\",\"event\":\"model_status\",\"data\":{\"status\":\"loading\"}}"));
            assertThat(loaded)
                    .isEqualTo(JSON.readTree(
                            "{\"model\":\"watched\",\"event\":\"status_change\",\"data\":{\"status\":\"loaded\"}}"));
        }
    }
}
