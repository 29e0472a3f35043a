package dev.switchboard.simulator.internal.json;

/** Text that is not valid JSON, with the offset where reading failed. */
public final class JsonException extends RuntimeException {

    JsonException(String message, int offset) {
        super(message + " at offset " + offset);
    }
}
