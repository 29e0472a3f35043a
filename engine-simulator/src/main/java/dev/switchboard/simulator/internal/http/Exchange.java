package dev.switchboard.simulator.internal.http;

import com.sun.net.httpserver.HttpExchange;
import dev.switchboard.simulator.internal.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** One HTTP request and its response, over the JDK's {@link HttpExchange}. */
public final class Exchange {

    private final HttpExchange exchange;

    Exchange(HttpExchange exchange) {
        this.exchange = exchange;
    }

    public String method() {
        return exchange.getRequestMethod();
    }

    public String path() {
        return exchange.getRequestURI().getPath();
    }

    /** A query parameter, decoded. */
    public Optional<String> query(String name) {
        String query = exchange.getRequestURI().getRawQuery();
        if (query == null) {
            return Optional.empty();
        }
        for (String pair : query.split("&")) {
            int equals = pair.indexOf('=');
            String key = equals < 0 ? pair : pair.substring(0, equals);
            if (decode(key).equals(name)) {
                return Optional.of(equals < 0 ? "" : decode(pair.substring(equals + 1)));
            }
        }
        return Optional.empty();
    }

    public Optional<String> header(String name) {
        return Optional.ofNullable(exchange.getRequestHeaders().getFirst(name));
    }

    /** The request body as text. */
    public String body() throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The request body as it streams in, for a body too large to hold (an upload); read it once. */
    public InputStream bodyStream() {
        return exchange.getRequestBody();
    }

    /** Adds a header to the response; call before responding. */
    public void responseHeader(String name, String value) {
        exchange.getResponseHeaders().set(name, value);
    }

    public void json(int status, Object body) throws IOException {
        responseHeader("Content-Type", "application/json; charset=utf-8");
        send(status, Json.write(body).getBytes(StandardCharsets.UTF_8));
    }

    /** A plain-text response with its content type, such as Prometheus metrics. */
    public void text(int status, String contentType, String body) throws IOException {
        responseHeader("Content-Type", contentType);
        send(status, body.getBytes(StandardCharsets.UTF_8));
    }

    /** A response without a body, as FastAPI's {@code Response(status_code=...)} sends. */
    public void empty(int status) throws IOException {
        exchange.sendResponseHeaders(status, -1);
    }

    /** Starts a {@code text/event-stream} response. */
    public EventStream events() throws IOException {
        responseHeader("Content-Type", "text/event-stream");
        responseHeader("Cache-Control", "no-cache");
        // a length of 0 makes the JDK server send the body chunked, so each event can be flushed on its own
        exchange.sendResponseHeaders(200, 0);
        return new EventStream(exchange.getResponseBody());
    }

    void close() {
        exchange.close();
    }

    private void send(int status, byte[] bytes) throws IOException {
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static String decode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }
}
