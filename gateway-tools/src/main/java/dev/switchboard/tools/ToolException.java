package dev.switchboard.tools;

/**
 * A {@code /tools} request that cannot be served at all (as opposed to a tool that ran and
 * reports an {@code error} in its result). The kind tells the HTTP status.
 */
public final class ToolException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why, each with the status llama-server answers. */
    public enum Kind {
        /** A malformed request: 400. */
        BAD_REQUEST(400),
        /** An unknown tool, or a stream asked of a tool that cannot stream: 404. */
        NOT_FOUND(404),
        /** Something the configuration does not allow: 403. */
        FORBIDDEN(403),
        /** The tool could not be set up to run (a bad runtime, say): 500. */
        FAILED(500);

        private final int status;

        Kind(int status) {
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    private final Kind kind;

    public ToolException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
