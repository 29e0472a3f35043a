package dev.switchboard.app.parity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.app.cli.Cli;
import dev.switchboard.app.cli.Invocation;
import dev.switchboard.app.config.AppConfig;
import dev.switchboard.app.http.GatewayServer;
import dev.switchboard.core.Gateway;
import dev.switchboard.llamacpp.gguf.GgufFixtures;
import dev.switchboard.simulator.Journal;
import dev.switchboard.simulator.JournalEvent;
import dev.switchboard.simulator.SimulatorCommand;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Switchboard started the way a llama.cpp user starts llama-server's router: a command line and no
 * configuration file, {@code --models-dir} holding GGUF files, and the engine simulator as {@code
 * --llama-server}. From the parsed command line on, everything is the real gateway (the llamacpp
 * backend, the router child protocol, the HTTP server on a free port), wired as {@code
 * dev.switchboard.app.Main} wires it, and requests go over real HTTP. Every child appends to one
 * journal, so a test can check what the engines saw.
 */
final class RouterUnderTest implements AutoCloseable {
    /** How long a test waits for something that should happen. */
    static final Duration PATIENCE = Duration.ofSeconds(30);

    /** Simulated generation speed: {@link #busyChat} keeps its engine busy for ~1.5 s. */
    private static final int TOKENS_PER_SECOND = 100;

    private static final int BUSY_TOKENS = 150;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path journal;
    private final Gateway gateway;
    private final GatewayServer server;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private RouterUnderTest(Path journal, Gateway gateway, GatewayServer server) {
        this.journal = journal;
        this.gateway = gateway;
        this.server = server;
    }

    /** An HTTP answer: its status and its body as JSON ({@code null} when the body is not JSON). */
    record Reply(int status, JsonNode body) {
        /** The {@code error.message} of an error body. */
        String errorMessage() {
            return body.path("error").path("message").asText();
        }

        String errorType() {
            return body.path("error").path("type").asText();
        }
    }

