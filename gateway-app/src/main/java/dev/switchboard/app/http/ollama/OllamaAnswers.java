package dev.switchboard.app.http.ollama;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.app.http.chat.ChatRelay;
import dev.switchboard.app.http.chat.ChatTranslator;
import dev.switchboard.app.http.internal.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An engine's chat-completions answer as Ollama's {@code /api/chat} or {@code /api/generate}
 * answer: one JSON object per line while streaming, the last one with {@code done: true}, the
 * reason and the timings (nanoseconds) Ollama reports, from the gateway's clock and the engine's
 * {@code usage} and (llama.cpp's) {@code timings}.
 */
final class OllamaAnswers implements ChatTranslator {
    private final String model;
    private final boolean generate;
    private final long received;
    private long leased;
    private long firstToken;
    private final StringBuilder content = new StringBuilder();
    private final StringBuilder thinking = new StringBuilder();
    private final List<Map<String, Object>> toolCalls = new ArrayList<>();
    private final List<StringBuilder> toolArguments = new ArrayList<>();
    private String finish;
    private long promptTokens;
    private long completionTokens;
    private double promptMs = -1;
    private double predictedMs = -1;

    /**
     * @param model the name the client asked for, as Ollama echoes it
     * @param received {@link System#nanoTime()} when the request arrived
     */
    OllamaAnswers(String model, boolean generate, long received) {
        this.model = model;
        this.generate = generate;
        this.received = received;
    }

    /** Marks when the model was ready for the request: what came before is the load time. */
    void leased() {
        leased = System.nanoTime();
    }

    @Override
    public String contentType(boolean stream) {
        return stream ? "application/x-ndjson" : "application/json; charset=utf-8";
    }

    @Override
    public void chunk(JsonNode chunk, OutputStream out) throws IOException {
        readCounts(chunk);
        for (JsonNode choice : chunk.path("choices")) {
            JsonNode delta = choice.path("delta");
            String piece = delta.path("content").asText("");
            String thought = reasoning(delta);
            for (JsonNode call : delta.path("tool_calls")) {
                int index = call.path("index").asInt(toolCalls.size());
                while (toolCalls.size() <= index) {
                    toolCalls.add(new LinkedHashMap<>());
                    toolArguments.add(new StringBuilder());
                }
                if (call.path("function").hasNonNull("name")) {
                    toolCalls
                            .get(index)
                            .put("name", call.path("function").path("name").asText());
                }
                toolArguments
                        .get(index)
                        .append(call.path("function").path("arguments").asText(""));
            }
            if (choice.hasNonNull("finish_reason")) {
                finish = choice.path("finish_reason").asText();
            }
            if (piece.isEmpty() && thought.isEmpty()) {
                continue;
            }
            if (firstToken == 0) {
                firstToken = System.nanoTime();
            }
            content.append(piece);
            thinking.append(thought);
            ChatRelay.line(out, answer(piece, thought, false));
        }
    }

    @Override
    public void end(OutputStream out) throws IOException {
        ChatRelay.line(out, answer("", "", true));
    }

    @Override
    public Object whole(JsonNode completion) {
        readCounts(completion);
        JsonNode choice = completion.path("choices").path(0);
        JsonNode message = choice.path("message");
        for (JsonNode call : message.path("tool_calls")) {
            Map<String, Object> function = new LinkedHashMap<>();
            function.put("name", call.path("function").path("name").asText());
            toolCalls.add(function);
            toolArguments.add(
                    new StringBuilder(call.path("function").path("arguments").asText("")));
        }
        finish = choice.path("finish_reason").asText(null);
        return answer(message.path("content").asText(""), reasoning(message), true);
    }

    @Override
    public Object error(int status, JsonNode engineBody) {
        return OllamaRoutes.engineError(status, engineBody);
    }

    private static String reasoning(JsonNode message) {
        return message.path("reasoning_content")
                .asText(message.path("reasoning").asText(""));
    }

    private void readCounts(JsonNode body) {
        JsonNode usage = body.path("usage");
        if (usage.isObject()) {
            promptTokens = usage.path("prompt_tokens").asLong(promptTokens);
            completionTokens = usage.path("completion_tokens").asLong(completionTokens);
        }
        JsonNode timings = body.path("timings");
        if (timings.isObject()) {
            promptMs = timings.path("prompt_ms").asDouble(promptMs);
            predictedMs = timings.path("predicted_ms").asDouble(predictedMs);
            promptTokens = timings.path("prompt_n").asLong(promptTokens);
            completionTokens = timings.path("predicted_n").asLong(completionTokens);
        }
    }

    private Map<String, Object> answer(String text, String thought, boolean done) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("model", model);
        answer.put("created_at", Instant.now().toString());
        if (generate) {
            answer.put("response", text);
            if (!thought.isEmpty()) {
                answer.put("thinking", thought);
            }
        } else {
            Map<String, Object> message = new LinkedHashMap<>();
            message.put("role", "assistant");
            message.put("content", text);
            if (!thought.isEmpty()) {
                message.put("thinking", thought);
            }
            if (done && !toolCalls.isEmpty()) {
                message.put("tool_calls", calls());
            }
            answer.put("message", message);
        }
        answer.put("done", done);
        if (done) {
            long end = System.nanoTime();
            long ready = leased == 0 ? received : leased;
            long first = firstToken == 0 ? end : firstToken;
            answer.put("done_reason", "length".equals(finish) ? "length" : "stop");
            answer.put("total_duration", end - received);
            answer.put("load_duration", ready - received);
            answer.put("prompt_eval_count", promptTokens);
            answer.put("prompt_eval_duration", promptMs >= 0 ? (long) (promptMs * 1e6) : first - ready);
            answer.put("eval_count", completionTokens);
            answer.put("eval_duration", predictedMs >= 0 ? (long) (predictedMs * 1e6) : end - first);
        }
        return answer;
    }

    /** Ollama's tool arguments are an object, OpenAI's a JSON string. */
    private static Object arguments(String json) {
        try {
            JsonNode node = Json.MAPPER.readTree(json.isBlank() ? "{}" : json);
            return node.isObject() ? node : Map.of();
        } catch (IOException e) {
            return Map.of();
        }
    }

    private List<Object> calls() {
        List<Object> calls = new ArrayList<>();
        for (int i = 0; i < toolCalls.size(); i++) {
            Map<String, Object> function = new LinkedHashMap<>();
            function.put("name", toolCalls.get(i).get("name"));
            function.put("arguments", arguments(toolArguments.get(i).toString()));
            calls.add(Map.of("function", function));
        }
        return calls;
    }
}
