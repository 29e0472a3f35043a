package dev.switchboard.app.http;

import dev.switchboard.core.GatewayException;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

/**
 * Lets a request through only with one of the configured keys, as {@code Authorization: Bearer KEY}
 * or {@code x-api-key: KEY} (llama.cpp accepts both). The health check and the web UI's files stay
 * open: the page asks for the key itself. The key never reaches an engine: the forwarder drops both
 * headers.
 */
final class ApiKeyCheck implements Handler {
    private static final String BEARER = "Bearer ";

    private final List<byte[]> keys;

    ApiKeyCheck(List<String> keys) {
        this.keys = keys.stream().map(k -> k.getBytes(StandardCharsets.UTF_8)).toList();
    }

    @Override
    public void handle(Context ctx) {
        if (keys.isEmpty() || isOpen(ctx.path())) {
            return;
        }
        String presented = ctx.header("Authorization");
        if (presented == null || presented.isEmpty()) {
            presented = ctx.header("x-api-key");
        }
        if (presented != null && presented.startsWith(BEARER)) {
            presented = presented.substring(BEARER.length());
        }
        if (presented == null || !accepted(presented.getBytes(StandardCharsets.UTF_8))) {
            throw new GatewayException(401, "authentication_error", "Invalid API Key");
        }
    }

    private static boolean isOpen(String path) {
        return path.equals("/health")
                || path.equals("/v1/health")
                || path.equals("/")
                || path.equals("/ui")
                || path.startsWith("/ui/");
    }

    /** Compares against every key, in time independent of where a comparison fails. */
    private boolean accepted(byte[] presented) {
        boolean match = false;
        for (byte[] key : keys) {
            match |= MessageDigest.isEqual(key, presented);
        }
        return match;
    }
}
