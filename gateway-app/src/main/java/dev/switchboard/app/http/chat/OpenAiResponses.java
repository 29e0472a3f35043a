package dev.switchboard.app.http.chat;

import static dev.switchboard.app.http.chat.AnthropicMessages.mapOf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.app.http.internal.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * OpenAI's Responses API ({@code POST /v1/responses}) served by an engine that only speaks chat
 * completions: {@code instructions} and {@code input} (a string or message items, function calls
 * and their outputs) become chat messages; the answer becomes a response with a message item (and
 * function-call items), a stream the {@code response.*} events OpenAI's SDKs read.
 */
public final class OpenAiResponses {

    private OpenAiResponses() {}

    /** The chat-completions request for a Responses request. */
    public static ObjectNode toChat(JsonNode request) {
        ObjectNode chat = Json.MAPPER.createObjectNode();
        chat.set("model", request.path("model"));
        ArrayNode messages = chat.putArray("messages");
        if (request.hasNonNull("instructions")) {
            messages.addObject()
                    .put("role", "system")
                    .put("content", request.path("instructions").asText());
        }
        JsonNode input = request.path("input");
        if (input.isTextual()) {
            messages.addObject().put("role", "user").put("content", input.asText());
        }
        for (JsonNode item : input.isArray() ? input : Json.MAPPER.createArrayNode()) {
            switch (item.path("type").asText("message")) {
                case "function_call" -> {
                    ObjectNode call = messages.addObject().put("role", "assistant");
                    call.putNull("content");
                    call.putArray("tool_calls")
                            .addObject()
                            .put("id", item.path("call_id").asText())
                            .put("type", "function")
                            .putObject("function")
                            .put("name", item.path("name").asText())
                            .put("arguments", item.path("arguments").asText("{}"));
                }
                case "function_call_output" ->
                    messages.addObject()
                            .put("role", "tool")
                            .put("tool_call_id", item.path("call_id").asText())
                            .put("content", item.path("output").asText());
                default ->
                    messages.addObject()
                            .put("role", item.path("role").asText("user"))
                            .set("content", content(item.path("content")));
            }
        }
        if (request.hasNonNull("max_output_tokens")) {
            chat.set("max_tokens", request.get("max_output_tokens"));
        }
        for (String name : List.of("temperature", "top_p", "seed")) {
            if (request.hasNonNull(name)) {
                chat.set(name, request.get(name));
            }
        }
        ArrayNode tools = Json.MAPPER.createArrayNode();
        for (JsonNode tool : request.path("tools")) {
            if (tool.path("type").asText().equals("function")) {
                ObjectNode function = tools.addObject().put("type", "function").putObject("function");
                function.set("name", tool.path("name"));
                if (tool.has("description")) {
                    function.set("description", tool.get("description"));
                }
                if (tool.has("parameters")) {
                    function.set("parameters", tool.get("parameters"));
                }
            }
        }
        if (!tools.isEmpty()) {
            chat.set("tools", tools);
        }
        if (request.path("stream").asBoolean(false)) {
            chat.put("stream", true);
            chat.putObject("stream_options").put("include_usage", true);
        }
        return chat;
    }

    private static JsonNode content(JsonNode content) {
        if (content.isTextual()) {
            return content;
        }
        ArrayNode parts = Json.MAPPER.createArrayNode();
        for (JsonNode part : content) {
            switch (part.path("type").asText()) {
                case "input_text", "output_text", "text" ->
                    parts.addObject()
                            .put("type", "text")
                            .put("text", part.path("text").asText());
                case "input_image" ->
                    parts.addObject()
                            .put("type", "image_url")
                            .putObject("image_url")
                            .put("url", part.path("image_url").asText());
                default -> {}
            }
        }
        if (parts.size() == 1 && parts.get(0).has("text")) {
            return parts.get(0).get("text");
        }
        return parts;
    }

