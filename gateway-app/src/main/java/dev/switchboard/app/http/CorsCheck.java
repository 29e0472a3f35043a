package dev.switchboard.app.http;

import dev.switchboard.app.CorsSettings;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpStatus;
import java.net.URI;

/**
 * Cross-origin headers as llama-server's HTTP layer writes them, before any other check: {@code
 * Access-Control-Allow-Origin} on every response, and a preflight ({@code OPTIONS}) answered 200 at
 * once with the allowed credentials, methods and headers, before the API key check (browsers send
 * no key with a preflight). Does nothing while cross-origin access is off.
 */
final class CorsCheck implements Handler {
    private final CorsSettings cors;

    CorsCheck(CorsSettings cors) {
        this.cors = cors;
    }

    @Override
    public void handle(Context ctx) {
        if (!cors.enabled()) {
            return;
        }
        String origin = ctx.header("Origin");
        if (cors.credentials() && cors.origins().equals("*")) {
            // any origin with credentials: the Origin itself, as a wildcard is not allowed then
            ctx.header("Access-Control-Allow-Origin", origin == null ? "" : origin);
        } else if (cors.origins().equals(CorsSettings.LOCALHOST)) {
            if (origin != null && isLocalhost(origin)) {
                ctx.header("Access-Control-Allow-Origin", origin);
            }
        } else {
            ctx.header("Access-Control-Allow-Origin", cors.origins());
        }
        if (ctx.method().name().equals("OPTIONS")) {
            ctx.header("Access-Control-Allow-Credentials", String.valueOf(cors.credentials()));
            ctx.header("Access-Control-Allow-Methods", cors.methods());
            ctx.header("Access-Control-Allow-Headers", cors.headers());
            ctx.status(HttpStatus.OK).contentType("text/html").result("");
            ctx.skipRemainingHandlers();
        }
    }

    /** llama.cpp's test: the origin's host is localhost, 127.0.0.1 or ::1. */
    static boolean isLocalhost(String origin) {
        try {
            String host = URI.create(origin).getHost();
            return host != null && (host.equals("localhost") || host.equals("127.0.0.1") || host.equals("[::1]"));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
