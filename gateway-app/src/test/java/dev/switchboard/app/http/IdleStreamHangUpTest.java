package dev.switchboard.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.lifecycle.SchedulerConfig;
import dev.switchboard.core.placement.GpuInventory;
import dev.switchboard.core.spi.BackendConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A client that hangs up on a stream the engine holds open without writing (a long prompt being
 * processed, a tool call being awaited) cancels the engine's request at once: no write will fail to
 * tell, so the gateway must notice the hang-up itself, on every route that relays a stream.
 */
class IdleStreamHangUpTest {
    @TempDir
    static Path dir;

    static HeldStreamUpstream upstream;
    static TestGateway gateway;

    @BeforeAll
    static void start() throws IOException {
        upstream = new HeldStreamUpstream();
        gateway = TestGateway.start(
                dir,
                TestGateway.settings(List.of()),
                SchedulerConfig.ofDefaults(),
                GpuInventory.none(),
                List.of(BackendConfig.of(
                        "remote", "openai", Map.of("baseUrl", upstream.baseUrl(), "models", List.of("held")))),
                List.of());
    }

    @AfterAll
    static void stop() throws IOException {
        gateway.close();
        upstream.close();
    }

    @ParameterizedTest
    @CsvSource({
        "/v1/chat/completions, '{\"model\":\"held\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}'",
        "/api/chat, '{\"model\":\"held\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}'",
    })
    void theEngineConnectionClosesWhenTheClientHangsUp(String path, String body) throws Exception {
        try (Socket client =
                new Socket(InetAddress.getLoopbackAddress(), gateway.server().port())) {
            client.getOutputStream()
                    .write(("POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                                    + "Content-Length: " + body.length() + "\r\n\r\n" + body)
                            .getBytes(StandardCharsets.UTF_8));
            assertThat(upstream.held.poll(TestGateway.PATIENCE.toSeconds(), TimeUnit.SECONDS))
                    .as("the engine got the request")
                    .isEqualTo("open");
            readUntil(client.getInputStream(), "hi");
        }
        // the engine writes nothing more: only the gateway's own watch can end its request
        assertThat(upstream.held.poll(TestGateway.PATIENCE.toSeconds(), TimeUnit.SECONDS))
                .as("the gateway closed the engine's connection")
                .isEqualTo("closed");
    }

    private static void readUntil(InputStream in, String text) throws IOException {
        StringBuilder seen = new StringBuilder();
        int b;
        while (seen.indexOf(text) < 0 && (b = in.read()) != -1) {
            seen.append((char) b);
        }
        assertThat(seen.toString()).contains(text);
    }

    /** An engine that answers a stream with one event and then holds it, reporting when it closes. */
    static final class HeldStreamUpstream implements AutoCloseable {
        final LinkedBlockingQueue<String> held = new LinkedBlockingQueue<>();
        private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());

        HeldStreamUpstream() throws IOException {
            Thread.ofPlatform().daemon().start(this::accept);
        }

        String baseUrl() {
            return "http://127.0.0.1:" + server.getLocalPort() + "/v1";
        }

        private void accept() {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    Thread.ofPlatform().daemon().start(() -> hold(socket));
                } catch (IOException e) {
                    return;
                }
            }
        }

        private void hold(Socket socket) {
            try (socket) {
                InputStream in = socket.getInputStream();
                String head = readHead(in);
                int length = head.lines()
                        .filter(line -> line.regionMatches(true, 0, "content-length:", 0, 15))
                        .map(line -> Integer.parseInt(line.substring(15).trim()))
                        .findFirst()
                        .orElse(0);
                in.readNBytes(length);
                String event =
                        "data: {\"object\":\"chat.completion.chunk\",\"model\":\"held\",\"choices\":[{\"index\":0,"
                                + "\"delta\":{\"role\":\"assistant\",\"content\":\"hi\"}}]}\n\n";
                OutputStream out = socket.getOutputStream();
                out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
                                + Integer.toHexString(event.length()) + "\r\n" + event + "\r\n")
                        .getBytes(StandardCharsets.UTF_8));
                out.flush();
                held.add("open");
                while (in.read() != -1) {
                    // held until the gateway closes the connection
                }
                held.add("closed");
            } catch (IOException e) {
                held.add("closed");
            }
        }

        private static String readHead(InputStream in) throws IOException {
            StringBuilder head = new StringBuilder();
            int b;
            while (head.indexOf("\r\n\r\n") < 0 && (b = in.read()) != -1) {
                head.append((char) b);
            }
            return head.toString();
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
