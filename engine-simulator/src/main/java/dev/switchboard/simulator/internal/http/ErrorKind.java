package dev.switchboard.simulator.internal.http;

/** The kinds of error every simulated engine reports, each engine in its own shape. */
public enum ErrorKind {
    BAD_REQUEST(400),
    UNAUTHORIZED(401),
    NOT_FOUND(404),
    SERVER(500),
    NOT_SUPPORTED(501),
    UNAVAILABLE(503);

    private final int status;

    ErrorKind(int status) {
        this.status = status;
    }

    public int status() {
        return status;
    }
}
