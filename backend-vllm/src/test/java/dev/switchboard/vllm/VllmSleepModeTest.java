package dev.switchboard.vllm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.spi.BackendConfig;
import dev.switchboard.core.spi.ModelDescriptor;
import dev.switchboard.core.spi.WarmTier;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The HTTP calls vLLM's sleep mode makes, against a stand-in engine. */
class VllmSleepModeTest {
    private final MockWebServer engine = new MockWebServer();
    private final VllmBackend backend = new VllmBackend(BackendConfig.of("vllm", "vllm", Map.of("startTimeout", "5s")));
    private URI uri;

    @BeforeEach
    void start() throws IOException {
        engine.start(0);
        uri = engine.url("/").uri();
    }

    @AfterEach
    void stop() {
        backend.close();
        engine.close();
    }

    @Test
    void sleepsAtLevelOneAndWaitsUntilVllmSaysSo() throws Exception {
        engine.enqueue(ok(""));
        engine.enqueue(ok("{\"is_sleeping\":false}"));
        engine.enqueue(ok("{\"is_sleeping\":true}"));

        tier(true).sleep(uri);

        assertThat(requests(3)).containsExactly("POST /sleep?level=1", "GET /is_sleeping", "GET /is_sleeping");
    }

    @Test
    void sleepsAtLevelTwo() throws Exception {
        engine.enqueue(ok(""));
        engine.enqueue(ok("{\"is_sleeping\":true}"));

        tier(2).sleep(uri);

        assertThat(requests(2)).containsExactly("POST /sleep?level=2", "GET /is_sleeping");
    }

    @Test
    void wakesFromLevelOneAndWaitsUntilAwake() throws Exception {
        engine.enqueue(ok(""));
        engine.enqueue(ok("{\"is_sleeping\":false}"));

        tier(1).wake(uri);

        assertThat(requests(2)).containsExactly("POST /wake_up", "GET /is_sleeping");
    }

    @Test
    void wakesFromLevelTwoByReloadingTheWeightsBeforeTheCache() throws Exception {
        engine.enqueue(ok(""));
        engine.enqueue(ok("{}"));
        engine.enqueue(ok(""));
        engine.enqueue(ok("{\"is_sleeping\":false}"));

        tier(2).wake(uri);

        RecordedRequest weights = engine.takeRequest();
        RecordedRequest reload = engine.takeRequest();
        RecordedRequest cache = engine.takeRequest();
        assertThat(weights.getTarget()).isEqualTo("/wake_up?tags=weights");
        assertThat(reload.getTarget()).isEqualTo("/collective_rpc");
        assertThat(reload.getBody().utf8()).isEqualTo("{\"method\":\"reload_weights\"}");
        assertThat(cache.getTarget()).isEqualTo("/wake_up?tags=kv_cache");
    }

    @Test
    void failsWhenTheDevEndpointsAreMissing() {
        engine.enqueue(new MockResponse.Builder()
                .code(404)
                .body("{\"detail\":\"Not Found\"}")
                .build());

        assertThatThrownBy(() -> tier(1).sleep(uri))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("404");
    }

    private WarmTier tier(Object sleep) {
        return backend.warmTier(ModelDescriptor.builder("qwen", "vllm")
                        .options(Map.of("sleep", sleep))
                        .build())
                .orElseThrow();
    }

    private List<String> requests(int count) throws InterruptedException {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            RecordedRequest request = engine.takeRequest();
            lines.add(request.getMethod() + " " + request.getTarget());
        }
        return lines;
    }

    private static MockResponse ok(String json) {
        return new MockResponse.Builder()
                .code(200)
                .setHeader("Content-Type", "application/json")
                .body(json)
                .build();
    }
}
