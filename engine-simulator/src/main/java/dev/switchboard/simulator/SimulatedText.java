package dev.switchboard.simulator;

import java.util.ArrayList;
import java.util.List;

/**
 * The simulated model: what every personality answers, derived only from the prompt, so a test can predict an answer
 * exactly and compare one that went through the gateway with one straight from the engine.
 *
 * <p>An answer runs {@link #NATURAL_LENGTH} tokens and ends with finish reason {@code stop}; a smaller
 * {@code max_tokens} (or llama.cpp's {@code n_predict}) cuts it short with {@code length}, and {@code ignore_eos}
 * makes it run to {@code max_tokens}. A chat's prompt is its messages' text joined by newlines ({@link #chatPrompt}).
 */
public final class SimulatedText {

    /** Tokens in an answer that no limit cuts short. */
    public static final int NATURAL_LENGTH = 16;

    /** Length of every embedding vector. */
    public static final int EMBEDDING_DIMENSIONS = 16;

    private static final String[] WORDS = {
        "alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel",
        "india", "juliet", "kilo", "lima", "mike", "november", "oscar", "papa",
        "quebec", "romeo", "sierra", "tango", "uniform", "victor", "whiskey", "xray",
        "yankee", "zulu", "amber", "basalt", "cobalt", "dune", "ember", "flint"
    };

    private SimulatedText() {}

    /** The first {@code count} tokens of the answer to {@code prompt}: words, each after the first led by a space. */
    public static List<String> tokens(String prompt, int count) {
        int seed = prompt.hashCode();
        List<String> tokens = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String word = WORDS[Math.floorMod(seed + i * 7, WORDS.length)];
            tokens.add(i == 0 ? word : " " + word);
        }
        return tokens;
    }

    /** The first {@code count} tokens of the answer to {@code prompt}, concatenated. */
    public static String text(String prompt, int count) {
        return String.join("", tokens(prompt, count));
    }

    /** How many tokens the engines count for {@code prompt}: its whitespace-separated words, at least one. */
    public static int promptTokens(String prompt) {
        String trimmed = prompt.strip();
        return trimmed.isEmpty() ? 1 : trimmed.split("\\s+").length;
    }

    /** The prompt of a chat whose messages have these text contents. */
    public static String chatPrompt(List<String> contents) {
        return String.join("\n", contents);
    }

    /** The embedding of {@code input}: {@link #EMBEDDING_DIMENSIONS} floats with unit length. */
    public static float[] embedding(String input) {
        int seed = input.hashCode();
        double[] raw = new double[EMBEDDING_DIMENSIONS];
        double norm = 0;
        for (int i = 0; i < raw.length; i++) {
            // StrictMath gives the same digits on every machine
            raw[i] = StrictMath.sin(seed * 0.001 + i + 1);
            norm += raw[i] * raw[i];
        }
        float[] vector = new float[raw.length];
        for (int i = 0; i < raw.length; i++) {
            vector[i] = (float) (raw[i] / Math.sqrt(norm));
        }
        return vector;
    }
}
