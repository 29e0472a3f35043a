package dev.switchboard.simulator.internal.openai;

import dev.switchboard.simulator.SimulatedText;
import dev.switchboard.simulator.internal.http.ErrorFormat;
import dev.switchboard.simulator.internal.http.ErrorKind;
import dev.switchboard.simulator.internal.json.JsonFields;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * What a chat or completion request asks for, read from its body.
 *
 * @param maxTokens {@code max_tokens}, {@code max_completion_tokens} or llama.cpp's {@code n_predict}; empty when
 *     absent or negative (unlimited)
 */
public record InferenceRequest(
        Optional<String> model,
        String prompt,
        OptionalInt maxTokens,
        boolean ignoreEos,
        boolean stream,
        boolean includeUsage) {

    private static final List<String> LIMITS =
            List.of("max_completion_tokens", "max_tokens", "max_output_tokens", "n_predict");

    /** A chat request: its prompt is its messages' text ({@link SimulatedText#chatPrompt}). */
    public static InferenceRequest chat(JsonFields body, ErrorFormat errors) {
        List<Object> messages = body.array("messages");
        if (messages.isEmpty()) {
            throw errors.error(ErrorKind.BAD_REQUEST, "'messages' is required and must be a non-empty array");
        }
        List<String> contents = new ArrayList<>();
        for (Object message : messages) {
            if (message instanceof Map<?, ?> map) {
                contents.add(text(map.get("content")));
            }
        }
        return of(body, SimulatedText.chatPrompt(contents));
    }

    /**
     * An OpenAI Responses request: its prompt is its {@code instructions} and its {@code input} (a string, or a list of
     * messages), as a chat of those messages would read.
     */
    public static InferenceRequest responses(JsonFields body, ErrorFormat errors) {
        List<String> contents = new ArrayList<>();
        body.string("instructions").ifPresent(contents::add);
        Object input = body.get("input");
        if (input instanceof String text) {
            contents.add(text);
        } else if (input instanceof List<?> items && !items.isEmpty()) {
            for (Object item : items) {
                if (item instanceof Map<?, ?> map) {
                    contents.add(text(map.get("content")));
                }
            }
        } else {
            throw errors.error(ErrorKind.BAD_REQUEST, "'input' is required: a string or a list of messages");
        }
        return of(body, SimulatedText.chatPrompt(contents));
    }

    /** An Anthropic Messages request: its prompt is its {@code system} text and its messages' text. */
    public static InferenceRequest messages(JsonFields body, ErrorFormat errors) {
        List<Object> messages = body.array("messages");
        if (messages.isEmpty()) {
            throw errors.error(ErrorKind.BAD_REQUEST, "'messages' is required and must be a non-empty array");
        }
        List<String> contents = new ArrayList<>();
        if (body.has("system")) {
            contents.add(text(body.get("system")));
        }
        for (Object message : messages) {
            if (message instanceof Map<?, ?> map) {
                contents.add(text(map.get("content")));
            }
        }
        return of(body, SimulatedText.chatPrompt(contents));
    }

    /** A completion request: its prompt is {@code prompt} (the first one, when it is a list). */
    public static InferenceRequest completion(JsonFields body, ErrorFormat errors) {
        Object prompt = body.get("prompt");
        if (prompt instanceof List<?> list && !list.isEmpty()) {
            prompt = list.getFirst();
        }
        if (!(prompt instanceof String text)) {
            throw errors.error(ErrorKind.BAD_REQUEST, "\"prompt\" must be provided as a string");
        }
        return of(body, text);
    }

    private static InferenceRequest of(JsonFields body, String prompt) {
        OptionalInt maxTokens = OptionalInt.empty();
        for (String limit : LIMITS) {
            OptionalLong value = body.integer(limit);
            if (value.isPresent()) {
                maxTokens = value.getAsLong() < 0 ? OptionalInt.empty() : OptionalInt.of((int) value.getAsLong());
                break;
            }
        }
        boolean includeUsage = body.object("stream_options")
                .map(options -> options.flag("include_usage"))
                .orElse(false);
        return new InferenceRequest(
                body.string("model"), prompt, maxTokens, body.flag("ignore_eos"), body.flag("stream"), includeUsage);
    }

    // a message's content is a string or a list of parts, of which the text parts count
    private static String text(Object content) {
        if (content instanceof String text) {
            return text;
        }
        List<String> parts = new ArrayList<>();
        if (content instanceof List<?> list) {
            for (Object part : list) {
                if (part instanceof Map<?, ?> map && map.get("text") instanceof String text) {
                    parts.add(text);
                }
            }
        }
        return String.join("\n", parts);
    }
}
