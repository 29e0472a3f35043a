package dev.switchboard.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.core.lifecycle.SchedulerConfig;
import dev.switchboard.core.placement.GpuInventory;
import dev.switchboard.core.spi.GpuInfo;
import dev.switchboard.core.spi.ModelDescriptor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /api/models/{model}/plan}: what loading a model now would take, with nothing started. */
class PlanPreviewTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long GIB = 1L << 30;

    @TempDir
    Path dir;

    @Test
    void tellsWhereAModelWouldGoAndWhatItWouldEvict() throws IOException {
        List<GpuInfo> gpus = List.of(new GpuInfo(0, "GPU-0", "Test GPU", 24 * GIB, 0, 24 * GIB));
        try (TestGateway gateway = TestGateway.start(
                dir,
                TestGateway.settings(List.of()),
                SchedulerConfig.ofDefaults(),
                GpuInventory.fixed(gpus),
                List.of(sized("first", "16GiB"), sized("second", "16GiB"), sized("huge", "40GiB")))) {
            JsonNode empty = plan(gateway, "second");
            assertThat(empty.path("fits").asBoolean()).isTrue();
            assertThat(empty.path("summary").asText()).isEqualTo("fits on GPU 0");

            gateway.ensureLoaded("first");

            JsonNode second = plan(gateway, "second");
            assertThat(second.path("fits").asBoolean()).isTrue();
            assertThat(second.path("evict").get(0).asText()).isEqualTo("first");
            assertThat(second.path("summary").asText()).isEqualTo("fits on GPU 0, needs evicting first");
            assertThat(plan(gateway, "first").path("summary").asText()).isEqualTo("already loaded");
            JsonNode huge = plan(gateway, "huge");
            assertThat(huge.path("fits").asBoolean()).isFalse();
            assertThat(huge.path("summary").asText()).startsWith("never fits: ");
            assertThat(gateway.gateway().status("second").state().holdsEngine())
                    .as("a dry run starts nothing")
                    .isFalse();
            assertThat(gateway.get("/api/models/nope/plan").statusCode()).isEqualTo(404);
        }
    }

    private ModelDescriptor sized(String id, String memory) {
        ModelDescriptor model = TestGateway.simulated(dir, id);
        Map<String, Object> options = new HashMap<>(model.options());
        options.put("memory", memory);
        return model.toBuilder().options(options).build();
    }

    private static JsonNode plan(TestGateway gateway, String model) throws IOException {
        return JSON.readTree(gateway.get("/api/models/" + model + "/plan").body());
    }
}
