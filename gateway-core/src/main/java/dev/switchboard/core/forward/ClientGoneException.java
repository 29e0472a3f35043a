package dev.switchboard.core.forward;

import java.io.IOException;

/** The client stopped reading before the response was complete; the upstream request was cancelled. */
public final class ClientGoneException extends IOException {
    private static final long serialVersionUID = 1L;

    public ClientGoneException(IOException cause) {
        super("client went away: " + cause.getMessage(), cause);
    }
}
