package dev.switchboard.app.http.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.switchboard.app.http.internal.Json;
import dev.switchboard.core.forward.ResponseSink;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * A response sink between the engine's chat-completions answer and the client: a streamed answer
 * is decoded event by event and each chunk handed to a {@link ChatTranslator} as it arrives (every
 * flush of the engine reaches the client), a whole answer or an error is held and translated once
 * complete. Call {@link #finish} after the engine's answer has been relayed.
 */
public final class ChatRelay implements ResponseSink {
    private static final byte[] DATA = "data:".getBytes(StandardCharsets.US_ASCII);

    private final ResponseSink target;
    private final ChatTranslator translator;
    private int status;
    private boolean streaming;
    private final ByteArrayOutputStream held = new ByteArrayOutputStream();
    private OutputStream out;

    public ChatRelay(ResponseSink target, ChatTranslator translator) {
        this.target = target;
        this.translator = translator;
    }

    @Override
    public void begin(int status, Map<String, List<String>> headers) throws IOException {
        this.status = status;
        String type = headers.entrySet().stream()
                .filter(e -> e.getKey().equalsIgnoreCase("content-type"))
                .flatMap(e -> e.getValue().stream())
                .findFirst()
                .orElse("");
        streaming = status == 200 && type.toLowerCase().startsWith("text/event-stream");
        if (streaming) {
            target.begin(
                    200,
                    Map.of(
                            "Content-Type",
                            List.of(translator.contentType(true)),
                            "Cache-Control",
                            List.of("no-cache")));
            out = target.body();
        }
    }

    @Override
    public OutputStream body() {
        if (!streaming) {
            return held;
        }
        return new OutputStream() {
            private final ByteArrayOutputStream line = new ByteArrayOutputStream();

            @Override
            public void write(int b) throws IOException {
                if (b == '\n') {
                    line(line.toByteArray());
                    line.reset();
                } else if (b != '\r') {
                    line.write(b);
                }
            }

            @Override
            public void write(byte[] bytes, int offset, int length) throws IOException {
                for (int i = offset; i < offset + length; i++) {
                    write(bytes[i]);
                }
            }

            @Override
            public void flush() throws IOException {
                out.flush();
            }
        };
    }

    private void line(byte[] line) throws IOException {
        if (line.length < DATA.length || !new String(line, 0, DATA.length, StandardCharsets.US_ASCII).equals("data:")) {
            return; // comments, event names and blank separators carry nothing to translate
        }
        String payload = new String(line, DATA.length, line.length - DATA.length, StandardCharsets.UTF_8).strip();
        if (payload.isEmpty() || payload.equals("[DONE]")) {
            return;
        }
        translator.chunk(Json.readBody(payload.getBytes(StandardCharsets.UTF_8)), out);
    }

    /** Ends the translated stream, or writes the translated whole answer or error. */
    public void finish() throws IOException {
        if (streaming) {
            translator.end(out);
            out.flush();
            return;
        }
        JsonNode body = parse(held.toByteArray());
        Object translated = status == 200 ? translator.whole(body) : translator.error(status, body);
        byte[] bytes = Json.write(translated).getBytes(StandardCharsets.UTF_8);
        target.begin(status, Map.of("Content-Type", List.of(translator.contentType(false))));
        target.body().write(bytes);
        target.body().flush();
    }

    private static JsonNode parse(byte[] body) {
        try {
            JsonNode node = Json.MAPPER.readTree(body);
            return node == null ? MissingNode.getInstance() : node;
        } catch (IOException e) {
            return MissingNode.getInstance();
        }
    }

    /** Writes one server-sent event with its name, as the Responses and Messages APIs stream them. */
    public static void event(OutputStream out, String name, Object data) throws IOException {
        out.write(("event: " + name + "\ndata: " + Json.write(data) + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** Writes one line of newline-delimited JSON, as Ollama streams. */
    public static void line(OutputStream out, Object data) throws IOException {
        out.write((Json.write(data) + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** The client is the wrapped sink's: an idle stream whose client left is still cancelled. */
    @Override
    public Runnable watchClient(Runnable onGone) {
        return target.watchClient(onGone);
    }
}
