package dev.switchboard.core.forward.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.switchboard.core.GatewayException;
import dev.switchboard.core.forward.RequestBody;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A streamed body reaches the server whole, framed by its length when known, else chunked. */
class Http1ClientStreamTest {
    private final Http1Client client = new Http1Client(Duration.ofSeconds(5));
    private final BlockingQueue<String> received = new ArrayBlockingQueue<>(4);
    private HttpServer server;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        // answers with how the body was framed and its SHA-256; reports a body cut short
        server.createContext("/", exchange -> {
            String framing = exchange.getRequestHeaders().containsKey("Content-Length")
                    ? "length " + exchange.getRequestHeaders().getFirst("Content-Length")
                    : "chunked";
            try (InputStream in = exchange.getRequestBody()) {
                byte[] answer = (framing + " " + sha256(in.readAllBytes())).getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, answer.length);
                exchange.getResponseBody().write(answer);
            } catch (IOException e) {
                received.add("cut short");
            }
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        client.close();
        server.stop(0);
    }

    @Test
    void sendsAStreamOfKnownLengthWithItsContentLength() throws Exception {
        byte[] body = random(1_000_003);

        assertThat(send(RequestBody.stream(new ByteArrayInputStream(body), body.length)))
                .isEqualTo("length 1000003 " + sha256(body));
    }

    @Test
    void sendsAStreamOfUnknownLengthChunked() throws Exception {
        byte[] body = random(300_001);

        assertThat(send(RequestBody.stream(new ByteArrayInputStream(body), -1))).isEqualTo("chunked " + sha256(body));
    }

    @Test
    void passesOnWhatTheSourceThrowsAndCutsTheRequestOff() throws InterruptedException {
        InputStream failing = new SequenceInputStream(new ByteArrayInputStream(random(100_000)), new InputStream() {
            @Override
            public int read() {
                throw new GatewayException(413, "invalid_request_error", "too large");
            }
        });

        assertThatThrownBy(() -> send(RequestBody.stream(failing, 200_000)))
                .isInstanceOf(GatewayException.class)
                .hasMessage("too large");
        assertThat(poll()).isEqualTo("cut short");
    }

    private String send(RequestBody body) throws IOException, InterruptedException {
        URI target = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/upload");
        try (Http1Client.Response response = client.send(target, "POST", Map.of(), body, 0)) {
            return new String(response.body().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private String poll() throws InterruptedException {
        return received.poll(10, TimeUnit.SECONDS);
    }

    private static byte[] random(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