    /** The translator of one request's answer. */
    public static ChatTranslator translator(String model) {
        return new Translator(model);
    }

    private static final class Translator implements ChatTranslator {
        private final String model;
        private final long created = Instant.now().getEpochSecond();
        private String id = "resp_switchboard";
        private boolean started;
        private boolean textOpen;
        private final StringBuilder text = new StringBuilder();
        private final List<Map<String, Object>> calls = new ArrayList<>();
        private final List<StringBuilder> callArguments = new ArrayList<>();
        private String finish;
        private long inputTokens;
        private long outputTokens;
        private int sequence;

        Translator(String model) {
            this.model = model;
        }

        @Override
        public void chunk(JsonNode chunk, OutputStream out) throws IOException {
            if (chunk.path("usage").isObject()) {
                inputTokens = chunk.path("usage").path("prompt_tokens").asLong(inputTokens);
                outputTokens = chunk.path("usage").path("completion_tokens").asLong(outputTokens);
            }
            if (!started) {
                started = true;
                id = "resp_" + chunk.path("id").asText("switchboard");
                event(out, "response.created", "response", response("in_progress", List.of(), false));
                event(out, "response.in_progress", "response", response("in_progress", List.of(), false));
            }
            for (JsonNode choice : chunk.path("choices")) {
                JsonNode delta = choice.path("delta");
                String piece = delta.path("content").asText("");
                if (!piece.isEmpty()) {
                    if (!textOpen) {
                        textOpen = true;
                        event(
                                out,
                                "response.output_item.added",
                                "output_index",
                                0,
                                "item",
                                message("in_progress", null));
                        event(
                                out,
                                "response.content_part.added",
                                "item_id",
                                messageId(),
                                "output_index",
                                0,
                                "content_index",
                                0,
                                "part",
                                part(""));
                    }
                    text.append(piece);
                    event(
                            out,
                            "response.output_text.delta",
                            "item_id",
                            messageId(),
                            "output_index",
                            0,
                            "content_index",
                            0,
                            "delta",
                            piece,
                            "logprobs",
                            List.of());
                }
                for (JsonNode call : delta.path("tool_calls")) {
                    int at = call.path("index").asInt(calls.size() - 1);
                    if (call.path("function").hasNonNull("name") || at >= calls.size()) {
                        Map<String, Object> item = new LinkedHashMap<>();
                        String callId = call.path("id").asText("call_" + calls.size());
                        item.put("id", "fc_" + callId);
                        item.put("type", "function_call");
                        item.put("status", "in_progress");
                        item.put("call_id", callId);
                        item.put("name", call.path("function").path("name").asText());
                        item.put("arguments", "");
                        calls.add(item);
                        callArguments.add(new StringBuilder());
                        event(
                                out,
                                "response.output_item.added",
                                "output_index",
                                outputIndex(calls.size() - 1),
                                "item",
                                item);
                        at = calls.size() - 1;
                    }
                    String arguments = call.path("function").path("arguments").asText("");
                    if (!arguments.isEmpty()) {
                        callArguments.get(at).append(arguments);
                        event(
                                out,
                                "response.function_call_arguments.delta",
                                "item_id",
                                calls.get(at).get("id"),
                                "output_index",
                                outputIndex(at),
                                "delta",
                                arguments);
                    }
                }
                if (choice.hasNonNull("finish_reason")) {
                    finish = choice.path("finish_reason").asText();
                }
            }
        }

        private int outputIndex(int call) {
            return (textOpen ? 1 : 0) + call;
        }

