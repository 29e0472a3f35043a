package dev.switchboard.app;

import java.util.Objects;

/**
 * Cross-origin access, as llama-server's {@code --cors-origins}, {@code --cors-methods}, {@code
 * --cors-headers} and {@code --cors-credentials} set it. Off by default (llama-server's default is
 * {@code *}): without origins no {@code Access-Control-*} header is sent and browsers on other
 * origins are refused.
 *
 * @param origins {@code null} for off; {@code localhost} to reflect only an {@code Origin} whose
 *     host is localhost, 127.0.0.1 or ::1; {@code *} for any origin (reflected when credentials
 *     are allowed); else sent as given
 * @param methods the allowed methods answered to a preflight
 * @param headers the allowed request headers answered to a preflight
 * @param credentials whether credentials are allowed
 */
public record CorsSettings(String origins, String methods, String headers, boolean credentials) {

    public static final String DEFAULT_METHODS = "GET, POST, DELETE, OPTIONS";
    public static final String DEFAULT_HEADERS = "*";
    /** The special origin value that reflects only local origins. */
    public static final String LOCALHOST = "localhost";

    private static final CorsSettings OFF = new CorsSettings(null, DEFAULT_METHODS, DEFAULT_HEADERS, true);

    public CorsSettings {
        Objects.requireNonNull(methods, "methods");
        Objects.requireNonNull(headers, "headers");
        if (origins != null && origins.isBlank()) {
            origins = null;
        }
    }

    public static CorsSettings off() {
        return OFF;
    }

    public boolean enabled() {
        return origins != null;
    }

    public CorsSettings withOrigins(String value) {
        return new CorsSettings(value, methods, headers, credentials);
    }
}
