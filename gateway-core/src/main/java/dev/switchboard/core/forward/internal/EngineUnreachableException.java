package dev.switchboard.core.forward.internal;

import java.io.IOException;

/**
 * The engine refused the request or dropped it before its status line: nothing reached the client,
 * so the request may still go to another engine.
 */
public final class EngineUnreachableException extends IOException {
    private static final long serialVersionUID = 1L;

    public EngineUnreachableException(String message, IOException cause) {
        super(message, cause);
    }
}
