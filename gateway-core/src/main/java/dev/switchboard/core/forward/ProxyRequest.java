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
 * @param body the request body, empty for none
 */
public record ProxyRequest(String method, String pathAndQuery, Map<String, List<String>> headers, byte[] body) {

    public ProxyRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(pathAndQuery, "pathAndQuery");
        headers = Map.copyOf(headers);
        body = body == null ? new byte[0] : body;
    }
}
