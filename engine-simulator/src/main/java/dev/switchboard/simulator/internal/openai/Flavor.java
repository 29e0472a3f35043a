package dev.switchboard.simulator.internal.openai;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where one engine's OpenAI-compatible responses differ from the others'.
 *
 * @param chatIdPrefix prefix of chat completion ids
 * @param textIdPrefix prefix of text completion ids
 * @param systemFingerprint llama.cpp reports its build here; the others leave the field out
 * @param firstDeltaContent the {@code content} of the opening chat chunk's delta: llama.cpp sends null, vLLM and
 *     SGLang an empty string
 * @param finishWithLastToken vLLM puts the finish reason on the chunk with the last token; llama.cpp and SGLang send
 *     an extra chunk with an empty delta
 * @param choiceExtras fields every choice carries besides the standard ones, such as vLLM's {@code stop_reason}
 * @param messageExtras fields of a non-streamed chat message besides role and content
 * @param timings whether responses carry llama.cpp's {@code timings} object
 */
public record Flavor(
        String chatIdPrefix,
        String textIdPrefix,
        Optional<String> systemFingerprint,
        String firstDeltaContent,
        boolean finishWithLastToken,
        Map<String, Object> choiceExtras,
        Map<String, Object> messageExtras,
        boolean timings) {

    public Flavor {
        choiceExtras = Collections.unmodifiableMap(new LinkedHashMap<>(choiceExtras));
        messageExtras = Collections.unmodifiableMap(new LinkedHashMap<>(messageExtras));
    }
}
