package dev.switchboard.app.http.chat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Turns an engine's chat-completions answer into another API's answer: a whole response, or a
 * stream rebuilt chunk by chunk. One instance serves one request.
 */
public interface ChatTranslator {

    /** The content type of the translated answer: server-sent events when streamed, else JSON. */
    default String contentType(boolean stream) {
        return stream ? "text/event-stream" : "application/json";
    }

    /** Writes what one streamed chat chunk becomes (possibly nothing). */
    void chunk(JsonNode chunk, OutputStream out) throws IOException;

    /** Writes the end of the translated stream, after the engine's last chunk. */
    void end(OutputStream out) throws IOException;

    /** The translated body of a whole (not streamed) chat completion. */
    Object whole(JsonNode completion);

    /**
     * The translated body of an engine's error; by default the engine's own (OpenAI-shaped) body.
     *
     * @param engineBody the engine's body, or a missing node when it was not JSON
     */
    default Object error(int status, JsonNode engineBody) {
        return engineBody;
    }
}
