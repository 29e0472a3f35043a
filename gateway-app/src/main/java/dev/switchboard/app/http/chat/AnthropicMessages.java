package dev.switchboard.app.http.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.app.http.internal.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Anthropic's Messages API ({@code POST /v1/messages}) served by an engine that only speaks chat
 * completions: the request becomes a chat request (system prompt, text and image blocks, tool use
 * and tool results, stop sequences, sampling), the answer a message, and a stream the events
 * Anthropic's SDKs read ({@code message_start}, {@code content_block_start|delta|stop}, {@code
 * message_delta}, {@code message_stop}).
 */
public final class AnthropicMessages {

    private AnthropicMessages() {}

    /** The chat-completions request for a Messages request. */
    public static ObjectNode toChat(JsonNode request) {
        ObjectNode chat = Json.MAPPER.createObjectNode();
        chat.set("model", request.path("model"));
        ArrayNode messages = chat.putArray("messages");
        JsonNode system = request.path("system");
        if (!system.isMissingNode() && !system.isNull()) {
            messages.addObject().put("role", "system").put("content", text(system));
        }
        for (JsonNode message : request.path("messages")) {
            addMessage(messages, message);
        }
        copy(request, "max_tokens", chat, "max_tokens");
        copy(request, "temperature", chat, "temperature");
        copy(request, "top_p", chat, "top_p");
        copy(request, "top_k", chat, "top_k");
        copy(request, "stop_sequences", chat, "stop");
        if (request.path("tools").isArray() && !request.path("tools").isEmpty()) {
            ArrayNode tools = chat.putArray("tools");
            for (JsonNode tool : request.path("tools")) {
                ObjectNode function = tools.addObject().put("type", "function").putObject("function");
                function.set("name", tool.path("name"));
                copy(tool, "description", function, "description");
                copy(tool, "input_schema", function, "parameters");
            }
        }
        if (request.path("stream").asBoolean(false)) {
            chat.put("stream", true);
            chat.putObject("stream_options").put("include_usage", true);
        }
        return chat;
    }

    private static void addMessage(ArrayNode messages, JsonNode message) {
        String role = message.path("role").asText("user");
        JsonNode content = message.path("content");
        if (content.isTextual()) {
            messages.addObject().put("role", role).put("content", content.asText());
            return;
        }
        ArrayNode parts = Json.MAPPER.createArrayNode();
        ArrayNode toolCalls = Json.MAPPER.createArrayNode();
        for (JsonNode block : content) {
            switch (block.path("type").asText()) {
                case "text" ->
                    parts.addObject()
                            .put("type", "text")
                            .put("text", block.path("text").asText());
                case "image" -> {
                    JsonNode source = block.path("source");
                    String url = source.path("type").asText().equals("url")
                            ? source.path("url").asText()
                            : "data:" + source.path("media_type").asText("image/png") + ";base64,"
                                    + source.path("data").asText();
                    parts.addObject()
                            .put("type", "image_url")
                            .putObject("image_url")
                            .put("url", url);
                }
                case "tool_use" -> {
                    ObjectNode call = toolCalls
                            .addObject()
                            .put("id", block.path("id").asText())
                            .put("type", "function");
                    call.putObject("function")
                            .put("name", block.path("name").asText())
                            .put("arguments", Json.write(block.path("input")));
                }
                case "tool_result" ->
                    messages.addObject()
                            .put("role", "tool")
                            .put("tool_call_id", block.path("tool_use_id").asText())
                            .put("content", text(block.path("content")));
                default -> {} // thinking blocks and the like have no chat counterpart
            }
        }
        if (parts.isEmpty() && toolCalls.isEmpty()) {
            return;
        }
        ObjectNode out = messages.addObject().put("role", role);
        if (parts.size() == 1 && parts.get(0).path("type").asText().equals("text")) {
            out.put("content", parts.get(0).path("text").asText());
        } else if (!parts.isEmpty()) {
            out.set("content", parts);
        } else {
            out.putNull("content");
        }
        if (!toolCalls.isEmpty()) {
            out.set("tool_calls", toolCalls);
        }
    }

    /** The text of a string or of a list of text blocks. */
    static String text(JsonNode content) {
        if (content.isTextual()) {
            return content.asText();
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode block : content) {
            if (block.has("text")) {
                text.append(text.isEmpty() ? "" : "\n")
                        .append(block.path("text").asText());
            }
        }
        return text.toString();
    }

    private static void copy(JsonNode from, String name, ObjectNode to, String as) {
        if (from.has(name) && !from.get(name).isNull()) {
            to.set(as, from.get(name));
        }
    }

    /** Anthropic's {@code stop_reason} for a chat {@code finish_reason}. */
    static String stopReason(String finishReason) {
        return switch (finishReason == null ? "stop" : finishReason) {
            case "length" -> "max_tokens";
            case "tool_calls" -> "tool_use";
            default -> "end_turn";
        };
    }

    /** The translator of one request's answer. */
    public static ChatTranslator translator(String model) {
        return new Translator(model);
    }

    private static final class Translator implements ChatTranslator {
        private final String model;
        private boolean started;
        private int index = -1;
        private String openBlock; // "text" or "tool_use" while a block is open
        private String finish;
        private long inputTokens;
        private long outputTokens;
        private String id = "msg_switchboard";

        Translator(String model) {
            this.model = model;
        }

