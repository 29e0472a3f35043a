package dev.switchboard.app;

import dev.switchboard.app.auth.ApiKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How the HTTP server listens and whom it serves.
 *
 * @param host the address to bind; 127.0.0.1 unless told otherwise
 * @param port the port to bind; 0 picks a free one
 * @param apiKeys accepted API keys with every right ({@code Authorization: Bearer KEY} or {@code
 *     x-api-key}); with no {@code scopedKeys} either, there is no authentication
 * @param maxBodyBytes the largest request body accepted; larger ones get 413
 * @param webUi whether {@code /ui/} serves the web UI
 * @param cors cross-origin access; {@link CorsSettings#off()} by default
 * @param debugFakeTiming a test knob, as llama.cpp's router has it ({@code
 *     LLAMA_SERVER_DEBUG_FAKE_TIMING}): every load waits 2 s before it starts and every proxied
 *     request 2 s once it holds its model, so that tests can watch queues and busy models
 * @param scopedKeys accepted API keys limited to some models or routes
 */
public record ServerSettings(
        String host,
        int port,
        List<String> apiKeys,
        long maxBodyBytes,
        boolean webUi,
        CorsSettings cors,
        boolean debugFakeTiming,
        List<ApiKey> scopedKeys) {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8080;
    public static final long DEFAULT_MAX_BODY_BYTES = 64L * 1024 * 1024;

    public ServerSettings {
        Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must lie in 0..65535, got " + port);
        }
        apiKeys = List.copyOf(apiKeys);
        Objects.requireNonNull(cors, "cors");
        scopedKeys = List.copyOf(scopedKeys);
        if (maxBodyBytes <= 0) {
            throw new IllegalArgumentException("maxBodyBytes must be positive");
        }
    }

    /** Settings with full-scope keys only and without cross-origin access. */
    public ServerSettings(String host, int port, List<String> apiKeys, long maxBodyBytes, boolean webUi) {
        this(host, port, apiKeys, maxBodyBytes, webUi, CorsSettings.off(), false, List.of());
    }

    public ServerSettings withCors(CorsSettings value) {
        return new ServerSettings(host, port, apiKeys, maxBodyBytes, webUi, value, debugFakeTiming, scopedKeys);
    }

    public ServerSettings withDebugFakeTiming(boolean value) {
        return new ServerSettings(host, port, apiKeys, maxBodyBytes, webUi, cors, value, scopedKeys);
    }

    /** Every accepted key: the full-scope ones, then the scoped ones. */
    public List<ApiKey> allKeys() {
        List<ApiKey> all =
                new ArrayList<>(apiKeys.stream().map(ApiKey::fullScope).toList());
        all.addAll(scopedKeys);
        return all;
    }

    /** Loopback, port 8080, no keys, 64 MiB bodies, web UI on, no cross-origin access. */
    public static ServerSettings defaults() {
        return new ServerSettings(DEFAULT_HOST, DEFAULT_PORT, List.of(), DEFAULT_MAX_BODY_BYTES, true);
    }
}
