package dev.switchboard.app.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.app.Main;
import dev.switchboard.app.ServerSettings;
import dev.switchboard.core.lifecycle.SchedulerConfig;
import dev.switchboard.core.placement.GpuInventory;
import dev.switchboard.core.spi.BackendConfig;
import dev.switchboard.core.spi.ModelDescriptor;
import dev.switchboard.simulator.Journal;
import dev.switchboard.simulator.JournalEvent;
import dev.switchboard.simulator.SimulatorCommand;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Multipart uploads through the gateway to a simulated vLLM's {@code /v1/audio/transcriptions}, which
 * journals the size and SHA-256 of the file part it received: the upload arrives byte for byte, streamed
 * rather than held whole, with the body limit enforced as it streams.
 */
class AudioUploadTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long LIMIT = 16L * 1024 * 1024;
    private static final long EIGHT_MIB = 8L * 1024 * 1024;
    private static final String BOUNDARY = "----switchboard-test-7f3a";

    @TempDir
    static Path dir;

    static TestGateway gateway;

    @BeforeAll
    static void start() {
        gateway = TestGateway.start(
                dir,
                new ServerSettings("127.0.0.1", 0, List.of(), LIMIT, false),
                SchedulerConfig.ofDefaults(),
                GpuInventory.none(),
                List.of(BackendConfig.of(
                        "vllm", "vllm", Map.of("command", SimulatorCommand.javaCommand(), "env", engineEnv(dir)))),
                List.of(whisper()));
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void anUploadWithItsModelFirstReachesTheEngineByteForByte() throws Exception {
        Upload upload = Upload.modelFirst(EIGHT_MIB, 1);

        HttpResponse<String> response = send(gateway.uri("/v1/audio/transcriptions"), upload, true);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).path("text").asText()).isNotEmpty();
        assertArrivedWhole(lastUpload(dir), upload);
    }

    @Test
    void anUploadWithItsFileFirstIsSpooledThenReachesTheEngineByteForByte() throws Exception {
        Upload upload = Upload.fileFirst(EIGHT_MIB, 2);

        HttpResponse<String> response = send(gateway.uri("/v1/audio/translations"), upload, false);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertArrivedWhole(lastUpload(dir), upload);
        assertThat(spoolFiles())
                .as("spooled parts are deleted after the request")
                .isEmpty();
    }

    @Test
    void anUploadThatGrowsPastTheLimitIsRefusedWith413AsItStreams() throws Exception {
        long uploadsBefore = uploads(dir).count();
        Upload upload = Upload.modelFirst(LIMIT + 2 * 1024 * 1024, 3);

        HttpResponse<String> response = send(gateway.uri("/v1/audio/transcriptions"), upload, false); // chunked

        OpenAiRoutesTest.assertError(
                response, 413, "invalid_request_error", "request body is larger than the limit of " + LIMIT + " bytes");
        assertThat(uploads(dir).count()).as("the engine never saw it whole").isEqualTo(uploadsBefore);
        assertThat(spoolFiles()).isEmpty();
        // the client's mistake does not count against the model
        assertThat(gateway.gateway().circuitState("whisper").name()).isEqualTo("CLOSED");
    }

    @Test
    void anUploadWithoutAModelFieldIsRefusedAsBefore() throws Exception {
        Upload upload = new Upload(List.of(Upload.file(1024 * 1024, 4), Upload.end()));

        HttpResponse<String> response = send(gateway.uri("/v1/audio/transcriptions"), upload, true);

        OpenAiRoutesTest.assertError(response, 400, "invalid_request_error", "model name is missing from the request");
    }

    /**
     * The gateway in its own JVM with a 48 MiB heap relays a 64 MiB upload, file first: held whole (as
     * the gateway held bodies before), it could not.
     */
    @Test
    void aGatewayWithA48MiBHeapRelaysA64MiBUpload(@TempDir Path own) throws Exception {
        Map<String, Object> config = Map.of(
                "server", Map.of("port", 0, "maxBodySize", "128MiB", "webUi", false),
                "gpus", "none",
                "backends",
                        Map.of(
                                "vllm",
                                Map.of(
                                        "type",
                                        "vllm",
                                        "command",
                                        SimulatorCommand.javaCommand(),
                                        "env",
                                        engineEnv(own))),
                "models", Map.of("whisper", Map.of("backend", "vllm", "source", "openai/whisper-large-v3")));
        Path file = own.resolve("config.yaml"); // JSON is YAML
        JSON.writeValue(file.toFile(), config);
        Path log = own.resolve("gateway.log");
        Process process = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx48m",
                        "-cp",
                        System.getProperty("java.class.path"),
                        Main.class.getName(),
                        "--config",
                        file.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        try {
            Pattern listening = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)");
            int port = await().atMost(Duration.ofSeconds(60))
                    .until(
                            () -> {
                                Matcher m = listening.matcher(Files.readString(log));
                                return m.find() ? Integer.parseInt(m.group(1)) : 0;
                            },
                            p -> p > 0);
            Upload upload = Upload.fileFirst(64L * 1024 * 1024, 5);

            HttpResponse<String> response =
                    send(URI.create("http://127.0.0.1:" + port + "/v1/audio/transcriptions"), upload, true);

            assertThat(response.statusCode())
                    .as(response.body() + "\n" + Files.readString(log))
                    .isEqualTo(200);
            assertArrivedWhole(lastUpload(own), upload);
            assertThat(Files.readString(log)).doesNotContain("OutOfMemoryError");
        } finally {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static ModelDescriptor whisper() {
        return ModelDescriptor.builder("whisper", "vllm")
                .source("openai/whisper-large-v3")
                .build();
    }

    private static Map<String, Object> engineEnv(Path journalDir) {
        return Map.of("SIM_RECORD", journalDir.resolve("journal.jsonl").toString(), "SIM_LOAD_MS", "50");
    }

    private static Stream<JournalEvent> uploads(Path journalDir) {
        return Journal.read(journalDir.resolve("journal.jsonl")).stream()
                .filter(event -> event.event().equals(JournalEvent.UPLOAD));
    }

    private static JournalEvent lastUpload(Path journalDir) {
        return uploads(journalDir).reduce((first, second) -> second).orElseThrow();
    }

    private static void assertArrivedWhole(JournalEvent received, Upload upload) {
        assertThat(received.text("model")).hasValue("whisper");
        assertThat(received.number("bytes")).hasValue(upload.fileBytes());
        assertThat(received.text("sha256")).hasValue(upload.fileSha256());
    }

    private static List<Path> spoolFiles() throws IOException {
        try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return files.filter(f -> f.getFileName().toString().startsWith("switchboard-upload-"))
                    .toList();
        }
    }

    /** Sends the upload with its Content-Length, or chunked; the test never holds it whole either. */
    private static HttpResponse<String> send(URI uri, Upload upload, boolean withLength)
            throws IOException, InterruptedException {
        HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.ofInputStream(upload::open);
        try (HttpClient http =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            return http.send(
                    HttpRequest.newBuilder(uri)
                            .timeout(Duration.ofSeconds(60))
                            .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
                            .POST(withLength ? HttpRequest.BodyPublishers.fromPublisher(body, upload.length()) : body)
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        }
    }

    /** A form made of text parts and one file part of seeded random bytes, generated as it is read. */
    record Upload(List<Part> parts) {

        static Upload modelFirst(long fileBytes, long seed) {
            return new Upload(
                    List.of(field("model", "whisper"), field("language", "en"), file(fileBytes, seed), end()));
        }

        static Upload fileFirst(long fileBytes, long seed) {
            return new Upload(List.of(file(fileBytes, seed), field("model", "whisper"), end()));
        }

        static Part field(String name, String value) {
            return Part.text("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n"
                    + value + "\r\n");
        }

        /** The file part: its headers, its bytes, then the CRLF that belongs to the next delimiter. */
        static Part file(long bytes, long seed) {
            return new Part(
                    ("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"speech.wav\"\r\n"
                                    + "Content-Type: audio/wav\r\n\r\n")
                            .getBytes(StandardCharsets.ISO_8859_1),
                    bytes,
                    seed,
                    "\r\n".getBytes(StandardCharsets.ISO_8859_1));
        }

        static Part end() {
            return Part.text("--" + BOUNDARY + "--\r\n");
        }

        long length() {
            return parts.stream().mapToLong(Part::length).sum();
        }

        InputStream open() {
            return new SequenceInputStream(
                    Collections.enumeration(parts.stream().map(Part::open).toList()));
        }

        private Part filePart() {
            return parts.stream().filter(p -> p.randomBytes() > 0).findFirst().orElseThrow();
        }

        long fileBytes() {
            return filePart().randomBytes();
        }

        String fileSha256() {
            MessageDigest sha;
            try {
                sha = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
            try (InputStream random = filePart().random()) {
                byte[] chunk = new byte[64 * 1024];
                for (int n; (n = random.read(chunk)) != -1; ) {
                    sha.update(chunk, 0, n);
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            return HexFormat.of().formatHex(sha.digest());
        }
    }

    /** Head bytes, then {@code randomBytes} seeded random bytes, then tail bytes. */
    record Part(byte[] head, long randomBytes, long seed, byte[] tail) {

        static Part text(String text) {
            return new Part(text.getBytes(StandardCharsets.UTF_8), 0, 0, new byte[0]);
        }

        long length() {
            return head.length + randomBytes + tail.length;
        }

        InputStream open() {
            return new SequenceInputStream(Collections.enumeration(
                    List.of(new ByteArrayInputStream(head), random(), new ByteArrayInputStream(tail))));
        }

        /** The same bytes at every open: generated in whole blocks, whatever the reads ask for. */
        InputStream random() {
            return new InputStream() {
                private final Random random = new Random(seed);
                private final byte[] block = new byte[64 * 1024];
                private int position = block.length;
                private long left = randomBytes;

                @Override
                public int read() {
                    byte[] one = new byte[1];
                    return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
                }

                @Override
                public int read(byte[] target, int offset, int length) {
                    if (left == 0) {
                        return -1;
                    }
                    if (position == block.length) {
                        random.nextBytes(block);
                        position = 0;
                    }
                    int n = (int) Math.min(Math.min(length, block.length - position), left);
                    System.arraycopy(block, position, target, offset, n);
                    position += n;
                    left -= n;
                    return n;
                }
            };
        }
    }
}
