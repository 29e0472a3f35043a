package dev.switchboard.core.forward.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.forward.ClientGoneException;
import dev.switchboard.core.forward.ProxyRequest;
import dev.switchboard.core.forward.RequestBody;
import dev.switchboard.core.forward.ResponseSink;
import dev.switchboard.core.lifecycle.Lease;
import dev.switchboard.core.spi.RequestFilters;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Relays a client request to a leased engine and streams the answer back without buffering it; a
 * streamed request body (an upload) goes to the engine as it is read, not held whole either. An
 * engine that cannot be reached gives an {@link EngineUnreachableException} before any byte reaches
 * the client; after the first byte, the response can only be cut short.
 */
public final class Forwarder {
    private static final Logger log = LoggerFactory.getLogger(Forwarder.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Hop-by-hop headers: they describe one connection and are never relayed, either way. */
    private static final Set<String> HOP_BY_HOP = Set.of(
            "connection",
            "keep-alive",
            "proxy-authenticate",
            "proxy-authorization",
            "te",
            "trailer",
            "transfer-encoding",
            "upgrade",
            "http2-settings");

    /** Hop-by-hop headers, headers the client library sets itself, and the gateway's own credentials. */
    private static final Set<String> NOT_FORWARDED = Stream.concat(
                    HOP_BY_HOP.stream(), Stream.of("host", "content-length", "expect", "authorization", "x-api-key"))
            .collect(Collectors.toUnmodifiableSet());

    private final Http1Client http = new Http1Client(Duration.ofSeconds(5));

    /**
     * Forwards the request and relays the response.
     *
     * @throws EngineUnreachableException when the engine cannot be reached (nothing was sent to the client)
     * @throws ClientGoneException when the client went away mid-response (upstream was cancelled)
     * @throws IOException when the engine broke off mid-response
     * @return the engine's status code, as relayed
     */
    public int forward(Lease lease, ProxyRequest request, ResponseSink sink) throws IOException, InterruptedException {
        URI target = target(lease.baseUri(), request.pathAndQuery());
        RequestBody body = request.body() instanceof RequestBody.Bytes bytes
                ? RequestBody.of(rewriteBody(
                        bytes.bytes(), lease.upstreamModel(), lease.model().filters()))
                : request.body(); // a streamed upload goes through as it is read
        Http1Client.Response response;
        try {
            response =
                    http.send(target, request.method(), upstreamHeaders(lease, request), body, lease.maxConnections());
        } catch (IOException e) {
            throw new EngineUnreachableException(
                    "model '" + lease.model().id() + "': the engine did not answer (" + e.getMessage() + ")", e);
        }
        AtomicBoolean clientGone = new AtomicBoolean();
        try (response) {
            sink.begin(response.status(), responseHeaders(response));
            String type = response.header("content-type");
            boolean eventStream = type != null && type.regionMatches(true, 0, "text/event-stream", 0, 17);
            Runnable unwatch = eventStream
                    ? sink.watchClient(() -> {
                        clientGone.set(true);
                        response.abort(); // the engine sees the request cancelled at once
                    })
                    : () -> {};
            try {
                SseRelay.relay(response.body(), sink.body(), eventStream, response.contentLength());
            } finally {
                unwatch.run();
            }
            return response.status();
        } catch (IOException e) {
            if (!(e instanceof ClientGoneException) && !clientGone.get()) {
                throw e;
            }
            ClientGoneException gone = e instanceof ClientGoneException c ? c : new ClientGoneException(e);
            log.debug(
                    "model '{}': client went away; upstream request cancelled",
                    lease.model().id());
            throw gone;
        }
    }

    /** Closes the idle connections to one engine, which is about to exit. */
    public void closeIdle(URI engine) {
        http.closeIdle(engine);
    }

    /** Closes the idle engine connections. */
    public void close() {
        http.close();
    }

    private static Map<String, List<String>> upstreamHeaders(Lease lease, ProxyRequest request) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        request.headers().forEach((name, values) -> {
            if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT))) {
                headers.put(name, values);
            }
        });
        lease.requestHeaders().forEach((name, value) -> {
            headers.keySet().removeIf(existing -> existing.equalsIgnoreCase(name));
            headers.put(name, List.of(value));
        });
        return headers;
    }

    /**
     * The request's path appended to the engine's base URI, keeping any path the base has (a remote
     * upstream such as {@code https://host/api} serves {@code /v1/...} under it), where {@link
     * URI#resolve} would drop it.
     */
    static URI target(URI base, String pathAndQuery) {
        String root = base.toString();
        return URI.create((root.endsWith("/") ? root.substring(0, root.length() - 1) : root) + pathAndQuery);
    }

    /** The engine's headers, its {@code Content-Length} included: a sized answer stays sized (and the client's connection open). */
    private static Map<String, List<String>> responseHeaders(Http1Client.Response response) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        response.headers().forEach((name, values) -> {
            if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) {
                headers.put(name, values);
            }
        });
        return headers;
    }

    /**
     * Sets the JSON body's {@code model} to the name the engine expects (a request may use an alias)
     * and applies the model's request filters. Bodies that are not JSON objects, or need no change,
     * go through byte for byte.
     */
    static byte[] rewriteBody(byte[] body, String upstreamModel, RequestFilters filters) {
        if (body.length == 0 || body[0] != '{') {
            return body;
        }
        try {
            // the usual request needs no change: find that out with the streaming parser, no tree
            if (filters.isEmpty() && !needsRename(body, upstreamModel)) {
                return body;
            }
            if (!(JSON.readTree(body) instanceof ObjectNode object)) {
                return body;
            }
            boolean renamed = object.has("model")
                    && !upstreamModel.equals(object.get("model").asText());
            if (!renamed && filters.isEmpty()) {
                return body;
            }
            if (renamed) {
                object.put("model", upstreamModel);
            }
            object.remove(filters.strip());
            object.setAll(filters.set());
            return JSON.writeValueAsBytes(object);
        } catch (IOException e) {
            log.trace("body is not JSON; forwarded as is");
            return body;
        }
    }

    /** Whether the object's top-level {@code model} (the last one, as a tree keeps it) differs from the engine's name. */
    private static boolean needsRename(byte[] body, String upstreamModel) throws IOException {
        boolean rename = false;
        try (JsonParser parser = JSON.getFactory().createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return false;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if (field.equals("model")) {
                    rename = !upstreamModel.equals(value.isScalarValue() ? parser.getValueAsString() : "");
                }
                parser.skipChildren();
            }
        }
        return rename;
    }
}
