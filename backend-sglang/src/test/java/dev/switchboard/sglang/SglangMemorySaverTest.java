package dev.switchboard.sglang;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.spi.BackendConfig;
import dev.switchboard.core.spi.ModelDescriptor;
import dev.switchboard.core.spi.WarmTier;
import java.io.IOException;
import java.net.URI;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The HTTP calls SGLang's memory release makes, against a stand-in engine. */
class SglangMemorySaverTest {
    private final MockWebServer engine = new MockWebServer();
    private final SglangBackend backend =
            new SglangBackend(BackendConfig.of("sglang", "sglang", Map.of("startTimeout", "5s")));
    private WarmTier tier;
    private URI uri;

    @BeforeEach
    void start() throws IOException {
        engine.start(0);
        uri = engine.url("/").uri();
        tier = backend.warmTier(ModelDescriptor.builder("llama", "sglang")
                        .options(Map.of("sleep", true))
                        .build())
                .orElseThrow();
    }

    @AfterEach
    void stop() {
        backend.close();
        engine.close();
    }

    @Test
    void releasesEveryMemoryRegion() throws Exception {
        engine.enqueue(new MockResponse.Builder().code(200).body("null").build());

        tier.sleep(uri);

        RecordedRequest release = engine.takeRequest();
        assertThat(release.getMethod()).isEqualTo("POST");
        assertThat(release.getTarget()).isEqualTo("/release_memory_occupation");
        assertThat(release.getHeaders().get("Content-Type")).isEqualTo("application/json");
        assertThat(release.getBody().utf8()).isEqualTo("{}");
    }

    @Test
    void resumesAndWaitsUntilHealthy() throws Exception {
        engine.enqueue(new MockResponse.Builder().code(200).body("null").build());
        engine.enqueue(new MockResponse.Builder().code(503).build());
        engine.enqueue(new MockResponse.Builder().code(200).build());

        tier.wake(uri);

        assertThat(engine.takeRequest().getTarget()).isEqualTo("/resume_memory_occupation");
        assertThat(engine.takeRequest().getTarget()).isEqualTo("/health");
        assertThat(engine.takeRequest().getTarget()).isEqualTo("/health");
    }

    @Test
    void failsWhenSglangRefusesToRelease() {
        engine.enqueue(new MockResponse.Builder()
                .code(400)
                .body("{\"error\":{\"message\":\"memory saver is not enabled\"}}")
                .build());

        assertThatThrownBy(() -> tier.sleep(uri))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("400")
                .hasMessageContaining("memory saver is not enabled");
    }
}
