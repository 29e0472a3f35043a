package dev.switchboard.app.http;

import dev.switchboard.app.http.internal.Responses;
import dev.switchboard.core.GatewayException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.router.EndpointNotFound;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns every failure into the error body llama.cpp and OpenAI clients parse, {@code
 * {"error":{"code":status,"message":..,"type":..}}}, with {@code Retry-After} in seconds when a retry
 * makes sense. Users never see a stack trace: unexpected exceptions are logged and answered 500.
 */
final class ApiErrors {
    private static final Logger log = LoggerFactory.getLogger(ApiErrors.class);

    private ApiErrors() {}

    /** The error body. */
    record Body(Detail error) {}

    /** The error itself, its fields in llama.cpp's order. */
    record Detail(int code, String message, String type) {}

    static void register(RoutesConfig routes) {
        routes.exception(GatewayException.class, ApiErrors::gatewayFailure);
        routes.exception(EndpointNotFound.class, (e, ctx) -> write(ctx, 404, "File Not Found", "not_found_error"));
        routes.exception(HttpResponseException.class, ApiErrors::frameworkFailure);
        routes.exception(Exception.class, ApiErrors::unexpected);
    }

    private static void gatewayFailure(GatewayException e, Context ctx) {
        e.retryAfter().ifPresent(delay -> ctx.header("Retry-After", Long.toString(seconds(delay))));
        write(ctx, e.status(), e.getMessage(), e.type());
    }

    /** Javalin's own refusals (a wrong method, say), in the same shape. */
    private static void frameworkFailure(HttpResponseException e, Context ctx) {
        write(ctx, e.getStatus(), e.getMessage(), typeOf(e.getStatus()));
    }

    private static void unexpected(Exception e, Context ctx) {
        log.error("request {} {} failed", ctx.method(), ctx.path(), e);
        write(ctx, 500, "internal server error", "server_error");
    }

    private static void write(Context ctx, int status, String message, String type) {
        if (ctx.res().isCommitted()) {
            // the status line is gone: all that is left is to make the response visibly incomplete
            Responses.abort(ctx.req(), new IllegalStateException(message));
            return;
        }
        ctx.status(status).json(new Body(new Detail(status, message, type)));
    }

    /** The body for a status, with the type that status implies. */
    static Body body(int status, String message) {
        return new Body(new Detail(status, message, typeOf(status)));
    }

    private static String typeOf(int status) {
        return switch (status) {
            case 401 -> "authentication_error";
            case 403 -> "permission_error";
            case 404 -> "not_found_error";
            case 501 -> "not_supported_error";
            case 503 -> "unavailable_error";
            default -> status >= 500 ? "server_error" : "invalid_request_error";
        };
    }

    private static long seconds(Duration delay) {
        return Math.max(1, (delay.toMillis() + 999) / 1000);
    }
}
