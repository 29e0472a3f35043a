package dev.switchboard.app.http.ollama;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.app.http.internal.Json;
import java.util.Map;

/**
 * Ollama's {@code /api/chat} and {@code /api/generate} requests as OpenAI chat-completions
 * requests, which every engine serves: messages (images as data URLs, tool calls and tool
 * results), {@code system} and {@code prompt}, {@code format} ({@code "json"} or a JSON schema) as
 * {@code response_format}, {@code options} as sampling parameters, {@code think} as the chat
 * template's {@code enable_thinking}.
 */
final class OllamaRequests {
    /** Ollama option → OpenAI / llama.cpp parameter, where the two differ only in name. */
    private static final Map<String, String> OPTIONS = Map.ofEntries(
            Map.entry("temperature", "temperature"),
            Map.entry("top_p", "top_p"),
            Map.entry("top_k", "top_k"),
            Map.entry("min_p", "min_p"),
            Map.entry("typical_p", "typical_p"),
            Map.entry("seed", "seed"),
            Map.entry("stop", "stop"),
            Map.entry("repeat_penalty", "repeat_penalty"),
            Map.entry("repeat_last_n", "repeat_last_n"),
            Map.entry("presence_penalty", "presence_penalty"),
            Map.entry("frequency_penalty", "frequency_penalty"),
            Map.entry("num_keep", "n_keep"));

    private OllamaRequests() {}

    /** {@code /api/chat}. */
    static ObjectNode chat(JsonNode request, String model) {
        ObjectNode chat = common(request, model);
        ArrayNode messages = chat.putArray("messages");
        for (JsonNode message : request.path("messages")) {
            messages.add(message(message));
        }
        if (request.path("tools").isArray() && !request.path("tools").isEmpty()) {
            chat.set("tools", request.get("tools"));
        }
        return chat;
    }

    /** {@code /api/generate}: {@code system} and {@code prompt} (with its images) as a chat. */
    static ObjectNode generate(JsonNode request, String model) {
        ObjectNode chat = common(request, model);
        ArrayNode messages = chat.putArray("messages");
        if (request.hasNonNull("system")) {
            messages.addObject()
                    .put("role", "system")
                    .put("content", request.path("system").asText());
        }
        ObjectNode user = Json.MAPPER.createObjectNode().put("role", "user");
        user.put("content", request.path("prompt").asText(""));
        if (request.path("images").isArray()) {
            user.set("images", request.get("images"));
        }
        messages.add(message(user));
        return chat;
    }

    private static ObjectNode common(JsonNode request, String model) {
        ObjectNode chat = Json.MAPPER.createObjectNode().put("model", model);
        JsonNode options = request.path("options");
        OPTIONS.forEach((ollama, openAi) -> {
            if (options.hasNonNull(ollama)) {
                chat.set(openAi, options.get(ollama));
            }
        });
        if (options.path("num_predict").isNumber()
                && options.path("num_predict").asInt() >= 0) {
            chat.put("max_tokens", options.path("num_predict").asInt());
        }
        JsonNode format = request.path("format");
        if (format.isTextual() && format.asText().equals("json")) {
            chat.putObject("response_format").put("type", "json_object");
        } else if (format.isObject()) {
            ObjectNode schema = chat.putObject("response_format")
                    .put("type", "json_schema")
                    .putObject("json_schema")
                    .put("name", "schema");
            schema.set("schema", format);
        }
        JsonNode think = request.path("think");
        if (think.isBoolean()) {
            chat.putObject("chat_template_kwargs").put("enable_thinking", think.asBoolean());
        } else if (think.isTextual()) {
            chat.put("reasoning_effort", think.asText());
        }
        if (request.path("stream").asBoolean(true)) {
            chat.put("stream", true);
            chat.putObject("stream_options").put("include_usage", true);
        }
        return chat;
    }

    private static ObjectNode message(JsonNode message) {
        ObjectNode out =
                Json.MAPPER.createObjectNode().put("role", message.path("role").asText("user"));
        String text = message.path("content").asText("");
        JsonNode images = message.path("images");
        if (images.isArray() && !images.isEmpty()) {
            ArrayNode parts = out.putArray("content");
            parts.addObject().put("type", "text").put("text", text);
            for (JsonNode image : images) {
                parts.addObject()
                        .put("type", "image_url")
                        .putObject("image_url")
                        .put("url", "data:" + mediaType(image.asText()) + ";base64," + image.asText());
            }
        } else {
            out.put("content", text);
        }
        JsonNode calls = message.path("tool_calls");
        if (calls.isArray() && !calls.isEmpty()) {
            ArrayNode toolCalls = out.putArray("tool_calls");
            for (int i = 0; i < calls.size(); i++) {
                JsonNode function = calls.get(i).path("function");
                toolCalls
                        .addObject()
                        .put("id", "call_" + i)
                        .put("type", "function")
                        .putObject("function")
                        .put("name", function.path("name").asText())
                        .put("arguments", Json.write(function.path("arguments")));
            }
        }
        if (message.hasNonNull("tool_name")) {
            out.put("name", message.path("tool_name").asText());
            out.put("tool_call_id", message.path("tool_name").asText());
        }
        return out;
    }

    /** The image type, told by the first bytes of its base64 (Ollama sends bare base64). */
    private static String mediaType(String base64) {
        if (base64.startsWith("/9j/")) {
            return "image/jpeg";
        }
        if (base64.startsWith("R0lGOD")) {
            return "image/gif";
        }
        if (base64.startsWith("UklGR")) {
            return "image/webp";
        }
        return "image/png";
    }
}
