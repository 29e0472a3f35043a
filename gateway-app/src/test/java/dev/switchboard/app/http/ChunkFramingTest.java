package dev.switchboard.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.app.ServerSettings;
import dev.switchboard.core.lifecycle.SchedulerConfig;
import dev.switchboard.core.placement.GpuInventory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Response framing read from the raw socket. Every chunk of a streamed body is complete on the wire
 * once flushed ({@code <hex>\r\n<data>\r\n}): a client that waits for the CRLF ending a chunk
 * (Python's urllib3) must not see each event one event late. A sized answer keeps the engine's
 * length and the client's connection.
 */
class ChunkFramingTest {
    @TempDir
    static Path dir;

    static TestGateway gateway;

    @BeforeAll
    static void start() {
        ServerSettings settings = TestGateway.settings(List.of());
        gateway = TestGateway.start(
                dir,
                settings,
                SchedulerConfig.ofDefaults(),
                GpuInventory.none(),
                List.of(
                        TestGateway.simulated(dir, "slow", "--sim-tokens-per-second", "10"),
                        TestGateway.simulated(dir, "other")));
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void aStreamedChatLeavesEveryEventInWholeChunks() throws IOException {
        gateway.ensureLoaded("slow");
        String body = "{\"model\":\"slow\",\"stream\":true,\"max_tokens\":6,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        try (Socket socket = open("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + body.length() + "\r\n\r\n" + body)) {
            readHead(socket.getInputStream());
            List<String> events = readWholeChunksBetweenPauses(socket, 4);
            assertThat(events)
                    .allSatisfy(event -> assertThat(event).startsWith("data: ").endsWith("\n\n"));
        }
    }

    @Test
    void aSizedAnswerKeepsItsLengthAndTheConnectionStaysOpen() throws IOException {
        gateway.ensureLoaded("other");
        String body = "{\"model\":\"other\",\"max_tokens\":2,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        String request = "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + body.length() + "\r\n\r\n" + body;
        try (Socket socket = open(request)) {
            socket.setSoTimeout((int) TestGateway.PATIENCE.toMillis());
            InputStream in = socket.getInputStream();
            for (int answer = 1; answer <= 2; answer++) {
                String head = readHeadOnly(in).toLowerCase();
                assertThat(head).startsWith("http/1.1 200").doesNotContain("connection: close");
                int length = Integer.parseInt(head.lines()
                        .filter(line -> line.startsWith("content-length:"))
                        .findFirst()
                        .orElseThrow()
                        .substring("content-length:".length())
                        .trim());
                assertThat(new String(in.readNBytes(length), StandardCharsets.UTF_8))
                        .contains("\"choices\"");
                // the same connection takes the next request
                socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    @Test
    void modelEventsLeaveInWholeChunks() throws IOException {
        try (Socket socket = open("GET /models/sse HTTP/1.1\r\nHost: x\r\n\r\n")) {
            readHead(socket.getInputStream());
            gateway.post("/models/load", "{\"model\":\"other\"}");
            List<String> events = readWholeChunksBetweenPauses(socket, 1);
            assertThat(String.join("", events)).contains("\"other\"");
        }
    }

    private static Socket open(String request) throws IOException {
        Socket socket = new Socket("127.0.0.1", gateway.server().port());
        socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
        socket.getOutputStream().flush();
        return socket;
    }

    /** Reads the response head and checks the body is chunked. */
    private static String readHead(InputStream in) throws IOException {
        String text = readHeadOnly(in);
        assertThat(text.toLowerCase()).contains("transfer-encoding: chunked");
        return text;
    }

    private static String readHeadOnly(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            assertThat(b).as("end of the response head").isNotNegative();
            head.write(b);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    /**
     * Reads until {@code wanted} chunks arrived; whenever the wire goes quiet (the engine is between
     * tokens), what arrived so far must be whole chunks with no byte of a chunk left behind.
     */
    private static List<String> readWholeChunksBetweenPauses(Socket socket, int wanted) throws IOException {
        InputStream in = socket.getInputStream();
        socket.setSoTimeout(40);
        ByteArrayOutputStream pending = new ByteArrayOutputStream();
        List<String> chunks = new ArrayList<>();
        long deadline = System.nanoTime() + TestGateway.PATIENCE.toNanos();
        byte[] buffer = new byte[8192];
        while (chunks.size() < wanted && System.nanoTime() < deadline) {
            try {
                int n = in.read(buffer);
                if (n < 0) {
                    break;
                }
                pending.write(buffer, 0, n);
            } catch (SocketTimeoutException quiet) {
                if (pending.size() > 0) {
                    chunks.addAll(wholeChunks(pending.toByteArray()));
                    pending.reset();
                }
            }
        }
        assertThat(chunks).hasSizeGreaterThanOrEqualTo(wanted);
        return chunks;
    }

    /** Parses {@code <hex>\r\n<data>\r\n}... and fails unless the bytes end exactly at a chunk's end. */
    private static List<String> wholeChunks(byte[] bytes) {
        List<String> chunks = new ArrayList<>();
        int at = 0;
        while (at < bytes.length) {
            int lineEnd = indexOfCrlf(bytes, at);
            assertThat(lineEnd).as("a chunk size line in %s", show(bytes)).isPositive();
            int size = Integer.parseInt(new String(bytes, at, lineEnd - at, StandardCharsets.US_ASCII), 16);
            int dataStart = lineEnd + 2;
            assertThat(bytes.length)
                    .as("the whole chunk and its CRLF are on the wire: %s", show(bytes))
                    .isGreaterThanOrEqualTo(dataStart + size + 2);
            assertThat(new String(bytes, dataStart + size, 2, StandardCharsets.US_ASCII))
                    .isEqualTo("\r\n");
            if (size > 0) {
                chunks.add(new String(bytes, dataStart, size, StandardCharsets.UTF_8));
            }
            at = dataStart + size + 2;
        }
        return chunks;
    }

    private static int indexOfCrlf(byte[] bytes, int from) {
        for (int i = from; i + 1 < bytes.length; i++) {
            if (bytes[i] == '\r' && bytes[i + 1] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static String show(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1)
                .replace("\r", "\\r")
                .replace("\n", "\\n");
    }
}
