package dev.switchboard.simulator.internal.openai;

import static dev.switchboard.simulator.internal.json.Json.array;
import static dev.switchboard.simulator.internal.json.Json.object;

import dev.switchboard.simulator.SimulatedText;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/** The OpenAI-compatible response shapes of one engine, built from its {@link Flavor}. */
public final class OpenAiFormat {

    // simulated prompt processing speed, only for llama.cpp's timings
    private static final double PROMPT_MS_PER_TOKEN = 0.1;

    private final Flavor flavor;

    public OpenAiFormat(Flavor flavor) {
        this.flavor = flavor;
    }

    public Flavor flavor() {
        return flavor;
    }

    /** {@code /v1/chat/completions}. */
    public AnswerFormat chat() {
        return new AnswerFormat() {
            @Override
            public Object whole(Completion completion) {
                Map<String, Object> message = object("role", "assistant", "content", completion.text());
                message.putAll(flavor.messageExtras());
                Map<String, Object> choice = choice(completion.finish().label());
                choice.put("message", message);
                return response(completion, "chat.completion", choice);
            }

            @Override
            public List<Object> head(Completion completion) {
                return List.of(chatChunk(
                        completion, object("role", "assistant", "content", flavor.firstDeltaContent()), null));
            }

            @Override
            public Object piece(Completion completion, int index) {
                return chatChunk(
                        completion, object("content", completion.tokens().get(index)), finishOn(completion, index));
            }

            @Override
            public List<Object> tail(Completion completion) {
                List<Object> events = new ArrayList<>();
                if (needsFinishEvent(completion)) {
                    events.add(
                            chatChunk(completion, object(), completion.finish().label()));
                }
                return closeStream(completion, "chat.completion.chunk", events);
            }

            @Override
            public boolean endsWithDone() {
                return true;
            }
        };
    }

    /** {@code /v1/completions}. */
    public AnswerFormat text() {
        return new AnswerFormat() {
            @Override
            public Object whole(Completion completion) {
                return response(
                        completion,
                        "text_completion",
                        textChoice(completion.text(), completion.finish().label()));
            }

            @Override
            public List<Object> head(Completion completion) {
                return List.of();
            }

            @Override
            public Object piece(Completion completion, int index) {
                return chunk(
                        completion,
                        "text_completion",
                        textChoice(completion.tokens().get(index), finishOn(completion, index)));
            }

            @Override
            public List<Object> tail(Completion completion) {
                List<Object> events = new ArrayList<>();
                if (needsFinishEvent(completion)) {
                    events.add(chunk(
                            completion,
                            "text_completion",
                            textChoice("", completion.finish().label())));
                }
                return closeStream(completion, "text_completion", events);
            }

            @Override
            public boolean endsWithDone() {
                return true;
            }
        };
    }

    /**
     * {@code /v1/embeddings}: one vector per input; with {@code base64}, each vector is its little-endian float32
     * bytes in base64, as {@code encoding_format: "base64"} asks (the OpenAI SDKs' default).
     */
    public Map<String, Object> embeddings(String model, List<String> inputs, boolean base64) {
        List<Object> data = new ArrayList<>();
        int promptTokens = 0;
        for (int i = 0; i < inputs.size(); i++) {
            float[] vector = SimulatedText.embedding(inputs.get(i));
            data.add(object("embedding", base64 ? base64(vector) : vector, "index", i, "object", "embedding"));
            promptTokens += SimulatedText.promptTokens(inputs.get(i));
        }
        return object(
                "model",
                model,
                "object",
                "list",
                "usage",
                object("prompt_tokens", promptTokens, "total_tokens", promptTokens),
                "data",
                data);
    }

    private static String base64(float[] vector) {
        ByteBuffer bytes = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (float value : vector) {
            bytes.putFloat(value);
        }
        return Base64.getEncoder().encodeToString(bytes.array());
    }

    private Map<String, Object> response(Completion completion, String type, Map<String, Object> choice) {
        Map<String, Object> response = object("choices", array(choice), "created", completion.created());
        response.put("model", completion.model());
        flavor.systemFingerprint().ifPresent(fingerprint -> response.put("system_fingerprint", fingerprint));
        response.put("object", type);
        response.put("usage", usage(completion));
        response.put("id", completion.id());
        if (flavor.timings()) {
            response.put("timings", timings(completion));
        }
        return response;
    }

    private Map<String, Object> chatChunk(Completion completion, Map<String, Object> delta, String finishReason) {
        Map<String, Object> choice = choice(finishReason);
        choice.put("delta", delta);
        return chunk(completion, "chat.completion.chunk", choice);
    }

    private Map<String, Object> chunk(Completion completion, String type, Map<String, Object> choice) {
        List<Object> choices = choice == null ? array() : array(choice);
        Map<String, Object> chunk = object("choices", choices, "created", completion.created());
        chunk.put("id", completion.id());
        chunk.put("model", completion.model());
        flavor.systemFingerprint().ifPresent(fingerprint -> chunk.put("system_fingerprint", fingerprint));
        chunk.put("object", type);
        return chunk;
    }

    private Map<String, Object> choice(String finishReason) {
        Map<String, Object> choice = object("finish_reason", finishReason, "index", 0);
        choice.putAll(flavor.choiceExtras());
        return choice;
    }

    private Map<String, Object> textChoice(String text, String finishReason) {
        Map<String, Object> choice = object("text", text, "index", 0, "logprobs", null);
        choice.put("finish_reason", finishReason);
        choice.putAll(flavor.choiceExtras());
        return choice;
    }

    private String finishOn(Completion completion, int index) {
        return flavor.finishWithLastToken() && completion.isLast(index)
                ? completion.finish().label()
                : null;
    }

    private boolean needsFinishEvent(Completion completion) {
        return !flavor.finishWithLastToken() || completion.tokens().isEmpty();
    }

    // the usage chunk (choices: []) when asked for; llama.cpp puts its timings on the very last event
    private List<Object> closeStream(Completion completion, String type, List<Object> events) {
        if (completion.includeUsage()) {
            Map<String, Object> usageChunk = chunk(completion, type, null);
            usageChunk.put("usage", usage(completion));
            events.add(usageChunk);
        }
        if (flavor.timings() && !events.isEmpty() && events.getLast() instanceof Map<?, ?> last) {
            @SuppressWarnings("unchecked")
            Map<String, Object> lastEvent = (Map<String, Object>) last;
            lastEvent.put("timings", timings(completion));
        }
        return events;
    }

    static Map<String, Object> usage(Completion completion) {
        return object(
                "completion_tokens",
                completion.completionTokens(),
                "prompt_tokens",
                completion.promptTokens(),
                "total_tokens",
                completion.completionTokens() + completion.promptTokens());
    }

    /** llama.cpp's {@code timings} object, from the simulated speeds. */
    public static Map<String, Object> timings(Completion completion) {
        int prompt = completion.promptTokens();
        int predicted = completion.completionTokens();
        double promptMs = prompt * PROMPT_MS_PER_TOKEN;
        double tokenMs = completion.perToken().toNanos() / 1e6;
        double predictedMs = predicted * tokenMs;
        return object(
                "cache_n", 0,
                "prompt_n", prompt,
                "prompt_ms", promptMs,
                "prompt_per_token_ms", PROMPT_MS_PER_TOKEN,
                "prompt_per_second", 1000 / PROMPT_MS_PER_TOKEN,
                "predicted_n", predicted,
                "predicted_ms", predictedMs,
                "predicted_per_token_ms", tokenMs,
                "predicted_per_second", tokenMs == 0 ? 0.0 : 1000 / tokenMs);
    }
}
