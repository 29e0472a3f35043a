package dev.switchboard.app.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.app.ServerSettings;
import dev.switchboard.core.Gateway;
import dev.switchboard.core.GatewayConfig;
import dev.switchboard.core.event.GatewayEvent;
import dev.switchboard.core.lifecycle.SchedulerConfig;
import dev.switchboard.core.placement.GpuInventory;
import dev.switchboard.tools.McpServerConfig;
import dev.switchboard.tools.Tools;
import dev.switchboard.tools.ToolsConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /tools} through real HTTP: the built-in tools, confinement, and stdio MCP servers. */
class ToolRoutesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PYTHON = "python3";

    @TempDir
    Path root;

    @TempDir
    Path outside;

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final List<GatewayEvent> events = new CopyOnWriteArrayList<>();
    private Gateway gateway;
    private GatewayServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(Duration.ofSeconds(5));
        }
        if (gateway != null) {
            gateway.close();
        }
    }

    private void start(ToolsConfig config) {
        gateway = Gateway.builder()
                .config(new GatewayConfig(SchedulerConfig.ofDefaults(), List.of(), List.of()))
                .gpus(GpuInventory.none())
                .shutdownHook(false)
                .build();
        gateway.subscribe(events::add);
        Tools tools = Tools.start(
                config,
                call -> gateway.publish(new GatewayEvent.ToolCalled(
                        "",
                        call.tool(),
                        call.type(),
                        call.outcome(),
                        call.detail(),
                        call.took().toMillis(),
                        java.time.Instant.now())));
        server = GatewayServer.start(gateway, new ServerSettings("127.0.0.1", 0, List.of(), 1 << 20, false), tools);
    }

    private void startBuiltins() {
        start(ToolsConfig.custom().enabled(List.of("all")).roots(List.of(root)).build());
    }

    private HttpResponse<String> post(Object body, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/tools"))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode call(String tool, Map<String, Object> params, String... headers) throws Exception {
        HttpResponse<String> res = post(Map.of("tool", tool, "params", params), headers);
        assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
        return JSON.readTree(res.body());
    }

    private HttpResponse<String> get() throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/tools"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void answers403FeatureDisabledWhenNothingIsConfigured() throws Exception {
        start(ToolsConfig.disabled());
        HttpResponse<String> list = get();
        HttpResponse<String> call = post(Map.of("tool", "read_file", "params", Map.of("path", "x")));
        for (HttpResponse<String> res : List.of(list, call)) {
            assertThat(res.statusCode()).isEqualTo(403);
            JsonNode error = JSON.readTree(res.body()).get("error");
            assertThat(error.get("type").asText()).isEqualTo("feature_disabled");
            assertThat(error.get("message").asText()).isEqualTo("this feature is disabled");
        }
    }

    @Test
    void listsTheBuiltinToolsInTheShapeChatCompletionsTake() throws Exception {
        start(ToolsConfig.custom()
                .enabled(List.of("read_file", "grep_search"))
                .roots(List.of(root))
                .build());
        JsonNode tools = JSON.readTree(get().body());
        assertThat(tools).hasSize(2);
        JsonNode read = tools.get(0);
        assertThat(read.get("tool").asText()).isEqualTo("read_file");
        assertThat(read.get("type").asText()).isEqualTo("server");
        assertThat(read.at("/permissions/write").asBoolean()).isFalse();
        assertThat(read.at("/definition/type").asText()).isEqualTo("function");
        assertThat(read.at("/definition/function/parameters/required/0").asText())
                .isEqualTo("path");
    }

    @Test
    void writesReadsAndEditsAFileRelativeToTheCwdHeader() throws Exception {
        startBuiltins();
        String cwd = root.toString();
        JsonNode write =
                call("write_file", Map.of("path", "sub/a.txt", "content", "line1\nline2\nline3\n"), "x-tool-cwd", cwd);
        assertThat(write.get("result").asText()).isEqualTo("file written successfully");
        assertThat(write.get("bytes").asInt()).isEqualTo(18);
        JsonNode edit = call(
                "edit_file",
                Map.of(
                        "path",
                        "sub/a.txt",
                        "edits",
                        List.of(
                                Map.of("old_text", "line2", "new_text", "line2-edited"),
                                Map.of("old_text", "line3\n", "new_text", "line3\nline4\n"))),
                "x-tool-cwd",
                cwd);
        assertThat(edit.get("edits_applied").asInt()).isEqualTo(2);
        JsonNode read =
                call("read_file", Map.of("path", "sub/a.txt", "append_loc", true, "start_line", 2), "x-tool-cwd", cwd);
        assertThat(read.get("plain_text_response").asText())
                .isEqualTo("2\u2192line2-edited\n3\u2192line3\n4\u2192line4\n");
        assertThat(Files.readString(root.resolve("sub/a.txt"))).isEqualTo("line1\nline2-edited\nline3\nline4\n");
    }

    @Test
    void editRejectsNonUniqueAndOverlappingOldText() throws Exception {
        startBuiltins();
        Files.writeString(root.resolve("d.txt"), "dup\ndup\nline1\nline2\n");
        JsonNode dup = call(
                "edit_file",
                Map.of(
                        "path",
                        root.resolve("d.txt").toString(),
                        "edits",
                        List.of(Map.of("old_text", "dup", "new_text", "x"))));
        assertThat(dup.get("error").asText()).contains("found 2 occurrences").contains("unique");
        JsonNode overlap = call(
                "edit_file",
                Map.of(
                        "path",
                        root.resolve("d.txt").toString(),
                        "edits",
                        List.of(
                                Map.of("old_text", "line1\nline2", "new_text", "a"),
                                Map.of("old_text", "line2", "new_text", "b"))));
        assertThat(overlap.get("error").asText()).contains("overlap");
        assertThat(Files.readString(root.resolve("d.txt"))).isEqualTo("dup\ndup\nline1\nline2\n");
    }

    @Test
    void globSearchHonoursDepthLimitTypeAndSkipsJunkDirectories() throws Exception {
        startBuiltins();
        Files.createDirectories(root.resolve("a/b"));
        Files.createDirectories(root.resolve("node_modules/x"));
        Files.writeString(root.resolve("top.txt"), "t");
        Files.writeString(root.resolve("a/mid.txt"), "m");
        Files.writeString(root.resolve("a/b/deep.txt"), "d");
        Files.writeString(root.resolve("node_modules/x/junk.txt"), "j");
        String base = root.toString();
        JsonNode all = call("file_glob_search", Map.of("path", base, "type", "all"));
        List<String> paths = new ArrayList<>();
        all.get("entries").forEach(e -> paths.add(e.get("path").asText()));
        assertThat(paths).contains("node_modules", "a/b/deep.txt").doesNotContain("node_modules/x/junk.txt");
        assertThat(call("file_glob_search", Map.of("path", base, "max_depth", 1))
                        .get("plain_text_response")
                        .asText())
                .contains("top.txt")
                .doesNotContain("mid.txt");
        JsonNode limited = call("file_glob_search", Map.of("path", base, "limit", 1, "include", "*.txt"));
        assertThat(limited.get("entries")).hasSize(1);
        assertThat(limited.get("plain_text_response").asText()).contains("Total matches: 3");
        assertThat(call("file_glob_search", Map.of("path", base, "type", "bogus"))
                        .get("error")
                        .asText())
                .contains("invalid type");
    }

    @Test
    void grepFindsMatchesWithLineNumbers() throws Exception {
        startBuiltins();
        Files.writeString(root.resolve("g.py"), "alpha\nneedle here\nomega\n");
        Files.writeString(root.resolve("h.txt"), "needle too\n");
        JsonNode res = call(
                "grep_search",
                Map.of("path", root.toString(), "pattern", "needle", "include", "*.py", "return_line_numbers", true));
        assertThat(res.get("plain_text_response").asText())
                .contains("g.py:2:needle here")
                .contains("Total matches: 1");
    }

    @Test
    void shellCommandStreamsItsOutputThenTheExitCode() throws Exception {
        startBuiltins();
        HttpResponse<String> res = post(Map.of(
                "tool", "exec_shell_command", "params", Map.of("command", "echo hello; exit 3"), "stream", true));
        assertThat(res.statusCode()).isEqualTo(200);
        assertThat(res.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("text/event-stream"));
        List<JsonNode> events = new ArrayList<>();
        for (String line : res.body().split("\n")) {
            if (line.startsWith("data: ")) {
                events.add(JSON.readTree(line.substring(6)));
            }
        }
        assertThat(events.getLast().get("done").asBoolean()).isTrue();
        StringBuilder chunks = new StringBuilder();
        events.subList(0, events.size() - 1)
                .forEach(e -> chunks.append(e.get("chunk").asText()));
        assertThat(chunks.toString()).contains("hello").contains("[exit code: 3]");
    }

    @Test
    void refusesPathsOutsideTheRootsThroughDotDotAndSymbolicLinks() throws Exception {
        startBuiltins();
        Path secret = Files.writeString(outside.resolve("secret.txt"), "secret");
        Files.createSymbolicLink(root.resolve("link.txt"), secret);
        Files.createSymbolicLink(root.resolve("dir"), outside);
        String relative = root.relativize(secret).toString();
        for (String path : List.of(secret.toString(), relative, "link.txt", "dir/secret.txt")) {
            JsonNode res = call("read_file", Map.of("path", path), "x-tool-cwd", root.toString());
            assertThat(res.get("error").asText()).as(path).contains("outside the allowed directories");
        }
        JsonNode write =
                call("write_file", Map.of("path", "dir/new.txt", "content", "x"), "x-tool-cwd", root.toString());
        assertThat(write.get("error").asText()).contains("outside the allowed directories");
        assertThat(outside.resolve("new.txt")).doesNotExist();
        HttpResponse<String> cwd = post(
                Map.of("tool", "exec_shell_command", "params", Map.of("command", "pwd")),
                "x-tool-cwd",
                outside.toString());
        assertThat(cwd.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(cwd.body()).at("/error/message").asText()).contains("outside the allowed directories");
    }

    @Test
    void rejectsOptionInjectionAndDisabledRuntimes() throws Exception {
        startBuiltins();
        Map<String, Object> body = Map.of("tool", "exec_shell_command", "params", Map.of("command", "echo hi"));
        HttpResponse<String> ssh = post(body, "x-tool-runtime", "ssh:-oProxyCommand=touch /tmp/pwned");
        assertThat(ssh.statusCode()).isEqualTo(500);
        assertThat(ssh.body()).contains("invalid ssh target");
        HttpResponse<String> container = post(body, "x-tool-runtime", "docker-container:--privileged");
        assertThat(container.body()).contains("invalid container id");
        HttpResponse<String> unknown = post(body, "x-tool-runtime", "fake:x");
        assertThat(unknown.statusCode()).isEqualTo(500);
        assertThat(unknown.body()).contains("unknown tool runtime");
        HttpResponse<String> disabled = post(body, "x-tool-runtime", "ssh:host");
        assertThat(disabled.statusCode()).isEqualTo(403);
        assertThat(disabled.body()).contains("tool runtime kind 'ssh' is disabled");
        HttpResponse<String> unknownTool = post(Map.of("tool", "nope", "params", Map.of()));
        assertThat(unknownTool.statusCode()).isEqualTo(404);
    }

    @Test
    void everyCallIsAnEventOnTheGatewayBus() throws Exception {
        startBuiltins();
        call("read_file", Map.of("path", "missing.txt"));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> events.stream()
                        .anyMatch(e -> e instanceof GatewayEvent.ToolCalled t
                                && t.tool().equals("read_file")
                                && t.outcome().equals("error")));
    }

    private McpServerConfig mcp(String name) throws IOException {
        Path script = root.resolve("echo_mcp.py");
        if (!Files.exists(script)) {
            try (var in = getClass().getResourceAsStream("/mcp/echo_mcp.py")) {
                Files.copy(in, script);
            }
        }
        return new McpServerConfig(name, PYTHON, List.of(script.toString()), Map.of(), "", 8000);
    }

    @Test
    void mcpToolsAreListedAndCallableAndACrashedServerIsRespawned() throws Exception {
        start(ToolsConfig.custom()
                .addMcpServers(List.of(
                        mcp("echo"),
                        new McpServerConfig(
                                "broken", "this_command_does_not_exist_12345", List.of(), Map.of(), "", 1000)))
                .build());
        JsonNode tools = JSON.readTree(get().body());
        List<String> names = new ArrayList<>();
        tools.forEach(t -> names.add(t.get("tool").asText()));
        assertThat(names).containsExactly("echo_echo", "echo_crash", "echo_sleep", "echo_pid");
        assertThat(tools.get(0).at("/definition/function/parameters/type").asText())
                .isEqualTo("object");
        assertThat(tools.get(0).get("type").asText()).isEqualTo("mcp");

        assertThat(call("echo_echo", Map.of("message", "hi"))
                        .get("plain_text_response")
                        .asText())
                .isEqualTo("echo: hi");
        long first = call("echo_pid", Map.of()).get("plain_text_response").asLong();
        assertThat(call("echo_crash", Map.of()).get("plain_text_response").asText())
                .isEqualTo("crashing");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> ProcessHandle.of(first).map(p -> !p.isAlive()).orElse(true));
        long second = call("echo_pid", Map.of()).get("plain_text_response").asLong();
        assertThat(second).isNotEqualTo(first);
        assertThat(call("echo_echo", Map.of("message", "again"))
                        .get("plain_text_response")
                        .asText())
                .isEqualTo("echo: again");

        JsonNode slow = call("echo_sleep", Map.of("seconds", 20));
        assertThat(slow.get("error").asText()).isEqualTo("request timed out");

        server.stop(Duration.ofSeconds(5));
        server = null;
        await().atMost(Duration.ofSeconds(10))
                .until(() -> ProcessHandle.of(second).map(p -> !p.isAlive()).orElse(true));
    }

    @Test
    void aBadMcpCommandLeavesTheGatewayServing() throws Exception {
        start(ToolsConfig.custom()
                .enabled(List.of("get_info"))
                .roots(List.of(root))
                .addMcpServers(List.of(new McpServerConfig(
                        "gone", "this_command_does_not_exist_12345", List.of(), Map.of(), "", 1000)))
                .build());
        JsonNode tools = JSON.readTree(get().body());
        assertThat(tools).hasSize(1);
        assertThat(call("get_info", Map.of()).get("cwd").asText())
                .isEqualTo(root.toRealPath().toString());
    }
}