    /** The models directory under {@code dir}, created if needed. */
    static Path modelsDir(Path dir) {
        try {
            return Files.createDirectories(dir.resolve("models"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes a tiny llama model, {@code <id>.gguf}, into the models directory under {@code dir}. */
    static Path addModel(Path dir, String id) {
        try {
            return GgufFixtures.llama(modelsDir(dir).resolve(id + ".gguf"), GgufFixtures.TINY);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Runs {@code switchboard --models-dir DIR/models --llama-server DIR/llama-server --host
     * 127.0.0.1 --port 0 ARGS...}.
     */
    static RouterUnderTest start(Path dir, String... args) {
        Path journal = dir.resolve("children.journal");
        Path llamaServer = writeLlamaServer(dir, journal);
        List<String> line = new ArrayList<>(List.of(
                "--models-dir",
                modelsDir(dir).toString(),
                "--llama-server",
                llamaServer.toString(),
                "--host",
                "127.0.0.1",
                "--port",
                "0"));
        line.addAll(List.of(args));
        Invocation invocation = Cli.parse(line.toArray(String[]::new), Map.of());
        if (!(invocation instanceof Invocation.Serve serve)) {
            throw new IllegalArgumentException("not a serving command line: " + line + ": " + invocation);
        }
        AppConfig config = serve.options().routerConfig();
        AtomicInteger port = new AtomicInteger();
        Gateway gateway = Gateway.builder()
                .config(config.gateway())
                .gpus(config.gpus().inventory())
                .gatewayPort(port::get)
                .shutdownHook(false)
                .build();
        try {
            GatewayServer server = GatewayServer.start(gateway, config.server());
            port.set(server.port());
            return new RouterUnderTest(journal, gateway, server);
        } catch (RuntimeException e) {
            gateway.close();
            throw e;
        }
    }

    /**
     * The simulator as {@code llama-server}, behind a wrapper that sets its knobs: children inherit
     * the router's environment, and the test JVM's own cannot be changed.
     */
    private static Path writeLlamaServer(Path dir, Path journal) {
        Path simulator = SimulatorCommand.writeLauncher(dir.resolve("simulator"));
        String script = "#!/bin/sh\n"
                + "export SIM_RECORD='" + journal + "' SIM_LOAD_MS=100 SIM_TOKENS_PER_SECOND=" + TOKENS_PER_SECOND
                + "\n"
                + "exec '" + simulator + "' \"$@\"\n";
        try {
            Path file = Files.writeString(dir.resolve("llama-server"), script);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Reply get(String path, String... headers) {
        return send(request(path, headers).GET().build());
    }

    Reply post(String path, String json, String... headers) {
        return send(post(request(path, headers), json));
    }

    /** Sends a POST in the background. */
    CompletableFuture<Reply> postAsync(String path, String json) {
        return http.sendAsync(post(request(path), json), HttpResponse.BodyHandlers.ofString())
                .thenApply(RouterUnderTest::reply);
    }

    /** A POST whose client gives up after {@code patience}: what it gets, or the failure. */
    CompletableFuture<Reply> postGivingUpAfter(Duration patience, String path, String json) {
        return http.sendAsync(post(request(path).timeout(patience), json), HttpResponse.BodyHandlers.ofString())
                .thenApply(RouterUnderTest::reply);
    }

    /** A chat completion request for {@code model}, asking for {@code maxTokens} tokens. */
    static String chat(String model, int maxTokens) {
        return chat(model, maxTokens, "");
    }

    /**
     * The same with more fields.
     *
     * @param fields JSON members, each followed by a comma: {@code "stream":true,}
     */
    static String chat(String model, int maxTokens, String fields) {
        return "{" + fields + "\"model\":\"" + model + "\",\"max_tokens\":" + maxTokens
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}";
    }

    /**
     * A chat completion request that keeps {@code model}'s engine busy for a while: the simulated
     * answer runs to its {@code max_tokens} instead of stopping after a few words.
     */
    static String busyChat(String model) {
        return chat(model, BUSY_TOKENS, "\"ignore_eos\":true,");
    }

    /** A streamed chat completion: the {@code data:} events up to {@code [DONE]}, as JSON. */
    List<JsonNode> streamChat(String model) {
        String body = chat(model, 8, "\"stream\":true,");
        HttpResponse<InputStream> response = sendForStream(post(request("/v1/chat/completions"), body));
        if (response.statusCode() != 200) {
            throw new IllegalStateException("status " + response.statusCode());
        }
        try (BufferedReader reader =
                new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            List<JsonNode> events = new ArrayList<>();
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.equals("data: [DONE]")) {
                    break;
                }
                if (line.startsWith("data: ")) {
                    events.add(JSON.readTree(line.substring("data: ".length())));
                }
            }
            return events;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Opens {@code GET /models/sse}; the caller reads its lines and closes it. */
    BufferedReader openModelEvents() {
        HttpResponse<InputStream> response =
                sendForStream(request("/models/sse").timeout(PATIENCE).GET().build());
        return new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
    }

    /** The ids {@code GET /models} lists ({@code ?reload=1} when asked). */
    List<String> modelIds(boolean reload) {
        return get(reload ? "/models?reload=1" : "/models")
                .body()
                .path("data")
                .valueStream()
                .map(model -> model.path("id").asText())
                .toList();
    }

    /** {@code status.value} of the model in {@code GET /models}. */
    String status(String model, String... headers) {
        return modelEntry(model, headers).path("status").path("value").asText();
    }

    /** The model's entry in {@code GET /models}. */
    JsonNode modelEntry(String model, String... headers) {
        return get("/models", headers)
                .body()
                .path("data")
                .valueStream()
                .filter(m -> m.path("id").asText().equals(model))
                .findFirst()
                .orElseThrow(() -> new AssertionError("GET /models does not list " + model));
    }

    /** Requests waiting for their model now, from the gateway's Prometheus gauge. */
    int waitingRequests() {
        String metrics = send(request("/metrics").GET().build(), HttpResponse.BodyHandlers.ofString())
                .body();
        return metrics.lines()
                .filter(line -> line.startsWith("switchboard_requests_waiting "))
                .map(line -> (int) Double.parseDouble(line.substring(line.indexOf(' ') + 1)))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no switchboard_requests_waiting in /metrics"));
    }

    /** Every line the children wrote to the journal so far. */
    List<JournalEvent> journal() {
        return Journal.read(journal);
    }

    /** The journal's {@code start} events of the children that served {@code model}. */
    List<JournalEvent> starts(String model) {
        return journal().stream()
                .filter(e -> e.event().equals(JournalEvent.START))
                .filter(e -> e.entry("flags", "--alias").orElse("").equals(model))
                .toList();
    }

    /** Whether a child has received a request for {@code model}. */
    boolean childReceivedRequestFor(String model) {
        return journal().stream()
                .anyMatch(e -> e.event().equals(JournalEvent.REQUEST)
                        && e.text("model").orElse("").equals(model));
    }

    private HttpRequest.Builder request(String path, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .timeout(PATIENCE);
        return headers.length == 0 ? request : request.headers(headers);
    }

    private static HttpRequest post(HttpRequest.Builder request, String json) {
        return request.header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build();
    }

    private Reply send(HttpRequest request) {
        return reply(send(request, HttpResponse.BodyHandlers.ofString()));
    }

    private HttpResponse<InputStream> sendForStream(HttpRequest request) {
        return send(request, HttpResponse.BodyHandlers.ofInputStream());
    }

    private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> body) {
        try {
            return http.send(request, body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Reply reply(HttpResponse<String> response) {
        JsonNode body;
        try {
            body = JSON.readTree(response.body());
        } catch (IOException e) {
            body = null;
        }
        return new Reply(response.statusCode(), body);
    }

    @Override
    public void close() {
        // the client first: the server's graceful stop would wait for its idle connections
        http.close();
        try {
            server.stop(Duration.ofSeconds(1));
        } finally {
            gateway.close();
        }
    }
}
