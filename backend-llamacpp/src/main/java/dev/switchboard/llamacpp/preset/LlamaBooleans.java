package dev.switchboard.llamacpp.preset;

/**
 * llama.cpp's spelling of booleans ({@code common_arg_utils::is_truthy} and {@code is_falsey}):
 * exact, lower-case words only.
 */
public final class LlamaBooleans {

    private LlamaBooleans() {}

    /** {@code on}, {@code enabled}, {@code true} or {@code 1}. */
    public static boolean isTruthy(String value) {
        return switch (value) {
            case "on", "enabled", "true", "1" -> true;
            default -> false;
        };
    }

    /** {@code off}, {@code disabled}, {@code false} or {@code 0}. */
    public static boolean isFalsey(String value) {
        return switch (value) {
            case "off", "disabled", "false", "0" -> true;
            default -> false;
        };
    }
}
