package dev.switchboard.app.http.ollama;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.app.http.chat.ChatTranslator;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An engine's {@code /v1/embeddings} answer as Ollama's {@code /api/embed} ({@code embeddings}, one
 * vector per input, with timings) or the older {@code /api/embeddings} ({@code embedding}, one).
 */
final class OllamaEmbeddings implements ChatTranslator {
    private final String model;
    private final boolean legacy;
    private final long received;
    private long leased;

    OllamaEmbeddings(String model, boolean legacy, long received) {
        this.model = model;
        this.legacy = legacy;
        this.received = received;
    }

    void leased() {
        leased = System.nanoTime();
    }

    @Override
    public String contentType(boolean stream) {
        return "application/json; charset=utf-8";
    }

    @Override
    public void chunk(JsonNode chunk, OutputStream out) {
        throw new IllegalStateException("embeddings are not streamed");
    }

    @Override
    public void end(OutputStream out) {
        throw new IllegalStateException("embeddings are not streamed");
    }

    @Override
    public Object whole(JsonNode response) {
        List<JsonNode> vectors = new ArrayList<>();
        response.path("data").forEach(datum -> vectors.add(datum.path("embedding")));
        if (legacy) {
            return Map.of("embedding", vectors.isEmpty() ? List.of() : vectors.getFirst());
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("model", model);
        answer.put("embeddings", vectors);
        answer.put("total_duration", System.nanoTime() - received);
        answer.put("load_duration", (leased == 0 ? received : leased) - received);
        answer.put(
                "prompt_eval_count",
                response.path("usage").path("prompt_tokens").asLong());
        return answer;
    }

    @Override
    public Object error(int status, JsonNode engineBody) {
        return OllamaRoutes.engineError(status, engineBody);
    }
}
