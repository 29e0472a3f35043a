package dev.switchboard.simulator.internal.http;

import dev.switchboard.simulator.internal.json.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A server-sent-events body: {@code data: <payload>\n\n} per event, each flushed at once. A write fails with an
 * {@link IOException} once the client has gone away.
 */
public final class EventStream {

    private final OutputStream out;

    EventStream(OutputStream out) {
        this.out = out;
    }

    /** Sends one event whose payload is {@code value} as JSON. */
    public void send(Object value) throws IOException {
        sendRaw(Json.write(value));
    }

    /** Sends one event with an {@code event:} line naming it. */
    public void send(String event, Object value) throws IOException {
        out.write(("event: " + event + "\n").getBytes(StandardCharsets.UTF_8));
        sendRaw(Json.write(value));
    }

    /** Sends one event with a payload that is not JSON, such as {@code [DONE]}. */
    public void sendRaw(String payload) throws IOException {
        out.write(("data: " + payload + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
