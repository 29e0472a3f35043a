package dev.switchboard.vllm;

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
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A gateway whose vLLM backend runs the engine simulator: the launch line it builds starts an
 * engine that becomes ready, serves, sleeps and wakes.
 */
class VllmSimulatorTest {
    private static final String CHAT = "{\"model\":\"qwen\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    private Gateway gateway;

    @BeforeEach
    void start() {
        BackendConfig vllm = BackendConfig.of(
                "vllm", "vllm", Map.of("command", SimulatorCommand.javaCommand(), "startTimeout", "60s"));
        ModelDescriptor qwen = ModelDescriptor.builder("qwen", "vllm")
                .source("Qwen/Qwen2.5-0.5B-Instruct")
                .options(Map.of("sleep", true))
                .build();
        gateway = Gateway.builder()
                .config(new GatewayConfig(SchedulerConfig.ofDefaults(), List.of(vllm), List.of(qwen)))
                .shutdownHook(false)
                .build();
    }

    @AfterEach
    void stop() {
        gateway.close();
    }

    @Test
    void answersAChatCompletionOnceReady() throws Exception {
        assertThat(chat()).isEqualTo(200);
    }

    @Test
    void sleepsAndWakesTheRunningEngine() throws Exception {
        URI engine;
        try (Lease lease = gateway.acquire("qwen", true).get(60, TimeUnit.SECONDS)) {
            engine = lease.baseUri();
        }
        WarmTier tier =
                gateway.backends().get("vllm").warmTier(gateway.resolve("qwen")).orElseThrow();

        tier.sleep(engine);
        assertThat(isSleeping(engine)).contains("\"is_sleeping\":true");

        tier.wake(engine);
        assertThat(isSleeping(engine)).contains("\"is_sleeping\":false");
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
        try (Lease lease = gateway.acquire("qwen", true).get(60, TimeUnit.SECONDS)) {
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

    private static String isSleeping(URI engine) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(
                            HttpRequest.newBuilder(engine.resolve("/is_sleeping"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
        }
    }
}
