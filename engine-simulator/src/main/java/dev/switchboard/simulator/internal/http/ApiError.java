package dev.switchboard.simulator.internal.http;

/** Ends a request with an error response already shaped the way the simulated engine shapes its errors. */
public final class ApiError extends RuntimeException {

    private final int status;
    private final transient Object body;

    public ApiError(int status, Object body) {
        super("HTTP " + status, null, false, false);
        this.status = status;
        this.body = body;
    }

    public int status() {
        return status;
    }

    public Object body() {
        return body;
    }
}
