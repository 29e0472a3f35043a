package dev.switchboard.app.clients;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.switchboard.app.ServerSettings;
import dev.switchboard.app.http.GatewayServer;
import dev.switchboard.core.Gateway;
import dev.switchboard.core.GatewayConfig;
import dev.switchboard.core.lifecycle.SchedulerConfig;
import dev.switchboard.core.placement.GpuInventory;
import dev.switchboard.core.spi.BackendConfig;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/**
 * An OpenAI SSE body reaches the client byte for byte as the engine wrote it: odd chunk
 * boundaries, CRLF and LF line ends, comments, non-ASCII text, keep-alive blank lines and all.
 */
class ByteForByteTest {
    private static final String BODY = "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\","
            + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"}}]}\n\n"
            + ": keep-alive comment\r\n\r\n"
            + "data: {\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"h\u00e9llo \u2603 \ud83d\ude00\"}}]}\r\n\r\n"
            + "data: {\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],"
            + "\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":2}}\n\n\n"
            + "data: [DONE]\n\n";

    @Test
    void aStreamedChatBodyIsRelayedUnchanged() throws Exception {
        byte[] engineBody = BODY.getBytes(StandardCharsets.UTF_8);
        HttpServer engine = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        engine.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        engine.createContext("/v1/chat/completions", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                // pieces that cut through UTF-8 sequences, lines and event boundaries
                for (int at = 0; at < engineBody.length; at += 7) {
                    out.write(engineBody, at, Math.min(7, engineBody.length - at));
                    out.flush();
                }
            }
        });
        engine.start();
        String engineUrl = "http://127.0.0.1:" + engine.getAddress().getPort();
        Gateway gateway = Gateway.builder()
                .config(new GatewayConfig(
                        SchedulerConfig.ofDefaults(),
                        List.of(BackendConfig.of(
                                "remote", "openai", Map.of("baseUrl", engineUrl + "/v1", "models", List.of("m")))),
                        List.of()))
                .gpus(GpuInventory.none())
                .shutdownHook(false)
                .build();
        GatewayServer server =
                GatewayServer.start(gateway, new ServerSettings("127.0.0.1", 0, List.of(), 1 << 20, false));
        try (HttpClient http = HttpClient.newHttpClient()) {
            String request = "{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
            byte[] direct = post(http, engineUrl, request);
            byte[] relayed = post(http, "http://127.0.0.1:" + server.port(), request);

            assertThat(direct).isEqualTo(engineBody);
            assertThat(relayed).isEqualTo(direct);
        } finally {
            server.stop(Duration.ofSeconds(1));
            gateway.close();
            engine.stop(0);
        }
    }

    private static byte[] post(HttpClient http, String base, String body) throws Exception {
        HttpResponse<byte[]> response = http.send(
                HttpRequest.newBuilder(URI.create(base + "/v1/chat/completions"))
                        .timeout(Duration.ofSeconds(30))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }
}
