package dev.switchboard.llamacpp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.core.spi.ChildProtocol;
import dev.switchboard.core.spi.ChildSignal;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;

/**
 * The lines a llama-server child writes to its router on stdout when it runs with {@code
 * LLAMA_SERVER_ROUTER_PORT} set.
 *
 * <p>Current llama.cpp writes {@code cmd_child_to_router:state:{"state":...,"payload":{...}}}:
 * {@code loading} with a payload {@code {"stages":["text_model","mmproj_model"],
 * "current":"text_model","value":0.42}} (each stage runs from 0 to 1, so the overall progress is
 * {@code (index of current + value) / number of stages}), {@code ready} (with the model entry the
 * child's {@code /v1/models} shows, {@code meta} included), {@code sleeping}, and
 * {@code downloading} with {@code {"url":...,"downloaded":n,"total":n}}. Older releases wrote
 * {@code cmd_child_to_router:ready} (also on waking), {@code cmd_child_to_router:sleep} and {@code
 * cmd_child_to_router:info:<json>}, which carries model facts but no state change. Malformed lines
 * are ignored, as the router ignores them.
 */
public final class LlamaCppChildProtocol implements ChildProtocol {

    /** The line the router writes to a child's stdin to ask it to exit. */
    public static final String STOP_LINE = "cmd_router_to_child:exit";

    private static final String STATE_PREFIX = "cmd_child_to_router:state:";
    private static final String LEGACY_READY = "cmd_child_to_router:ready";
    private static final String LEGACY_SLEEP = "cmd_child_to_router:sleep";
    private static final double UNKNOWN = -1;

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public Optional<ChildSignal> parse(String line) {
        String text = line.strip();
        if (text.startsWith(STATE_PREFIX)) {
            return state(text.substring(STATE_PREFIX.length()));
        }
        if (text.startsWith(LEGACY_READY)) {
            return Optional.of(new ChildSignal.Ready());
        }
        if (text.startsWith(LEGACY_SLEEP)) {
            return Optional.of(new ChildSignal.Sleeping());
        }
        return Optional.empty();
    }

    private static Optional<ChildSignal> state(String json) {
        JsonNode message;
        try {
            message = JSON.readTree(json);
        } catch (IOException e) {
            return Optional.empty();
        }
        JsonNode payload = message.path("payload");
        return switch (message.path("state").asText()) {
            case "loading" -> Optional.of(new ChildSignal.Loading(loadingProgress(payload), info(payload)));
            case "downloading" -> Optional.of(new ChildSignal.Loading(downloadProgress(payload)));
            case "ready" -> Optional.of(new ChildSignal.Ready(info(payload)));
            case "sleeping" -> Optional.of(new ChildSignal.Sleeping());
            default -> Optional.empty();
        };
    }

    /** A payload as it came: a ready child's model entry (empty on a wake-up), a loading child's stages. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> info(JsonNode payload) {
        return payload.isObject() ? JSON.convertValue(payload, Map.class) : Map.of();
    }

    private static double loadingProgress(JsonNode payload) {
        JsonNode value = payload.path("value");
        if (!value.isNumber()) {
            return UNKNOWN;
        }
        int stages = payload.path("stages").size();
        int current = indexOf(payload.path("stages"), payload.path("current").asText());
        double overall = stages > 0 && current >= 0 ? (current + value.asDouble()) / stages : value.asDouble();
        return clamp(overall);
    }

    private static double downloadProgress(JsonNode payload) {
        double total = payload.path("total").asDouble();
        return total > 0 ? clamp(payload.path("downloaded").asDouble() / total) : UNKNOWN;
    }

    private static int indexOf(JsonNode stages, String stage) {
        for (int i = 0; i < stages.size(); i++) {
            if (stages.get(i).asText().equals(stage)) {
                return i;
            }
        }
        return -1;
    }

    private static double clamp(double progress) {
        return Math.max(0, Math.min(1, progress));
    }
}
