package dev.switchboard.core.openai.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.Gateway;
import dev.switchboard.core.GatewayConfig;
import dev.switchboard.core.backend.BackendRegistry;
import dev.switchboard.core.command.CommandBackendFactory;
import dev.switchboard.core.forward.ProxyRequest;
import dev.switchboard.core.lifecycle.Lease;
import dev.switchboard.core.lifecycle.SchedulerConfig;
import dev.switchboard.core.spi.BackendConfig;
import dev.switchboard.core.spi.ModelDescriptor;
import dev.switchboard.core.testing.CollectingSink;
import dev.switchboard.core.testing.SimulatedEngines;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A remote upstream as the fallback of a local model that cannot start. */
class FallbackToUpstreamTest {
    private final MockWebServer upstream = new MockWebServer();

    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        upstream.close();
    }

    @Test
    void aLocalModelThatFailsToStartIsServedByItsFallbackUpstream() throws Exception {
        upstream.start(0);
        upstream.enqueue(json("{\"data\":[{\"id\":\"gpt-a\"}]}"));
        upstream.enqueue(json("{\"id\":\"chatcmpl-remote\",\"choices\":[]}"));
        SimulatedEngines engines = new SimulatedEngines(dir)
                .model(
                        ModelDescriptor.builder("local", SimulatedEngines.BACKEND)
                                .fallback("gpt-a"),
                        Map.of(),
                        "--sim-crash-at-start",
                        "3");
        List<BackendConfig> backends = new ArrayList<>(engines.config().backends());
        backends.add(BackendConfig.of(
                "remote", "openai", Map.of("baseUrl", upstream.url("/v1").toString(), "apiKeyEnv", "KEY")));
        GatewayConfig config = new GatewayConfig(
                SchedulerConfig.ofDefaults(), backends, engines.config().models());

        CollectingSink sink = new CollectingSink();
        try (Gateway gateway = Gateway.builder()
                        .config(config)
                        .registry(BackendRegistry.of(
                                List.of(new CommandBackendFactory(), new OpenAiUpstreamGatewayTest.FactoryWithKey())))
                        .shutdownHook(false)
                        .build();
                Lease lease = gateway.acquire("local", true).join()) {
            assertThat(lease.model().id()).isEqualTo("gpt-a");
            gateway.forward(
                    lease,
                    new ProxyRequest(
                            "POST",
                            "/v1/chat/completions",
                            Map.of("Content-Type", List.of("application/json")),
                            "{\"model\":\"local\",\"messages\":[]}".getBytes(StandardCharsets.UTF_8)),
                    sink);
            assertThat(gateway.status("local").failed()).isTrue();
        }

        upstream.takeRequest(); // the model listing
        RecordedRequest relayed = upstream.takeRequest();
        assertThat(relayed.getBody().utf8()).contains("\"model\":\"gpt-a\"");
        assertThat(sink.status()).isEqualTo(200);
        assertThat(sink.text()).contains("chatcmpl-remote");
        assertThat(engines.livePids()).isEmpty();
    }

    private static MockResponse json(String body) {
        return new MockResponse.Builder()
                .code(200)
                .setHeader("Content-Type", "application/json")
                .body(body)
                .build();
    }
}
