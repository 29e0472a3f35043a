package dev.switchboard.tools;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What {@code /tools} offers, as llama-server's flags set it. Immutable; build one with {@link
 * #custom()}. Off by default: with no tools and no MCP servers, {@code /tools} answers 403 {@code
 * feature_disabled}.
 *
 * @param enabled built-in tools by name, or {@code all} ({@code --tools}); empty: none
 * @param runtime where every call runs unless a request names one ({@code --tools-runtime}): empty
 *     for the gateway's host, {@code docker:IMAGE} / {@code podman:IMAGE} for a container the
 *     gateway spawns and removes, {@code docker-container:ID}, {@code podman-container:ID} or {@code
 *     ssh:[USER@]HOST}
 * @param mcpServers stdio MCP servers ({@code --mcp-servers-json}, {@code --mcp-servers-config})
 * @param roots directories the built-in tools may work in on the host: every path and working
 *     directory must lie inside one of them (symbolic links resolved); empty means the gateway's
 *     working directory
 * @param allowedRuntimes the runtime kinds a request's {@code x-tool-runtime} header may choose
 *     besides the host: {@code container}, {@code ssh}; the kind of {@link #runtime} is always
 *     allowed
 */
public record ToolsConfig(
        List<String> enabled,
        String runtime,
        List<McpServerConfig> mcpServers,
        List<Path> roots,
        Set<String> allowedRuntimes) {

    /** The kinds {@link #allowedRuntimes} may name. */
    public static final List<String> RUNTIME_KINDS = List.of("container", "ssh");

    public ToolsConfig {
        enabled = List.copyOf(enabled);
        runtime = Objects.requireNonNullElse(runtime, "");
        mcpServers = List.copyOf(mcpServers);
        roots = List.copyOf(roots);
        allowedRuntimes = Set.copyOf(allowedRuntimes);
        for (String kind : allowedRuntimes) {
            if (!RUNTIME_KINDS.contains(kind)) {
                throw new IllegalArgumentException(
                        "unknown tool runtime kind '" + kind + "' (expected one of " + RUNTIME_KINDS + ")");
            }
        }
    }

    /** No tools, no MCP servers: {@code /tools} is off. */
    public static ToolsConfig disabled() {
        return custom().build();
    }

    public static Builder custom() {
        return new Builder();
    }

    /** A builder that starts from this configuration. */
    public Builder toBuilder() {
        Builder builder = new Builder();
        builder.enabled = new ArrayList<>(enabled);
        builder.runtime = runtime;
        builder.mcpServers = new ArrayList<>(mcpServers);
        builder.roots = new ArrayList<>(roots);
        builder.allowedRuntimes = new LinkedHashSet<>(allowedRuntimes);
        return builder;
    }

    /** Whether {@code /tools} serves anything: a built-in tool or an MCP server is configured. */
    public boolean isOn() {
        return !enabled.isEmpty() || !mcpServers.isEmpty();
    }

    public static final class Builder {
        private List<String> enabled = new ArrayList<>();
        private String runtime = "";
        private List<McpServerConfig> mcpServers = new ArrayList<>();
        private List<Path> roots = new ArrayList<>();
        private Set<String> allowedRuntimes = new LinkedHashSet<>();

        private Builder() {}

        public Builder enabled(List<String> value) {
            enabled = new ArrayList<>(value);
            return this;
        }

        public Builder runtime(String value) {
            runtime = value;
            return this;
        }

        /** Adds servers; a name already present is skipped, as llama-server skips duplicates. */
        public Builder addMcpServers(List<McpServerConfig> value) {
            for (McpServerConfig server : value) {
                if (mcpServers.stream().noneMatch(s -> s.name().equals(server.name()))) {
                    mcpServers.add(server);
                }
            }
            return this;
        }

        public Builder roots(List<Path> value) {
            roots = new ArrayList<>(value);
            return this;
        }

        public Builder allowedRuntimes(Set<String> value) {
            allowedRuntimes = new LinkedHashSet<>(value);
            return this;
        }

        public ToolsConfig build() {
            return new ToolsConfig(enabled, runtime, mcpServers, roots, allowedRuntimes);
        }
    }
}
