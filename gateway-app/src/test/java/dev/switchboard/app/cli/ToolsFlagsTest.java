package dev.switchboard.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.app.config.ConfigLoader;
import dev.switchboard.tools.ToolsConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** llama-server's /tools flags and the tools: YAML section. */
class ToolsFlagsTest {

    private static ToolsConfig tools(Map<String, String> env, String... args) {
        Invocation invocation = Cli.parse(args, env);
        assertThat(invocation).isInstanceOf(Invocation.Serve.class);
        return ((Invocation.Serve) invocation).options().routerConfig().tools();
    }

    @Test
    void readsLlamaServersToolFlags() {
        ToolsConfig config = tools(
                Map.of(),
                "--tools",
                "read_file,grep_search",
                "--tools-runtime",
                "ssh:box",
                "--mcp-servers-json",
                "{\"mcpServers\":{\"echo\":{\"command\":\"python3\",\"args\":[\"e.py\"],\"timeout_ms\":500}}}",
                "--tools-root",
                "/srv",
                "--tools-allow-runtime",
                "container");
        assertThat(config.enabled()).containsExactly("read_file", "grep_search");
        assertThat(config.runtime()).isEqualTo("ssh:box");
        assertThat(config.mcpServers()).singleElement().satisfies(s -> {
            assertThat(s.name()).isEqualTo("echo");
            assertThat(s.args()).containsExactly("e.py");
            assertThat(s.timeoutMs()).isEqualTo(500);
        });
        assertThat(config.roots()).containsExactly(Path.of("/srv"));
        assertThat(config.allowedRuntimes()).isEqualTo(Set.of("container"));
    }

    @Test
    void toolsAreOffWithoutFlagsAndLlamaServersVariablesTurnThemOn() {
        assertThat(tools(Map.of()).isOn()).isFalse();
        ToolsConfig config = tools(Map.of("LLAMA_ARG_TOOLS", "all", "SWITCHBOARD_TOOLS_ROOTS", "/a:/b"));
        assertThat(config.enabled()).containsExactly("all");
        assertThat(config.roots()).containsExactly(Path.of("/a"), Path.of("/b"));
    }

    @Test
    void invalidMcpJsonOrAMissingFileIsAUsageError() {
        Invocation bad = Cli.parse(new String[] {"--tools", "all", "--mcp-servers-json", "not valid json"}, Map.of());
        assertThat(bad).isInstanceOfSatisfying(Invocation.Exit.class, exit -> {
            assertThat(exit.status()).isEqualTo(2);
            assertThat(exit.text()).contains("failed to parse MCP config JSON");
        });
        Invocation missing = Cli.parse(new String[] {"--mcp-servers-config", "/nonexistent/path.json"}, Map.of());
        assertThat(missing)
                .isInstanceOfSatisfying(
                        Invocation.Exit.class,
                        exit -> assertThat(exit.text())
                                .contains("failed to open MCP config file: /nonexistent/path.json"));
    }

    @Test
    void readsTheToolsSectionOfTheYaml() {
        String yaml = """
                tools:
                  enabled: all
                  roots: [work]
                  allowRuntimes: [ssh]
                  mcpServers:
                    echo: { command: python3, args: [e.py], env: { A: "1" } }
                """;
        ToolsConfig config = ConfigLoader.withEnvironment(Map.of())
                .load("switchboard.yaml", yaml, Path.of("/base"))
                .tools();
        assertThat(config.enabled()).isEqualTo(List.of("all"));
        assertThat(config.roots()).containsExactly(Path.of("/base/work"));
        assertThat(config.allowedRuntimes()).containsExactly("ssh");
        assertThat(config.mcpServers().getFirst().env()).isEqualTo(Map.of("A", "1"));
    }
}
