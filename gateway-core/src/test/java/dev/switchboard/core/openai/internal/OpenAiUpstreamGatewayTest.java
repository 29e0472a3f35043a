package dev.switchboard.core.openai.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.Gateway;
import dev.switchboard.core.GatewayConfig;
import dev.switchboard.core.backend.BackendRegistry;
import dev.switchboard.core.forward.ProxyRequest;
import dev.switchboard.core.forward.ResponseSink;
import dev.switchboard.core.lifecycle.Lease;
import dev.switchboard.core.lifecycle.SchedulerConfig;
import dev.switchboard.core.openai.OpenAiBackendFactory;
import dev.switchboard.core.spi.Backend;
import dev.switchboard.core.spi.BackendConfig;
import dev.switchboard.core.spi.BackendFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A gateway relaying to a remote upstream: the request's path, credentials and model as the upstream sees them. */
class OpenAiUpstreamGatewayTest {
    private final MockWebServer upstream = new MockWebServer();
    private Gateway gateway;

    @BeforeEach
    void start() throws IOException {
        upstream.start(0);
        upstream.enqueue(json("{\"data\":[{\"id\":\"gpt-a\"}]}"));
        BackendConfig remote = BackendConfig.of(
                "remote", "openai", Map.of("baseUrl", upstream.url("/api/v1").toString(), "apiKeyEnv", "KEY"));
        gateway = Gateway.builder()
                .config(new GatewayConfig(SchedulerConfig.ofDefaults(), List.of(remote), List.of()))
                .registry(BackendRegistry.of(List.of(new FactoryWithKey())))
                .shutdownHook(false)
                .build();
    }

    @AfterEach
    void stop() {
        gateway.close();
        upstream.close();
    }

    @Test
    void relaysChatCompletionsWithTheUpstreamKey() throws Exception {
        upstream.enqueue(json("{\"id\":\"chatcmpl-1\",\"choices\":[]}"));
        byte[] body = "{\"model\":\"gpt-a\",\"messages\":[]}".getBytes(StandardCharsets.UTF_8);
        ProxyRequest request = new ProxyRequest(
                "POST", "/v1/chat/completions", Map.of("Authorization", List.of("Bearer gateway-client-key")), body);
        CapturingSink sink = new CapturingSink();

        try (Lease lease = gateway.acquire("gpt-a", true).join()) {
            gateway.forward(lease, request, sink);
        }

        upstream.takeRequest(); // the model listing
        RecordedRequest relayed = upstream.takeRequest();
        assertThat(relayed.getTarget()).isEqualTo("/api/v1/chat/completions");
        assertThat(relayed.getHeaders().get("Authorization")).isEqualTo("Bearer sk-upstream");
        assertThat(sink.status).isEqualTo(200);
        assertThat(sink.body.toString(StandardCharsets.UTF_8)).contains("chatcmpl-1");
    }

    private static MockResponse json(String body) {
        return new MockResponse.Builder()
                .code(200)
                .setHeader("Content-Type", "application/json")
                .body(body)
                .build();
    }

    /** The openai type with a key in a test environment instead of the process's. */
    static final class FactoryWithKey implements BackendFactory {
        @Override
        public String type() {
            return OpenAiBackendFactory.TYPE;
        }

        @Override
        public Backend create(BackendConfig config) {
            return new OpenAiBackend(config, Map.of("KEY", "sk-upstream")::get);
        }
    }

    private static final class CapturingSink implements ResponseSink {
        int status;
        final ByteArrayOutputStream body = new ByteArrayOutputStream();

        @Override
        public void begin(int status, Map<String, List<String>> headers) {
            this.status = status;
        }

        @Override
        public OutputStream body() {
            return body;
        }
    }
}
