package dev.switchboard.core.openai.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.spi.BackendConfig;
import dev.switchboard.core.spi.LaunchContext;
import dev.switchboard.core.spi.LaunchSpec;
import dev.switchboard.core.spi.MemoryEstimate;
import dev.switchboard.core.spi.ModelDescriptor;
import dev.switchboard.core.spi.Placement;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OpenAiBackendTest {
    private static final Map<String, String> ENV = Map.of("UPSTREAM_KEY", "sk-test");
    private static final String TWO_MODELS =
            "{\"object\":\"list\",\"data\":[{\"id\":\"gpt-a\",\"object\":\"model\"},{\"id\":\"gpt-b\",\"object\":\"model\"}]}";

    private final MockWebServer upstream = new MockWebServer();
    private String baseUrl;

    @BeforeEach
    void start() throws IOException {
        upstream.start(0);
        baseUrl = upstream.url("/api/v1").toString();
    }

    @AfterEach
    void stop() {
        upstream.close();
    }

    @Test
    void listsTheModelsTheUpstreamLists() throws Exception {
        upstream.enqueue(json(TWO_MODELS));

        try (OpenAiBackend backend = backend(Map.of("baseUrl", baseUrl))) {
            List<ModelDescriptor> models = backend.sources().getFirst().scan();

            assertThat(models).extracting(ModelDescriptor::id).containsExactly("gpt-a", "gpt-b");
            assertThat(models).extracting(ModelDescriptor::backend).containsOnly("remote");
            assertThat(upstream.takeRequest().getTarget()).isEqualTo("/api/v1/models");
        }
    }

    @Test
    void asksTheUpstreamAgainOnEveryScan() throws Exception {
        upstream.enqueue(json("{\"data\":[{\"id\":\"gpt-a\"}]}"));
        upstream.enqueue(json(TWO_MODELS));

        try (OpenAiBackend backend = backend(Map.of("baseUrl", baseUrl))) {
            backend.sources().getFirst().scan();
            List<ModelDescriptor> reloaded = backend.sources().getFirst().scan();

            assertThat(reloaded).extracting(ModelDescriptor::id).containsExactly("gpt-a", "gpt-b");
        }
    }

    @Test
    void keepsTheLastListingWhenTheUpstreamFails() throws Exception {
        upstream.enqueue(json(TWO_MODELS));
        upstream.enqueue(new MockResponse.Builder().code(503).body("overloaded").build());

        try (OpenAiBackend backend = backend(Map.of("baseUrl", baseUrl))) {
            backend.sources().getFirst().scan();
            List<ModelDescriptor> afterOutage = backend.sources().getFirst().scan();

            assertThat(afterOutage).extracting(ModelDescriptor::id).containsExactly("gpt-a", "gpt-b");
        }
    }

    @Test
    void sendsTheKeyWhenListing() throws Exception {
        upstream.enqueue(json(TWO_MODELS));

        try (OpenAiBackend backend = backend(Map.of("baseUrl", baseUrl, "apiKeyEnv", "UPSTREAM_KEY"))) {
            backend.sources().getFirst().scan();

            assertThat(upstream.takeRequest().getHeaders().get("Authorization")).isEqualTo("Bearer sk-test");
        }
    }

    @Test
    void exposesConfiguredModelsWithoutAskingTheUpstream() throws Exception {
        try (OpenAiBackend backend = backend(Map.of("baseUrl", baseUrl, "models", List.of("gpt-a")))) {
            List<ModelDescriptor> models = backend.sources().getFirst().scan();

            assertThat(models).extracting(ModelDescriptor::id).containsExactly("gpt-a");
            assertThat(upstream.getRequestCount()).isZero();
        }
    }

    @Test
    void launchesNothingAndRelaysWithTheKey() {
        try (OpenAiBackend backend = backend(Map.of("baseUrl", baseUrl, "apiKeyEnv", "UPSTREAM_KEY"))) {
            LaunchSpec spec = backend.launch(model("gpt-a", ""), Placement.cpu(), new LaunchContext(1, 0));

            assertThat(spec.hasProcess()).isFalse();
            assertThat(spec.requestHeaders()).containsEntry("Authorization", "Bearer sk-test");
            assertThat(spec.upstreamModel()).isEqualTo("gpt-a");
        }
    }

    @Test
    void relaysToTheUpstreamPathPrefix() {
        try (OpenAiBackend backend = backend(Map.of("baseUrl", baseUrl))) {
            LaunchSpec spec = backend.launch(model("gpt-a", ""), Placement.cpu(), new LaunchContext(1, 0));

            assertThat(spec.baseUri()).isEqualTo(URI.create(upstream.url("/api").toString()));
        }
    }

    @Test
    void namesTheSourceUpstreamForARenamedModel() {
        try (OpenAiBackend backend = backend(Map.of("baseUrl", baseUrl))) {
            LaunchSpec spec = backend.launch(model("fast", "gpt-b"), Placement.cpu(), new LaunchContext(1, 0));

            assertThat(spec.upstreamModel()).isEqualTo("gpt-b");
        }
    }

    @Test
    void takesNoGpuMemory() {
        try (OpenAiBackend backend = backend(Map.of("baseUrl", baseUrl))) {
            assertThat(backend.estimate(model("gpt-a", ""))).isEqualTo(MemoryEstimate.none());
        }
    }

    @Test
    void failsNamingTheMissingKeyVariable() {
        assertThatThrownBy(() -> backend(Map.of("baseUrl", baseUrl, "apiKeyEnv", "MISSING_KEY")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("MISSING_KEY")
                .hasMessageContaining("not set");
    }

    @Test
    void requiresABaseUrl() {
        assertThatThrownBy(() -> backend(Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'baseUrl' is required");
    }

    @Test
    void refusesABaseUrlThatDoesNotEndInV1() {
        assertThatThrownBy(() -> backend(Map.of("baseUrl", "https://api.example.com/v1beta/openai")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ending in /v1")
                .hasMessageContaining("v1beta/openai");
    }

    private static OpenAiBackend backend(Map<String, Object> options) {
        return new OpenAiBackend(BackendConfig.of("remote", "openai", options), ENV::get);
    }

    private static ModelDescriptor model(String id, String source) {
        return ModelDescriptor.builder(id, "remote").source(source).build();
    }

    private static MockResponse json(String body) {
        return new MockResponse.Builder()
                .code(200)
                .setHeader("Content-Type", "application/json")
                .body(body)
                .build();
    }
}
