package dev.switchboard.sglang;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.Gateway;
import dev.switchboard.core.GatewayConfig;
import dev.switchboard.core.forward.ProxyRequest;
import dev.switchboard.core.forward.ResponseSink;
import dev.switchboard.core.lifecycle.Lease;
import dev.switchboard.core.lifecycle.SchedulerConfig;
import dev.switchboard.core.spi.BackendConfig;
import dev.switchboard.core.spi.ModelDescriptor;
import dev.switchboard.core.spi.WarmTier;
import dev.switchboard.simulator.SimulatorCommand;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A gateway whose SGLang backend runs the engine simulator: the launch line it builds starts an
 * engine that serves, releases its memory and serves again after resuming.
 */
class SglangSimulatorTest {
    private static final String CHAT = "{\"model\":\"llama\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    private Gateway gateway;

    @BeforeEach
    void start() {
        BackendConfig sglang = BackendConfig.of(
                "sglang", "sglang", Map.of("command", SimulatorCommand.javaCommand(), "startTimeout", "60s"));
        ModelDescriptor llama = ModelDescriptor.builder("llama", "sglang")
                .source("meta-llama/Llama-3.2-1B-Instruct")
                .options(Map.of("sleep", true))
                .build();
        gateway = Gateway.builder()
                .config(new GatewayConfig(SchedulerConfig.ofDefaults(), List.of(sglang), List.of(llama)))
                .shutdownHook(false)
                .build();
    }

    @AfterEach
    void stop() {
        gateway.close();
    }

    @Test
    void servesAgainAfterReleasingAndResumingItsMemory() throws Exception {
        URI engine;
        try (Lease lease = gateway.acquire("llama", true).get(60, TimeUnit.SECONDS)) {
            engine = lease.baseUri();
        }
        WarmTier tier = gateway.backends()
                .get("sglang")
                .warmTier(gateway.resolve("llama"))
                .orElseThrow();

        tier.sleep(engine);
        tier.wake(engine);

        assertThat(chat()).isEqualTo(200);
    }

    private int chat() throws Exception {
        ProxyRequest request = new ProxyRequest(
                "POST",
                "/v1/chat/completions",
                Map.of("Content-Type", List.of("application/json")),
                CHAT.getBytes(StandardCharsets.UTF_8));
        int[] status = new int[1];
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        try (Lease lease = gateway.acquire("llama", true).get(60, TimeUnit.SECONDS)) {
            gateway.forward(lease, request, new ResponseSink() {
                @Override
                public void begin(int code, Map<String, List<String>> headers) {
                    status[0] = code;
                }

                @Override
                public OutputStream body() {
                    return body;
                }
            });
        }
        return status[0];
    }
}
