package dev.switchboard.app.config.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.tools.McpServerConfig;
import dev.switchboard.tools.ToolsConfig;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Binds the {@code tools:} section, llama-server's {@code /tools} flags as YAML keys:
 *
 * <pre>{@code
 * tools:
 *   enabled: all                 # --tools: all, or a list of tool names
 *   runtime: docker:busybox      # --tools-runtime
 *   mcpServersConfig: mcp.json   # --mcp-servers-config (relative to this file)
 *   mcpServers:                  # --mcp-servers-json's "mcpServers" object
 *     echo: { command: python3, args: [echo.py], env: {}, cwd: ., timeout_ms: 30000 }
 *   roots: [./work]              # --tools-root: where the built-in tools may work
 *   allowRuntimes: [ssh]         # --tools-allow-runtime: kinds x-tool-runtime may pick
 * }</pre>
 */
final class ToolsReader {
    private static final List<String> KEYS =
            List.of("enabled", "runtime", "mcpServersConfig", "mcpServers", "roots", "allowRuntimes");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ToolsReader() {}

    static ToolsConfig read(YamlNode node, Path baseDirectory) {
        node.allowOnly(KEYS);
        ToolsConfig.Builder builder = ToolsConfig.custom();
        node.get("enabled").ifPresent(n -> builder.enabled(n.isScalar() ? List.of(n.nonEmptyString()) : n.strings()));
        node.get("runtime").ifPresent(n -> builder.runtime(n.string()));
        node.get("mcpServersConfig").ifPresent(n -> {
            try {
                builder.addMcpServers(McpServerConfig.parseFile(baseDirectory.resolve(n.nonEmptyString())));
            } catch (IllegalArgumentException e) {
                throw n.error(e.getMessage());
            }
        });
        node.get("mcpServers").ifPresent(n -> {
            if (!n.isMap()) {
                throw n.error("must map server names to {command, args, env, cwd, timeout_ms}");
            }
            try {
                builder.addMcpServers(McpServerConfig.parse(MAPPER.valueToTree(Map.of("mcpServers", n.plain()))));
            } catch (IllegalArgumentException e) {
                throw n.error(e.getMessage());
            }
        });
        node.get("roots")
                .ifPresent(n -> builder.roots(
                        n.strings().stream().map(baseDirectory::resolve).toList()));
        node.get("allowRuntimes").ifPresent(n -> {
            Set<String> kinds = new LinkedHashSet<>(n.strings());
            for (String kind : kinds) {
                if (!ToolsConfig.RUNTIME_KINDS.contains(kind)) {
                    throw n.error(
                            "unknown runtime kind '" + kind + "' (expected one of " + ToolsConfig.RUNTIME_KINDS + ")");
                }
            }
            builder.allowedRuntimes(kinds);
        });
        return builder.build();
    }
}
