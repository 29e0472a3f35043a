package dev.switchboard.app.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.core.lifecycle.ModelState;
import dev.switchboard.core.lifecycle.SchedulerConfig;
import dev.switchboard.core.placement.GpuInventory;
import dev.switchboard.core.spi.GpuInfo;
import dev.switchboard.core.spi.ModelDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The operator's API: models, GPUs, event and log streams, metrics. */
class AdminRoutesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long GIB = 1L << 30;

    @TempDir
    static Path dir;

    static TestGateway gateway;

    @BeforeAll
    static void start() {
        List<GpuInfo> gpus = List.of(
                new GpuInfo(0, "GPU-0", "NVIDIA H100 80GB HBM3", 80 * GIB, 1 * GIB, 79 * GIB),
                new GpuInfo(1, "GPU-1", "NVIDIA H100 80GB HBM3", 80 * GIB, 1 * GIB, 79 * GIB));
        gateway = TestGateway.start(
                dir,
                TestGateway.settings(List.of()),
                SchedulerConfig.ofDefaults(),
                GpuInventory.fixed(gpus),
                List.of(
                        onGpu(TestGateway.simulated(dir, "placed")),
                        TestGateway.simulated(dir, "logged"),
                        TestGateway.simulated(dir, "toggled"),
                        TestGateway.simulated(dir, "announced"),
                        TestGateway.simulated(dir, "counted"),
                        TestGateway.simulated(dir, "traced")));
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    /** Asks the planner for 8 GiB of GPU memory. */
    private static ModelDescriptor onGpu(ModelDescriptor model) {
        Map<String, Object> options = new java.util.HashMap<>(model.options());
        options.put("memory", "8GiB");
        return model.toBuilder().options(options).build();
    }

    @Test
    void listsModelsWithWhatTheGatewayKnows() throws IOException {
        gateway.ensureLoaded("placed");

        JsonNode placed = byId(JSON.readTree(gateway.get("/api/models").body()), "placed");

        assertThat(placed.path("state").asText()).isEqualTo("ready");
        assertThat(placed.path("backend").asText()).isEqualTo(TestGateway.BACKEND);
        assertThat(placed.path("inFlight").asInt()).isZero();
        assertThat(placed.path("placement").path("gpus").size()).isEqualTo(1);
        assertThat(placed.path("failed").asBoolean()).isFalse();
        assertThat(placed.path("args").size()).isPositive();
    }

    @Test
    void showsEachGpuWithTheModelsItHolds() throws IOException {
        gateway.ensureLoaded("placed");

        JsonNode gpus = JSON.readTree(gateway.get("/api/gpus").body());

        assertThat(gpus.findValuesAsText("name")).containsOnly("NVIDIA H100 80GB HBM3");
        assertThat(gpus.get(0).path("totalBytes").asLong()).isEqualTo(80 * GIB);
        assertThat(gpus.get(0).has("usedBytes")).isTrue();
        assertThat(gpus.get(0).has("freeBytes")).isTrue();
        JsonNode holding = gpus.get(0).path("models").has("placed") ? gpus.get(0) : gpus.get(1);
        assertThat(holding.path("models").path("placed").asLong()).isEqualTo(8 * GIB);
        assertThat(holding.path("reservedBytes").asLong()).isEqualTo(8 * GIB);
    }

    @Test
    void streamsGatewayEvents() throws IOException {
        HttpResponse<InputStream> response =
                gateway.open(gateway.request("/api/events").GET().build());
        try (Streams events = new Streams(response)) {
            gateway.gateway().load("announced");

            JsonNode event = JSON.readTree(events.nextMatching(e -> e.contains("\"announced\"")));

            assertThat(event.path("type").asText()).isEqualTo("state");
            assertThat(event.path("from").asText()).isEqualTo("unloaded");
            assertThat(event.path("to").asText()).isEqualTo("starting");
            assertThat(event.path("at").asText()).isNotEmpty();
        }
    }

    @Test
    void streamsAModelsEngineOutputFromItsStart() throws IOException {
        HttpResponse<InputStream> response =
                gateway.open(gateway.request("/api/logs/logged").GET().build());
        try (Streams lines = new Streams(response)) {
            gateway.gateway().load("logged");

            assertThat(lines.nextMatching(line -> line.contains("model loaded")))
                    .isNotNull();
        }
    }

    @Test
    void loadsAndUnloadsAModelByPath() {
        HttpResponse<String> loading = gateway.post("/api/models/toggled/load", "");
        await().atMost(TestGateway.PATIENCE)
                .until(() -> gateway.gateway().status("toggled").state() == ModelState.READY);

        HttpResponse<String> unloading = gateway.post("/api/models/toggled/unload", "");

        assertThat(loading.statusCode()).isEqualTo(202);
        assertThat(unloading.statusCode()).isEqualTo(202);
        await().atMost(TestGateway.PATIENCE)
                .until(() -> gateway.gateway().status("toggled").state() == ModelState.UNLOADED);
    }

    @Test
    void listsTheLastRequestsWithTheirTokens() throws IOException {
        gateway.post(
                "/v1/chat/completions",
                "{\"model\":\"traced\",\"max_tokens\":2,\"stream\":true,\"stream_options\":{\"include_usage\":true},"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

        JsonNode activity = JSON.readTree(gateway.get("/api/activity").body());

        assertThat(activity.path("enabled").asBoolean()).isTrue();
        JsonNode request = null;
        for (JsonNode r : activity.path("requests")) {
            if (r.path("model").asText().equals("traced")) {
                request = r;
                break;
            }
        }
        assertThat(request).as("the chat in /api/activity").isNotNull();
        assertThat(request.path("route").asText()).isEqualTo("/v1/chat/completions");
        assertThat(request.path("status").asInt()).isEqualTo(200);
        assertThat(request.path("streamed").asBoolean()).isTrue();
        assertThat(request.path("completionTokens").asInt()).isEqualTo(2);
        assertThat(request.path("firstTokenMs").asDouble()).isPositive();
        assertThat(gateway.get("/api/activity/" + request.path("id").asLong()).statusCode())
                .isEqualTo(200);
        assertThat(gateway.get("/api/activity/999999").statusCode()).isEqualTo(404);
    }

    @Test
    void exportsPrometheusMetrics() {
        gateway.post(
                "/v1/chat/completions",
                "{\"model\":\"counted\",\"max_tokens\":1,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

        HttpResponse<String> metrics = gateway.get("/metrics");

        assertThat(metrics.headers().firstValue("content-type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
        assertThat(metrics.body())
                .contains(
                        "switchboard_requests_total{model=\"counted\",route=\"/v1/chat/completions\",status=\"200\"} 1.0")
                .contains("switchboard_request_duration_seconds_count{model=\"counted\"} 1")
                .contains("switchboard_model_starts_total{model=\"counted\"} 1.0")
                .contains("switchboard_models_loaded ")
                .contains("switchboard_requests_waiting 0.0");
    }

    private static JsonNode byId(JsonNode models, String id) {
        for (JsonNode model : models) {
            if (model.path("id").asText().equals(id)) {
                return model;
            }
        }
        throw new AssertionError("no model '" + id + "' in " + models);
    }
}
