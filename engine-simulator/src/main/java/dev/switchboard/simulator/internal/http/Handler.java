package dev.switchboard.simulator.internal.http;

import java.io.IOException;

/** Answers one request; may throw {@link ApiError} to answer with an error. */
@FunctionalInterface
public interface Handler {

    void handle(Exchange exchange) throws IOException;
}
