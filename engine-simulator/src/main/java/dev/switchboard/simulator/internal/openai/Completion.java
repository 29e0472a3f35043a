package dev.switchboard.simulator.internal.openai;

import dev.switchboard.simulator.SimulatedText;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * One answer, planned before it is generated.
 *
 * @param id the engine's id for it, such as {@code chatcmpl-...}
 * @param created seconds since the epoch
 * @param model the model name the engine reports in its responses
 * @param prompt the prompt as the engine read it
 * @param perToken how long each token takes, for llama.cpp's timings
 */
public record Completion(
        String id,
        long created,
        String model,
        String prompt,
        int promptTokens,
        List<String> tokens,
        FinishReason finish,
        boolean includeUsage,
        Duration perToken) {

    public Completion {
        tokens = List.copyOf(tokens);
    }

    /**
     * The answer to {@code request}: {@link SimulatedText#NATURAL_LENGTH} tokens ending in {@code stop}, unless a
     * token limit cuts it short or {@code ignore_eos} runs it up to the limit, both ending in {@code length}.
     */
    public static Completion plan(InferenceRequest request, String id, String model, Duration perToken) {
        int natural = SimulatedText.NATURAL_LENGTH;
        int count = natural;
        FinishReason finish = FinishReason.STOP;
        if (request.maxTokens().isPresent()) {
            int limit = request.maxTokens().getAsInt();
            if (limit <= natural || request.ignoreEos()) {
                count = limit;
                finish = FinishReason.LENGTH;
            }
        }
        return new Completion(
                id,
                Instant.now().getEpochSecond(),
                model,
                request.prompt(),
                SimulatedText.promptTokens(request.prompt()),
                SimulatedText.tokens(request.prompt(), count),
                finish,
                request.includeUsage(),
                perToken);
    }

    public String text() {
        return String.join("", tokens);
    }

    public int completionTokens() {
        return tokens.size();
    }

    public boolean isLast(int index) {
        return index == tokens.size() - 1;
    }

    /** Why generation ended, as OpenAI's {@code finish_reason} names it. */
    public enum FinishReason {
        STOP("stop"),
        LENGTH("length");

        private final String label;

        FinishReason(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }
}
