package dev.switchboard.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.core.lifecycle.SchedulerConfig;
import dev.switchboard.core.placement.GpuInventory;
import dev.switchboard.core.spi.BackendConfig;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every request of the corpus {@code bad-requests.jsonl} (malformed JSON, wrong types, hostile model
 * names, huge bodies and headers, deep nesting, invalid UTF-8, bad multipart, bad query parameters,
 * bad pull and delete references) sent over a socket to the real server: each one answers 4xx in
 * the OpenAI error shape with no stack trace, and the gateway serves normally afterwards.
 *
 * <p>A corpus line is a JSON object: {@code name}, {@code method}, {@code path} (or {@code
 * pathBase64} for raw bytes), {@code headers}, and a body as {@code body} (text), {@code
 * bodyBase64} (bytes) or {@code stream} ({@code {"bytes":N,"chunked":bool}}, generated while sent);
 * {@code raw: true} sends the headers as given, without a computed {@code Content-Length}. {@code
 * for} maps variables to lists of values: the line stands for every combination, with {@code
 * ${VAR}}, {@code ${json:VAR}} (escaped for a JSON string) and {@code ${url:VAR}} (percent-encoded)
 * replaced; {@code ${repeat:N:TEXT}} stands for TEXT repeated N times.
 */
class BadInputCorpusTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{(?:(json|url):)?([A-Z0-9]+)\\}");
    private static final Pattern REPEAT = Pattern.compile("\\$\\{repeat:(\\d+):([^}]*)\\}");
    private static final Pattern STACK_TRACE =
            Pattern.compile("\\tat |\\bat [\\w$.]+\\(|Exception|java\\.|jakarta\\.|org\\.eclipse|dev\\.switchboard");
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @TempDir
    static Path dir;

    static TestGateway gateway;

    @BeforeAll
    static void start() {
        // a llama.cpp backend so pull and delete are served; its hub is a closed port, never reached
        BackendConfig llama = BackendConfig.of(
                "llama",
                "llamacpp",
                Map.of("cacheDir", dir.resolve("cache").toString(), "hfEndpoint", "http://127.0.0.1:1"));
        gateway = TestGateway.start(
                dir,
                TestGateway.settings(List.of()),
                SchedulerConfig.ofDefaults(),
                GpuInventory.none(),
                List.of(llama),
                List.of(TestGateway.simulated(dir, "sim", "--sim-tokens-per-second", "0")));
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void answersEveryBadRequestWithAClientErrorInTheOpenAiShape() throws IOException {
        List<BadRequest> corpus = corpus();
        int clientErrors = 0;
        int serverErrors = 0;
        List<String> failures = new ArrayList<>();
        for (BadRequest request : corpus) {
            RawHttp.Response response =
                    RawHttp.exchange(gateway.server().port(), request.head(), request.body(), PATIENCE);
            if (response.status() >= 400 && response.status() < 500) {
                clientErrors++;
            } else if (response.status() >= 500) {
                serverErrors++;
            }
            String problem = problem(response);
            if (problem != null) {
                failures.add(request.name() + ": " + problem + " (status " + response.status() + ", body "
                        + abbreviate(response.body()) + ")");
            }
        }
        System.out.printf(
                "%d bad requests, %d answered 4xx, %d answered 5xx%n", corpus.size(), clientErrors, serverErrors);

        assertThat(failures).isEmpty();
        assertThat(corpus.size()).isGreaterThan(1000);
        assertThat(clientErrors).isEqualTo(corpus.size());
        assertThat(serverErrors).isZero();
        var normal = gateway.post(
                "/v1/chat/completions", "{\"model\":\"sim\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(normal.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(normal.body())
                        .path("choices")
                        .get(0)
                        .path("message")
                        .path("content")
                        .asText())
                .isNotEmpty();
    }

    /** What is wrong with an answer to a bad request, or null when it is as it should be. */
    private static String problem(RawHttp.Response response) {
        if (response.status() < 400 || response.status() >= 500) {
            return "not a 4xx";
        }
        if (!response.headers().getOrDefault("content-type", "").startsWith("application/json")) {
            return "not JSON but " + response.headers().get("content-type");
        }
        if (STACK_TRACE.matcher(response.body()).find()) {
            return "a stack trace or class name in the body";
        }
        JsonNode error;
        try {
            error = JSON.readTree(response.body()).path("error");
        } catch (IOException e) {
            return "a body that does not parse";
        }
        if (!error.path("message").isTextual() || error.path("message").asText().isBlank()) {
            return "no error.message";
        }
        if (!error.path("type").isTextual() || error.path("code").asInt() != response.status()) {
            return "no error.type or an error.code that is not the status";
        }
        return null;
    }

    private static String abbreviate(String text) {
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }

    /** One bad request, ready to send. */
    record BadRequest(String name, byte[] head, RawHttp.Body body) {}

    static List<BadRequest> corpus() throws IOException {
        List<BadRequest> requests = new ArrayList<>();
        try (InputStream in = BadInputCorpusTest.class.getResourceAsStream("bad-requests.jsonl");
                BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode entry = JSON.readTree(line);
                for (Map<String, String> values : combinations(entry.path("for"))) {
                    requests.add(build(entry, values));
                }
            }
        }
        return requests;
    }

    /** Every assignment of the {@code for} variables, one value each. */
    private static List<Map<String, String>> combinations(JsonNode variables) {
        List<Map<String, String>> result = new ArrayList<>();
        result.add(Map.of());
        for (Iterator<Map.Entry<String, JsonNode>> it = variables.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> variable = it.next();
            List<Map<String, String>> next = new ArrayList<>();
            for (Map<String, String> partial : result) {
                for (JsonNode value : variable.getValue()) {
                    Map<String, String> extended = new LinkedHashMap<>(partial);
                    extended.put(variable.getKey(), repeat(value.asText()));
                    next.add(extended);
                }
            }
            result = next;
        }
        return result;
    }

    private static BadRequest build(JsonNode entry, Map<String, String> values) {
        String name = expand(entry.path("name").asText(), values);
        String method = expand(entry.path("method").asText(), values);
        byte[] path = entry.has("pathBase64")
                ? Base64.getDecoder().decode(entry.path("pathBase64").asText())
                : expand(entry.path("path").asText(), values).getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = new LinkedHashMap<>();
        entry.path("headers")
                .fields()
                .forEachRemaining(
                        h -> headers.put(h.getKey(), expand(h.getValue().asText(), values)));
        RawHttp.Body body;
        if (entry.has("stream")) {
            long bytes = entry.path("stream").path("bytes").asLong();
            boolean chunked = entry.path("stream").path("chunked").asBoolean();
            headers.put(chunked ? "Transfer-Encoding" : "Content-Length", chunked ? "chunked" : Long.toString(bytes));
            body = generated(bytes, chunked);
        } else {
            byte[] bytes = entry.has("bodyBase64")
                    ? Base64.getDecoder().decode(expand(entry.path("bodyBase64").asText(), values))
                    : expand(entry.path("body").asText(""), values).getBytes(StandardCharsets.UTF_8);
            if (!entry.path("raw").asBoolean() && (bytes.length > 0 || method.equals("POST"))) {
                headers.put("Content-Length", Integer.toString(bytes.length));
            }
            body = RawHttp.Body.of(bytes);
        }
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        head.writeBytes((method + " ").getBytes(StandardCharsets.UTF_8));
        head.writeBytes(path);
        StringBuilder rest = new StringBuilder(" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
        headers.forEach(
                (key, value) -> rest.append(key).append(": ").append(value).append("\r\n"));
        head.writeBytes(rest.append("\r\n").toString().getBytes(StandardCharsets.UTF_8));
        return new BadRequest(name.length() > 160 ? name.substring(0, 160) + "..." : name, head.toByteArray(), body);
    }

    /** A JSON chat body padded to {@code bytes}, written in 64 KiB pieces (as chunks when asked). */
    private static RawHttp.Body generated(long bytes, boolean chunked) {
        return new RawHttp.Body() {
            @Override
            public long length() {
                return bytes;
            }

            @Override
            public void writeTo(OutputStream out) throws IOException {
                byte[] piece = new byte[64 * 1024];
                Arrays.fill(piece, (byte) 'a');
                byte[] start = "{\"model\":\"sim\",\"prompt\":\"".getBytes(StandardCharsets.US_ASCII);
                System.arraycopy(start, 0, piece, 0, start.length);
                for (long sent = 0; sent < bytes; sent += piece.length) {
                    int n = (int) Math.min(piece.length, bytes - sent);
                    if (chunked) {
                        out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    }
                    out.write(piece, 0, n);
                    if (chunked) {
                        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                    }
                    if (sent == 0) {
                        Arrays.fill(piece, 0, start.length, (byte) 'a');
                    }
                }
                if (chunked) {
                    out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                }
            }
        };
    }

    private static String expand(String template, Map<String, String> values) {
        Matcher m = VARIABLE.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = values.get(m.group(2));
            if (value == null) {
                throw new IllegalArgumentException("corpus variable " + m.group(2) + " has no value in " + template);
            }
            String replaced =
                    switch (m.group(1) == null ? "" : m.group(1)) {
                        case "json" -> jsonEscaped(value);
                        case "url" -> URLEncoder.encode(value, StandardCharsets.UTF_8);
                        default -> value;
                    };
            m.appendReplacement(out, Matcher.quoteReplacement(replaced));
        }
        m.appendTail(out);
        return repeat(out.toString());
    }

    private static String repeat(String template) {
        Matcher m = REPEAT.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(m.group(2).repeat(Integer.parseInt(m.group(1)))));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String jsonEscaped(String value) {
        try {
            String quoted = JSON.writeValueAsString(value);
            return quoted.substring(1, quoted.length() - 1);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
