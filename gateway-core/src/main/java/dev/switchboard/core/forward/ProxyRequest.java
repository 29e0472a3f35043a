package dev.switchboard.core.forward;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A client request to relay to an engine.
 *
 * @param method the HTTP method
 * @param pathAndQuery the path with its query string, such as {@code /v1/chat/completions}
 * @param headers the client's headers (hop-by-hop and credential headers are dropped when relayed)
 * @param body the request body, {@link RequestBody#EMPTY} for none
 */
public record ProxyRequest(String method, String pathAndQuery, Map<String, List<String>> headers, RequestBody body) {

    public ProxyRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(pathAndQuery, "pathAndQuery");
        headers = Map.copyOf(headers);
        body = body == null ? RequestBody.EMPTY : body;
    }

    /** A request with a body held in memory (empty for null). */
    public ProxyRequest(String method, String pathAndQuery, Map<String, List<String>> headers, byte[] body) {
        this(method, pathAndQuery, headers, RequestBody.of(body));
    }
}
