package dev.switchboard.app.cli;

import dev.switchboard.tools.McpServerConfig;
import dev.switchboard.tools.ToolsConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Option;

/**
 * llama-server's {@code /tools} flags ({@code --tools}, {@code --tools-runtime}, {@code
 * --mcp-servers-json}, {@code --mcp-servers-config}, and their {@code LLAMA_ARG_*} variables) and
 * Switchboard's two confinement flags, mixed into the command line.
 */
public final class ToolsFlags {
    @Option(
            names = "--tools",
            paramLabel = "TOOL1,TOOL2,...",
            description = "built-in tools at /tools, or 'all' (default: none): read_file, file_glob_search,"
                    + " grep_search, exec_shell_command, write_file, edit_file, get_info")
    String tools;

    @Option(
            names = "--tools-runtime",
            paramLabel = "OPTION",
            description = "run tools in docker:<image>, podman:<image>, docker-container:<id>,"
                    + " podman-container:<id> or ssh:<target> (default: this host)")
    String runtime;

    @Option(
            names = "--mcp-servers-json",
            paramLabel = "JSON",
            description = "inline JSON with stdio MCP servers ({\"mcpServers\": {...}}, Cursor's format)")
    String mcpServersJson;

    @Option(
            names = "--mcp-servers-config",
            paramLabel = "PATH",
            description = "JSON file with stdio MCP servers (Cursor's format)")
    Path mcpServersConfig;

    @Option(
            names = "--tools-root",
            paramLabel = "DIR",
            description =
                    "a directory the built-in tools may work in; repeat for more (default: the working directory)")
    List<Path> roots = new ArrayList<>();

    @Option(
            names = "--tools-allow-runtime",
            paramLabel = "KIND,...",
            description = "runtime kinds a request's x-tool-runtime header may pick: container, ssh (default: none)")
    String allowRuntimes;

    /**
     * What the command line (or, in router mode, llama-server's variables) set; a null field was
     * not given.
     */
    public record Overrides(
            List<String> enabled,
            String runtime,
            List<McpServerConfig> mcpServers,
            List<Path> roots,
            Set<String> allowedRuntimes) {

        public static final Overrides NONE = new Overrides(null, null, null, null, null);

        /** Whether built-in tools or MCP servers were asked for. */
        public boolean any() {
            return enabled != null || mcpServers != null;
        }

        /** {@code base} with these settings put over it; MCP servers add to the file's. */
        public ToolsConfig applyTo(ToolsConfig base) {
            ToolsConfig.Builder builder = base.toBuilder();
            if (enabled != null) {
                builder.enabled(enabled);
            }
            if (runtime != null) {
                builder.runtime(runtime);
            }
            if (mcpServers != null) {
                builder.addMcpServers(mcpServers);
            }
            if (roots != null) {
                builder.roots(roots);
            }
            if (allowedRuntimes != null) {
                builder.allowedRuntimes(allowedRuntimes);
            }
            return builder.build();
        }
    }

    /**
     * @throws IllegalArgumentException for unreadable MCP configuration or an unknown runtime kind
     */
    Overrides toOverrides(Map<String, String> env) {
        String toolList = tools != null ? tools : env.get("LLAMA_ARG_TOOLS");
        String runtimeSpec = runtime != null ? runtime : env.get("LLAMA_ARG_TOOLS_RUNTIME");
        String json = mcpServersJson != null ? mcpServersJson : env.get("LLAMA_ARG_MCP_SERVERS_JSON");
        String file = mcpServersConfig != null ? mcpServersConfig.toString() : env.get("LLAMA_ARG_MCP_SERVERS_CONFIG");
        List<McpServerConfig> servers = null;
        if (file != null || json != null) {
            servers = new ArrayList<>();
            // the file first, then the inline JSON, as llama-server reads them
            if (file != null) {
                servers.addAll(McpServerConfig.parseFile(Path.of(file)));
            }
            if (json != null) {
                servers.addAll(McpServerConfig.parseJson(json));
            }
        }
        List<Path> rootList = !roots.isEmpty()
                ? roots
                : env.containsKey("SWITCHBOARD_TOOLS_ROOTS")
                        ? Arrays.stream(env.get("SWITCHBOARD_TOOLS_ROOTS").split(java.io.File.pathSeparator))
                                .filter(s -> !s.isBlank())
                                .map(Path::of)
                                .toList()
                        : null;
        Set<String> kinds = null;
        if (allowRuntimes != null) {
            kinds = new LinkedHashSet<>(csv(allowRuntimes));
            for (String kind : kinds) {
                if (!ToolsConfig.RUNTIME_KINDS.contains(kind)) {
                    throw new IllegalArgumentException("--tools-allow-runtime: unknown kind '" + kind + "' (expected "
                            + String.join(", ", ToolsConfig.RUNTIME_KINDS) + ")");
                }
            }
        }
        return new Overrides(toolList != null ? csv(toolList) : null, runtimeSpec, servers, rootList, kinds);
    }

    private static List<String> csv(String value) {
        return Arrays.stream(value.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .toList();
    }
}
