package dev.switchboard.tools.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.tools.ToolException;
import java.io.UncheckedIOException;
import java.util.function.Supplier;

/** One tool {@code /tools} offers, listed as llama-server lists it. */
abstract class Tool {
    static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One invocation: the parameters, the IO (built on first use, for built-in tools) and, when
     * streaming, where output goes.
     */
    record Call(ObjectNode params, Supplier<ToolIo> io, Subprocess.Chunks chunks) {
        String string(String key) {
            JsonNode value = params.get(key);
            if (value == null || value.isNull()) {
                throw new ToolException(ToolException.Kind.BAD_REQUEST, "missing parameter '" + key + "'");
            }
            if (!value.isTextual()) {
                throw new ToolException(ToolException.Kind.BAD_REQUEST, "parameter '" + key + "' must be a string");
            }
            return value.asText();
        }

        String string(String key, String fallback) {
            return params.hasNonNull(key) ? string(key) : fallback;
        }

        int integer(String key, int fallback) {
            JsonNode value = params.get(key);
            if (value == null || value.isNull()) {
                return fallback;
            }
            if (!value.canConvertToInt() || !value.isNumber()) {
                throw new ToolException(ToolException.Kind.BAD_REQUEST, "parameter '" + key + "' must be an integer");
            }
            return value.asInt();
        }

        boolean bool(String key, boolean fallback) {
            JsonNode value = params.get(key);
            if (value == null || value.isNull()) {
                return fallback;
            }
            if (!value.isBoolean()) {
                throw new ToolException(ToolException.Kind.BAD_REQUEST, "parameter '" + key + "' must be a boolean");
            }
            return value.asBoolean();
        }
    }

    final String name;
    final String displayName;
    final boolean write;
    final boolean stream;
    final boolean usesCwd;

    Tool(String name, String displayName, boolean write, boolean stream, boolean usesCwd) {
        this.name = name;
        this.displayName = displayName;
        this.write = write;
        this.stream = stream;
        this.usesCwd = usesCwd;
    }

    /** {@code server} for a built-in tool, {@code mcp} for an MCP server's. */
    abstract String type();

    /** The definition in the shape chat completions' {@code tools} take. */
    abstract ObjectNode definition();

    /** The result; when streaming, output went to {@code call.chunks()} and the result is null. */
    abstract ObjectNode invoke(Call call);

    final ObjectNode toJson() {
        ObjectNode node = JSON.createObjectNode();
        node.put("display_name", displayName);
        node.put("tool", name);
        node.put("type", type());
        node.putObject("permissions").put("write", write);
        node.put("uses_cwd", usesCwd);
        node.set("definition", definition());
        return node;
    }

    static ObjectNode error(String message) {
        return JSON.createObjectNode().put("error", message);
    }

    static ObjectNode text(String text) {
        return JSON.createObjectNode().put("plain_text_response", text);
    }

    /** A function definition from its JSON text, as llama-server writes it. */
    static ObjectNode function(String name, String description, String parametersJson) {
        ObjectNode definition = JSON.createObjectNode().put("type", "function");
        ObjectNode function = definition.putObject("function");
        function.put("name", name);
        function.put("description", description);
        try {
            function.set("parameters", JSON.readTree(parametersJson));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        return definition;
    }
}
