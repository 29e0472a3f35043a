package dev.switchboard.app.http;

import static dev.switchboard.app.http.OpenAiRoutesTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.app.CorsSettings;
import dev.switchboard.app.ServerSettings;
import dev.switchboard.app.auth.ApiKey;
import dev.switchboard.app.auth.KeyScope;
import dev.switchboard.app.auth.RouteClass;
import dev.switchboard.core.lifecycle.SchedulerConfig;
import dev.switchboard.core.placement.GpuInventory;
import dev.switchboard.core.spi.BackendConfig;
import dev.switchboard.simulator.JournalEvent;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keys with scopes: which models a key may use and whether it may manage the gateway; a wrong key
 * is 401, a key outside its scope 403; the model list shows what the key may use; and no gateway
 * key ever reaches an engine, which gets its own backend key instead.
 */
class ScopedApiKeyTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    static TestGateway gateway;

    @BeforeAll
    static void start() {
        List<ApiKey> scoped = List.of(
                new ApiKey("ci", "ci-key", new KeyScope(List.of("public-*"), Set.of(RouteClass.INFERENCE))),
                new ApiKey(
                        "ops", "ops-key", new KeyScope(List.of("*"), Set.of(RouteClass.INFERENCE, RouteClass.ADMIN))));
        ServerSettings settings = new ServerSettings(
                "127.0.0.1", 0, List.of("root-key"), 1024 * 1024, true, CorsSettings.off(), false, scoped);
        // engines of this backend accept only the backend's own key
        BackendConfig guarded = BackendConfig.of("guarded", "command", Map.of("apiKey", "engine-secret"));
        gateway = TestGateway.start(
                dir,
                settings,
                SchedulerConfig.ofDefaults(),
                GpuInventory.none(),
                List.of(guarded),
                List.of(
                        TestGateway.simulated(dir, "public-a", "--sim-tokens-per-second", "0"),
                        TestGateway.simulated(dir, "secret-b", "--sim-tokens-per-second", "0"),
                        TestGateway.simulatedOn(
                                "guarded",
                                dir,
                                "guarded-c",
                                "--sim-tokens-per-second",
                                "0",
                                "--api-key",
                                "${API_KEY}")));
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void refusesAWrongKeyWith401() throws IOException {
        assertError(chat("nope", "public-a"), 401, "authentication_error", "Invalid API Key");
    }

    @Test
    void servesAModelTheKeysPatternsMatch() {
        assertThat(chat("ci-key", "public-a").statusCode()).isEqualTo(200);
    }

    @Test
    void refusesAModelOutsideTheKeysPatternsWith403() throws IOException {
        assertError(chat("ci-key", "secret-b"), 403, "permission_error", "this API key may not use model 'secret-b'");
    }

    @Test
    void listsOnlyTheModelsTheKeyMayUse() throws IOException {
        assertThat(modelIds("ci-key")).containsExactly("public-a");
        assertThat(modelIds("root-key")).containsExactly("public-a", "secret-b", "guarded-c");
    }

    @Test
    void refusesAdminAndRouterManagementRoutesToAnInferenceKeyWith403() throws IOException {
        List<HttpRequest> management = List.of(
                post("/models/load", "{\"model\":\"public-a\"}"),
                post("/models/unload", "{\"model\":\"public-a\"}"),
                post("/models", "{\"model\":\"org/repo:Q4_K_M\"}"),
                gateway.request("/models?model=org/repo").DELETE().build(),
                gateway.request("/api/models").GET().build(),
                post("/api/models/public-a/load", ""),
                gateway.request("/metrics").GET().build(),
                gateway.request("/models/sse").GET().build(),
                gateway.request("/tools").GET().build(),
                post("/tools", "{\"tool\":\"get_info\",\"params\":{}}"),
                post("/api/pull", "{\"model\":\"hf.co/org/repo:Q4_K_M\"}"),
                post("/unload", ""));
        for (HttpRequest request : management) {
            HttpResponse<String> response = gateway.send(withKey(request, "ci-key"));
            assertThat(response.statusCode()).as("%s", request).isEqualTo(403);
            assertThat(JSON.readTree(response.body()).path("error").path("type").asText())
                    .isEqualTo("permission_error");
        }
    }

    @Test
    void letsAnAdminKeyManage() {
        assertThat(gateway.send(withKey(gateway.request("/api/models").GET().build(), "ops-key"))
                        .statusCode())
                .isEqualTo(200);
        assertThat(gateway.send(withKey(gateway.request("/metrics").GET().build(), "ops-key"))
                        .statusCode())
                .isEqualTo(200);
    }

    @Test
    void givesAPlainKeyEveryRightAsLlamaServersApiKeyDoes() {
        assertThat(gateway.send(withKey(gateway.request("/api/models").GET().build(), "root-key"))
                        .statusCode())
                .isEqualTo(200);
        assertThat(chat("root-key", "secret-b").statusCode()).isEqualTo(200);
    }

    @Test
    void sendsEnginesTheirBackendsKeyAndNeverTheClientsKey() {
        HttpResponse<String> guarded = gateway.send(gateway.request("/v1/chat/completions")
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer root-key")
                .header("x-api-key", "root-key")
                .POST(HttpRequest.BodyPublishers.ofString(body("guarded-c")))
                .build());
        assertThat(guarded.statusCode()).isEqualTo(200);
        assertThat(chat("root-key", "public-a").statusCode()).isEqualTo(200);

        List<JournalEvent> requests = new ArrayList<>();
        for (String model : List.of("guarded-c", "public-a")) {
            gateway.journal(model).stream()
                    .filter(e -> e.event().equals(JournalEvent.REQUEST))
                    .forEach(requests::add);
        }
        assertThat(requests).isNotEmpty();
        for (JournalEvent request : requests) {
            assertThat(request.text("x_api_key")).isEmpty();
            assertThat(request.text("authorization").orElse("")).doesNotContain("root-key", "ci-key", "ops-key");
        }
        assertThat(gateway.journal("guarded-c").stream()
                        .filter(e -> e.event().equals(JournalEvent.REQUEST))
                        .map(e -> e.text("authorization").orElse("")))
                .isNotEmpty()
                .allMatch("Bearer engine-secret"::equals);
    }

    private static HttpResponse<String> chat(String key, String model) {
        return gateway.send(withKey(post("/v1/chat/completions", body(model)), key));
    }

    private static String body(String model) {
        return "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    }

    private static HttpRequest post(String path, String json) {
        return gateway.request(path)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build();
    }

    private static HttpRequest withKey(HttpRequest request, String key) {
        return HttpRequest.newBuilder(request, (name, value) -> true)
                .header("Authorization", "Bearer " + key)
                .build();
    }

    private static List<String> modelIds(String key) throws IOException {
        JsonNode list = JSON.readTree(
                gateway.send(withKey(gateway.request("/v1/models").GET().build(), key))
                        .body());
        List<String> ids = new ArrayList<>();
        list.path("data").forEach(model -> ids.add(model.path("id").asText()));
        return ids;
    }
}