        @Override
        public void end(OutputStream out) throws IOException {
            if (!started) {
                chunk(Json.MAPPER.createObjectNode(), out);
            }
            if (textOpen) {
                event(
                        out,
                        "response.output_text.done",
                        "item_id",
                        messageId(),
                        "output_index",
                        0,
                        "content_index",
                        0,
                        "text",
                        text.toString(),
                        "logprobs",
                        List.of());
                event(
                        out,
                        "response.content_part.done",
                        "item_id",
                        messageId(),
                        "output_index",
                        0,
                        "content_index",
                        0,
                        "part",
                        part(text.toString()));
                event(
                        out,
                        "response.output_item.done",
                        "output_index",
                        0,
                        "item",
                        message("completed", text.toString()));
            }
            for (int i = 0; i < calls.size(); i++) {
                Map<String, Object> call = calls.get(i);
                call.put("arguments", callArguments.get(i).toString());
                call.put("status", "completed");
                event(
                        out,
                        "response.function_call_arguments.done",
                        "item_id",
                        call.get("id"),
                        "output_index",
                        outputIndex(i),
                        "arguments",
                        call.get("arguments"));
                event(out, "response.output_item.done", "output_index", outputIndex(i), "item", call);
            }
            event(out, "response.completed", "response", response("completed", output(), true));
        }

        private List<Object> output() {
            List<Object> output = new ArrayList<>();
            if (textOpen) {
                output.add(message("completed", text.toString()));
            }
            output.addAll(calls);
            return output;
        }

        @Override
        public Object whole(JsonNode completion) {
            id = "resp_" + completion.path("id").asText("switchboard");
            JsonNode choice = completion.path("choices").path(0);
            JsonNode message = choice.path("message");
            if (message.hasNonNull("content")) {
                textOpen = true;
                text.append(message.path("content").asText());
            }
            for (JsonNode call : message.path("tool_calls")) {
                Map<String, Object> item = new LinkedHashMap<>();
                item.put("id", "fc_" + call.path("id").asText());
                item.put("type", "function_call");
                item.put("status", "completed");
                item.put("call_id", call.path("id").asText());
                item.put("name", call.path("function").path("name").asText());
                item.put("arguments", call.path("function").path("arguments").asText());
                calls.add(item);
                callArguments.add(new StringBuilder(
                        call.path("function").path("arguments").asText()));
            }
            finish = choice.path("finish_reason").asText(null);
            inputTokens = completion.path("usage").path("prompt_tokens").asLong();
            outputTokens = completion.path("usage").path("completion_tokens").asLong();
            return response("completed", output(), true);
        }

        private Map<String, Object> response(String status, List<Object> output, boolean done) {
            Map<String, Object> response = new LinkedHashMap<>();
            response.put("id", id);
            response.put("object", "response");
            response.put("created_at", created);
            response.put("status", done && "length".equals(finish) ? "incomplete" : status);
            response.put("model", model);
            response.put("output", output);
            response.put("parallel_tool_calls", true);
            response.put("tool_choice", "auto");
            response.put("tools", List.of());
            if (done && "length".equals(finish)) {
                response.put("incomplete_details", Map.of("reason", "max_output_tokens"));
            }
            if (done) {
                response.put(
                        "usage",
                        Map.of(
                                "input_tokens",
                                inputTokens,
                                "input_tokens_details",
                                Map.of("cached_tokens", 0),
                                "output_tokens",
                                outputTokens,
                                "output_tokens_details",
                                Map.of("reasoning_tokens", 0),
                                "total_tokens",
                                inputTokens + outputTokens));
            }
            return response;
        }

        private Map<String, Object> message(String status, String content) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("id", messageId());
            item.put("type", "message");
            item.put("status", status);
            item.put("role", "assistant");
            item.put("content", content == null ? List.of() : List.of(part(content)));
            return item;
        }

        private String messageId() {
            return "msg_" + id.substring("resp_".length());
        }

        private static Map<String, Object> part(String text) {
            return Map.of("type", "output_text", "text", text, "annotations", List.of());
        }

        private void event(OutputStream out, String type, Object... fields) throws IOException {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("type", type);
            data.put("sequence_number", sequence++);
            data.putAll(mapOf(fields));
            ChatRelay.event(out, type, data);
        }
    }
}
