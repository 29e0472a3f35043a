package dev.switchboard.core;

import java.time.Duration;
import java.util.Optional;

/**
 * A failure a client must see, carrying the HTTP status and the OpenAI error {@code type} it maps to
 * ({@code {"error":{"message","type","code"}}}, with {@code code} the HTTP status as llama.cpp's
 * server writes it). The message is written for the client: it never holds a stack trace.
 */
public final class GatewayException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String type;
    private final transient Duration retryAfter;

    public GatewayException(int status, String type, String message, Duration retryAfter) {
        super(message, null, false, false);
        this.status = status;
        this.type = type;
        this.retryAfter = retryAfter;
    }

    public GatewayException(int status, String type, String message) {
        this(status, type, message, null);
    }

    /** 400: the request is malformed. */
    public static GatewayException invalidRequest(String message) {
        return new GatewayException(400, "invalid_request_error", message);
    }

    /** 404: no model has this name; llama.cpp's router wording. */
    public static GatewayException modelNotFound(String model) {
        return new GatewayException(404, "not_found_error", "model '" + model + "' not found");
    }

    /** 429: the wait queue is full. */
    public static GatewayException queueFull(int maxWaiting, Duration retryAfter) {
        return new GatewayException(
                429,
                "rate_limit_error",
                "too many requests are waiting for a model (limit " + maxWaiting + "); retry later",
                retryAfter);
    }

    /** 503: a request waited too long for its model. */
    public static GatewayException waitTimedOut(String model, Duration waited, Duration retryAfter) {
        return new GatewayException(
                503,
                "unavailable_error",
                "timed out after " + waited.toSeconds() + "s waiting for model '" + model + "' to be ready",
                retryAfter);
    }

    /** 503: the model or its engine cannot serve now. */
    public static GatewayException unavailable(String message, Duration retryAfter) {
        return new GatewayException(503, "unavailable_error", message, retryAfter);
    }

    /** 500: the engine could not be started. */
    public static GatewayException startFailed(String message) {
        return new GatewayException(500, "server_error", message);
    }

    /** 502: the engine failed while answering. */
    public static GatewayException badGateway(String message) {
        return new GatewayException(502, "server_error", message);
    }

    public int status() {
        return status;
    }

    /** The OpenAI error type, such as {@code invalid_request_error}. */
    public String type() {
        return type;
    }

    /** How long the client should wait before retrying, when a retry makes sense. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