        @Override
        public void chunk(JsonNode chunk, OutputStream out) throws IOException {
            if (chunk.has("usage") && chunk.get("usage").isObject()) {
                inputTokens = chunk.path("usage").path("prompt_tokens").asLong(inputTokens);
                outputTokens = chunk.path("usage").path("completion_tokens").asLong(outputTokens);
            }
            if (!started) {
                started = true;
                id = "msg_" + chunk.path("id").asText("switchboard");
                Map<String, Object> message = message(id, model);
                message.put("content", List.of());
                message.put("stop_reason", null);
                message.put("usage", Map.of("input_tokens", inputTokens, "output_tokens", 0));
                event(out, "message_start", "message", message);
            }
            for (JsonNode choice : chunk.path("choices")) {
                JsonNode delta = choice.path("delta");
                String text = delta.path("content").asText("");
                if (!text.isEmpty()) {
                    open(out, "text", Map.of("type", "text", "text", ""));
                    event(
                            out,
                            "content_block_delta",
                            "index",
                            index,
                            "delta",
                            Map.of("type", "text_delta", "text", text));
                }
                for (JsonNode call : delta.path("tool_calls")) {
                    JsonNode function = call.path("function");
                    if (function.hasNonNull("name")) {
                        openBlock = null; // each call is its own block
                        open(
                                out,
                                "tool_use",
                                Map.of(
                                        "type", "tool_use",
                                        "id", call.path("id").asText("toolu_" + index),
                                        "name", function.path("name").asText(),
                                        "input", Map.of()));
                    }
                    String arguments = function.path("arguments").asText("");
                    if (!arguments.isEmpty()) {
                        event(
                                out,
                                "content_block_delta",
                                "index",
                                index,
                                "delta",
                                Map.of("type", "input_json_delta", "partial_json", arguments));
                    }
                }
                if (choice.hasNonNull("finish_reason")) {
                    finish = choice.path("finish_reason").asText();
                }
            }
        }

        private void open(OutputStream out, String kind, Map<String, Object> block) throws IOException {
            if (kind.equals(openBlock)) {
                return;
            }
            close(out);
            index++;
            openBlock = kind;
            event(out, "content_block_start", "index", index, "content_block", block);
        }

        private void close(OutputStream out) throws IOException {
            if (openBlock != null) {
                event(out, "content_block_stop", "index", index);
                openBlock = null;
            }
        }

        @Override
        public void end(OutputStream out) throws IOException {
            if (!started) {
                chunk(Json.MAPPER.createObjectNode(), out);
            }
            close(out);
            event(
                    out,
                    "message_delta",
                    "delta",
                    mapOf("stop_reason", stopReason(finish), "stop_sequence", null),
                    "usage",
                    Map.of("output_tokens", outputTokens));
            event(out, "message_stop");
        }

        @Override
        public Object whole(JsonNode completion) {
            JsonNode choice = completion.path("choices").path(0);
            JsonNode message = choice.path("message");
            Map<String, Object> answer = message("msg_" + completion.path("id").asText("switchboard"), model);
            ArrayNode content = Json.MAPPER.createArrayNode();
            if (message.hasNonNull("content")
                    && !message.path("content").asText().isEmpty()) {
                content.addObject()
                        .put("type", "text")
                        .put("text", message.path("content").asText());
            }
            for (JsonNode call : message.path("tool_calls")) {
                ObjectNode use = content.addObject()
                        .put("type", "tool_use")
                        .put("id", call.path("id").asText())
                        .put("name", call.path("function").path("name").asText());
                use.set("input", arguments(call.path("function").path("arguments")));
            }
            answer.put("content", content);
            answer.put("stop_reason", stopReason(choice.path("finish_reason").asText(null)));
            answer.put(
                    "usage",
                    Map.of(
                            "input_tokens",
                                    completion
                                            .path("usage")
                                            .path("prompt_tokens")
                                            .asLong(),
                            "output_tokens",
                                    completion
                                            .path("usage")
                                            .path("completion_tokens")
                                            .asLong()));
            return answer;
        }

        /** Anthropic's error shape, {@code {"type":"error","error":{"type":..,"message":..}}}. */
        @Override
        public Object error(int status, JsonNode engineBody) {
            String message = engineBody
                    .path("error")
                    .path("message")
                    .asText(engineBody
                            .path("message")
                            .asText(engineBody.path("detail").asText("engine answered " + status)));
            return Map.of("type", "error", "error", Map.of("type", errorType(status), "message", message));
        }
    }

    static JsonNode arguments(JsonNode arguments) {
        if (arguments.isTextual()) {
            try {
                return Json.MAPPER.readTree(arguments.asText());
            } catch (IOException e) {
                return Json.MAPPER.createObjectNode();
            }
        }
        return arguments.isObject() ? arguments : Json.MAPPER.createObjectNode();
    }

    private static String errorType(int status) {
        return switch (status) {
            case 400 -> "invalid_request_error";
            case 401 -> "authentication_error";
            case 403 -> "permission_error";
            case 404 -> "not_found_error";
            case 413 -> "request_too_large";
            case 429 -> "rate_limit_error";
            case 529, 503 -> "overloaded_error";
            default -> "api_error";
        };
    }

    private static Map<String, Object> message(String id, String model) {
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("id", id);
        message.put("type", "message");
        message.put("role", "assistant");
        message.put("model", model);
        message.put("stop_sequence", null);
        return message;
    }

    private static void event(OutputStream out, String type, Object... fields) throws IOException {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("type", type);
        data.putAll(mapOf(fields));
        ChatRelay.event(out, type, data);
    }

    static Map<String, Object> mapOf(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i + 1 < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }
}
