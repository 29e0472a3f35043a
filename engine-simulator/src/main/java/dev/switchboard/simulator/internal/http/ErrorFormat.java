package dev.switchboard.simulator.internal.http;

/** How one engine shapes its error bodies. */
@FunctionalInterface
public interface ErrorFormat {

    /** The body of an error of {@code kind}. */
    Object body(ErrorKind kind, String message);

    /** An {@link ApiError} to throw, with {@code kind}'s status and this engine's body. */
    default ApiError error(ErrorKind kind, String message) {
        return new ApiError(kind.status(), body(kind, message));
    }
}
