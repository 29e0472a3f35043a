package dev.switchboard.core.forward;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.GatewayException;
import dev.switchboard.core.lifecycle.Lease;
import dev.switchboard.core.spi.RequestFilters;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Relays a client request to a leased engine and streams the answer back without buffering it.
 * Everything that can go wrong before the first byte reaches the client becomes a {@link
 * GatewayException}; after that, the response can only be cut short.
 */
public final class Forwarder {
    private static final Logger log = LoggerFactory.getLogger(Forwarder.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Hop-by-hop headers, headers the client library sets itself, and the gateway's own credentials. */
    private static final Set<String> NOT_FORWARDED = Set.of(
            "connection",
            "keep-alive",
            "proxy-authenticate",
            "proxy-authorization",
            "te",
            "trailer",
            "transfer-encoding",
            "upgrade",
            "host",
            "content-length",
            "expect",
            "authorization",
            "x-api-key",
            "http2-settings");

    private final HttpClient http;

    /** @param http an HTTP/1.1 client; engines speak HTTP/1.1 */
    public Forwarder(HttpClient http) {
        this.http = http;
    }

    /**
     * Forwards the request and relays the response.
     *
     * @throws GatewayException when the engine cannot be reached (nothing was sent to the client)
     * @throws ClientGoneException when the client went away mid-response (upstream was cancelled)
     * @throws IOException when the engine broke off mid-response
     * @return the engine's status code, as relayed
     */
    public int forward(Lease lease, ProxyRequest request, ResponseSink sink) throws IOException, InterruptedException {
        HttpRequest upstream = upstreamRequest(lease, request);
        HttpResponse<InputStream> response;
        try {
            response = http.send(upstream, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw GatewayException.badGateway(
                    "model '" + lease.model().id() + "': the engine did not answer (" + e.getMessage() + ")");
        }
        try (InputStream body = response.body()) {
            sink.begin(response.statusCode(), responseHeaders(response));
            boolean eventStream = response.headers()
                    .firstValue("content-type")
                    .map(type -> type.toLowerCase(Locale.ROOT).startsWith("text/event-stream"))
                    .orElse(false);
            SseRelay.relay(body, sink.body(), eventStream);
            return response.statusCode();
        } catch (ClientGoneException e) {
            log.debug(
                    "model '{}': client went away; upstream request cancelled",
                    lease.model().id());
            throw e;
        }
    }

    private static HttpRequest upstreamRequest(Lease lease, ProxyRequest request) {
        URI target = target(lease.baseUri(), request.pathAndQuery());
        byte[] body =
                rewriteBody(request.body(), lease.upstreamModel(), lease.model().filters());
        HttpRequest.Builder builder = HttpRequest.newBuilder(target)
                .method(
                        request.method(),
                        body.length == 0
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(body));
        request.headers().forEach((name, values) -> {
            if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(value -> builder.header(name, value));
            }
        });
        lease.requestHeaders().forEach(builder::setHeader);
        return builder.build();
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

    private static Map<String, List<String>> responseHeaders(HttpResponse<?> response) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        response.headers().map().forEach((name, values) -> {
            if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
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
}
