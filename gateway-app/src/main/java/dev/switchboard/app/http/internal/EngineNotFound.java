package dev.switchboard.app.http.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.forward.ResponseSink;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Holds back an engine's 404 for a route it does not serve ({@code {"detail":"Not Found"}} from
 * vLLM and SGLang, "File Not Found" from llama-server), which SDKs show as a bare "404 status code
 * (no body)", and answers an OpenAI-shaped 404 naming the model and the route instead. A 404 that
 * says something of its own (an unknown response id, say) is relayed as the engine wrote it. Every
 * other answer passes straight through.
 */
public final class EngineNotFound implements ResponseSink {
    private static final int MAX_HELD = 64 * 1024;

    private final ResponseSink target;
    private final String model;
    private final String route;
    private Map<String, List<String>> heldHeaders;
    private ByteArrayOutputStream held;

    /** @param route the method and path, such as {@code POST /v1/audio/speech} */
    public EngineNotFound(ResponseSink target, String model, String route) {
        this.target = target;
        this.model = model;
        this.route = route;
    }

    @Override
    public void begin(int status, Map<String, List<String>> headers) throws IOException {
        if (status == 404) {
            heldHeaders = headers;
            held = new ByteArrayOutputStream();
        } else {
            target.begin(status, headers);
        }
    }

    @Override
    public OutputStream body() throws IOException {
        if (held == null) {
            return target.body();
        }
        return new OutputStream() {
            @Override
            public void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) {
                held.write(bytes, offset, Math.max(0, Math.min(length, MAX_HELD - held.size())));
            }
        };
    }

    /** Whether the engine answered 404 without saying more than that it has no such route. */
    public boolean notServed() {
        return held != null && !specific(held.toByteArray());
    }

    /** Writes what was held back: the engine's own 404 when it says something, else the gateway's. */
    public void finish() throws IOException {
        if (held == null) {
            return;
        }
        byte[] body = held.toByteArray();
        if (specific(body)) {
            target.begin(404, heldHeaders);
        } else {
            String message = "model '" + model + "' does not serve " + route;
            body = Json.write(Map.of("error", new Detail(404, message, "not_found_error")))
                    .getBytes(StandardCharsets.UTF_8);
            target.begin(404, Map.of("Content-Type", List.of("application/json")));
        }
        target.body().write(body);
        target.body().flush();
    }

    /** The error detail in llama.cpp's field order. */
    private record Detail(int code, String message, String type) {}

    private static boolean specific(byte[] body) {
        try {
            JsonNode message = Json.MAPPER.readTree(body).path("error").path("message");
            return message.isTextual()
                    && !message.asText().equalsIgnoreCase("File Not Found")
                    && !message.asText().equalsIgnoreCase("Not Found");
        } catch (IOException e) {
            return false;
        }
    }

    /** The client is the wrapped sink's: an idle stream whose client left is still cancelled. */
    @Override
    public Runnable watchClient(Runnable onGone) {
        return target.watchClient(onGone);
    }
}
