package dev.switchboard.tools;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One stdio MCP server, as an entry of the Cursor-style {@code {"mcpServers": {NAME: {...}}}}
 * JSON llama-server reads.
 *
 * @param name the key; its tools are listed as {@code NAME_TOOL}
 * @param command the program to start
 * @param args its arguments
 * @param env variables put over the gateway's environment
 * @param cwd its working directory; empty for the gateway's
 * @param timeoutMs how long one call may take, in milliseconds (default 30000)
 */
public record McpServerConfig(
        String name, String command, List<String> args, Map<String, String> env, String cwd, int timeoutMs) {
    private static final Logger log = LoggerFactory.getLogger(McpServerConfig.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    public static final int DEFAULT_TIMEOUT_MS = 30_000;

    public McpServerConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(command, "command");
        args = List.copyOf(args);
        env = Map.copyOf(env);
        cwd = Objects.requireNonNullElse(cwd, "");
        if (timeoutMs <= 0) {
            throw new IllegalArgumentException("MCP server '" + name + "': timeout_ms must be positive");
        }
    }

    /**
     * The servers of a {@code --mcp-servers-json} text. No {@code mcpServers} object gives none;
     * an entry without a {@code command} is skipped with a warning, as llama-server does.
     *
     * @throws IllegalArgumentException when the text is not JSON or an entry is malformed
     */
    public static List<McpServerConfig> parseJson(String json) {
        try {
            return parse(MAPPER.readTree(json));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("failed to parse MCP config JSON: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * The servers of a {@code --mcp-servers-config} file.
     *
     * @throws IllegalArgumentException when the file cannot be read or is malformed
     */
    public static List<McpServerConfig> parseFile(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("failed to open MCP config file: " + file);
        } catch (IOException e) {
            throw new IllegalArgumentException("failed to open MCP config file: " + file + ": " + e.getMessage());
        }
        return parseJson(text);
    }

    /** The servers of an already parsed {@code {"mcpServers": {...}}} document. */
    public static List<McpServerConfig> parse(JsonNode root) {
        List<McpServerConfig> servers = new ArrayList<>();
        JsonNode entries = root == null ? null : root.get("mcpServers");
        if (entries == null || !entries.isObject()) {
            log.warn("MCP config: no servers found in JSON");
            return servers;
        }
        for (Map.Entry<String, JsonNode> entry : entries.properties()) {
            String name = entry.getKey();
            JsonNode cfg = entry.getValue();
            if (!cfg.isObject()) {
                throw new IllegalArgumentException("MCP server '" + name + "' must be an object");
            }
            String command = text(cfg, name, "command");
            if (command.isEmpty()) {
                log.warn("MCP server '{}' has no command, skipping", name);
                continue;
            }
            List<String> args = new ArrayList<>();
            JsonNode argNodes = cfg.path("args");
            if (argNodes.isArray()) {
                argNodes.forEach(a -> args.add(a.asText()));
            }
            Map<String, String> env = new LinkedHashMap<>();
            JsonNode envNode = cfg.path("env");
            if (envNode.isObject()) {
                envNode.properties()
                        .forEach(e -> env.put(e.getKey(), e.getValue().asText()));
            }
            JsonNode timeout = cfg.path("timeout_ms");
            if (!timeout.isMissingNode() && !timeout.canConvertToInt()) {
                throw new IllegalArgumentException("MCP server '" + name + "': timeout_ms must be an integer");
            }
            servers.add(new McpServerConfig(
                    name, command, args, env, text(cfg, name, "cwd"), timeout.asInt(DEFAULT_TIMEOUT_MS)));
        }
        return servers;
    }

    private static String text(JsonNode cfg, String name, String key) {
        JsonNode value = cfg.path(key);
        if (value.isMissingNode() || value.isNull()) {
            return "";
        }
        if (!value.isTextual()) {
            throw new IllegalArgumentException("MCP server '" + name + "': " + key + " must be a string");
        }
        return value.asText();
    }
}
