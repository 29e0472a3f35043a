package dev.switchboard.simulator;

import dev.switchboard.simulator.internal.json.JsonFields;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads OpenAI-style streamed chunks and embedding data. */
final class Chunks {

    private Chunks() {}

    /** The text of all the chunks' deltas (chat) or choices (text completions), in order. */
    static String content(List<Object> events) {
        StringBuilder content = new StringBuilder();
        for (Object event : events) {
            if (!(event instanceof Map<?, ?>)) {
                continue;
            }
            for (JsonFields choice : JsonFields.of(event).objects("choices")) {
                choice.object("delta").flatMap(delta -> delta.string("content")).ifPresent(content::append);
                choice.string("text").ifPresent(content::append);
            }
        }
        return content.toString();
    }

    static Map<String, Object> delta(Object event) {
        return firstChoice(event).object("delta").orElseThrow().values();
    }

    static Optional<String> finishReason(Object event) {
        return firstChoice(event).string("finish_reason");
    }

    static float[] vector(JsonFields datum) {
        List<Object> numbers = datum.array("embedding");
        float[] vector = new float[numbers.size()];
        for (int i = 0; i < vector.length; i++) {
            vector[i] = ((Number) numbers.get(i)).floatValue();
        }
        return vector;
    }

    private static JsonFields firstChoice(Object event) {
        return JsonFields.of(event).objects("choices").getFirst();
    }
}
