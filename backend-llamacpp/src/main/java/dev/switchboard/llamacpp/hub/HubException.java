package dev.switchboard.llamacpp.hub;

import java.io.IOException;

/**
 * The hub refused or could not serve a download, with the HTTP status a gateway can pass on: 404
 * for an unknown repository, tag or file, 401 or 403 when a token is missing or lacks access (the
 * hub answers 401 for a repository it does not reveal), 502 when the content does not match its
 * checksum, and whatever else the hub answered.
 */
public final class HubException extends IOException {

    private final int status;

    public HubException(int status, String message) {
        super(message);
        this.status = status;
    }

    public HubException(int status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    /** The HTTP status that describes the failure. */
    public int status() {
        return status;
    }
}
