package dev.switchboard.app.engines;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.app.ServerSettings;
import dev.switchboard.app.http.GatewayServer;
import dev.switchboard.core.Gateway;
import dev.switchboard.core.GatewayConfig;
import dev.switchboard.core.lifecycle.SchedulerConfig;
import dev.switchboard.core.spi.BackendConfig;
import dev.switchboard.core.spi.ModelDescriptor;
import dev.switchboard.simulator.Journal;
import dev.switchboard.simulator.JournalEvent;
import dev.switchboard.simulator.SimulatorCommand;
import dev.switchboard.tools.Tools;
import dev.switchboard.tools.ToolsConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway's tools used with a vLLM model, the way llama.cpp's web UI uses them: the client
 * takes the definitions from {@code GET /tools}, sends them as {@code tools} to the model (here a
 * simulated vLLM, which reaches the engine), runs the tool call through {@code POST /tools} and
 * sends the result back as a {@code tool} message. The simulator does not choose tools itself, so
 * the client plays the model's tool call.
 */
class VllmToolsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void aVllmModelChatsWithTheGatewaysToolDefinitionsAndItsToolCallRunsThroughTools() throws Exception {
        Path journal = dir.resolve("journal.jsonl");
        Path work = Files.createDirectories(dir.resolve("work"));
        Files.writeString(work.resolve("notes.txt"), "the answer is 42\n");
        Map<String, Object> recorded = Map.of("SIM_RECORD", journal.toString(), "SIM_LOAD_MS", "50");
        List<BackendConfig> backends = List.of(
                BackendConfig.of("vllm", "vllm", Map.of("command", SimulatorCommand.javaCommand(), "env", recorded)));
        List<ModelDescriptor> models = List.of(ModelDescriptor.builder("qwen-vllm", "vllm")
                .source("Qwen/Qwen2.5-0.5B-Instruct")
                .build());
        try (Gateway gateway = Gateway.builder()
                .config(new GatewayConfig(SchedulerConfig.ofDefaults(), backends, models))
                .shutdownHook(false)
                .build()) {
            Tools tools = Tools.start(
                    ToolsConfig.custom()
                            .enabled(List.of("read_file"))
                            .roots(List.of(work))
                            .build(),
                    call -> {});
            GatewayServer server =
                    GatewayServer.start(gateway, new ServerSettings("127.0.0.1", 0, List.of(), 1 << 20, false), tools);
            try (HttpClient http =
                    HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
                URI base = URI.create("http://127.0.0.1:" + server.port());
                ArrayNode definitions = JSON.createArrayNode();
                JSON.readTree(send(
                                        http,
                                        HttpRequest.newBuilder(base.resolve("/tools"))
                                                .build())
                                .body())
                        .forEach(tool -> definitions.add(tool.get("definition")));
                assertThat(definitions.findValuesAsText("name")).containsExactly("read_file");

                ObjectNode chat = JSON.createObjectNode().put("model", "qwen-vllm");
                ArrayNode messages = chat.putArray("messages");
                messages.addObject().put("role", "user").put("content", "what does notes.txt say?");
                chat.set("tools", definitions);
                HttpResponse<String> first = post(http, base.resolve("/v1/chat/completions"), chat, "");
                assertThat(first.statusCode()).as(first.body()).isEqualTo(200);

                // the model's tool call, run where the UI runs it: POST /tools
                HttpResponse<String> result = post(
                        http,
                        base.resolve("/tools"),
                        Map.of("tool", "read_file", "params", Map.of("path", "notes.txt")),
                        work.toString());
                String content =
                        JSON.readTree(result.body()).get("plain_text_response").asText();
                assertThat(content).isEqualTo("the answer is 42\n");

                ObjectNode call = messages.addObject().put("role", "assistant");
                call.putArray("tool_calls")
                        .addObject()
                        .put("id", "call-1")
                        .put("type", "function")
                        .putObject("function")
                        .put("name", "read_file")
                        .put("arguments", "{\"path\":\"notes.txt\"}");
                messages.addObject()
                        .put("role", "tool")
                        .put("tool_call_id", "call-1")
                        .put("content", content);
                HttpResponse<String> second = post(http, base.resolve("/v1/chat/completions"), chat, "");
                assertThat(second.statusCode()).as(second.body()).isEqualTo(200);
                assertThat(JSON.readTree(second.body())
                                .at("/choices/0/message/content")
                                .asText())
                        .isNotBlank();
            } finally {
                server.stop(Duration.ofSeconds(5));
            }
        }
        assertThat(Journal.read(journal))
                .filteredOn(e -> e.event().equals(JournalEvent.REQUEST))
                .hasSize(2);
    }

    private static HttpResponse<String> post(HttpClient http, URI uri, Object body, String cwd) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(90))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        if (!cwd.isEmpty()) {
            request.header("x-tool-cwd", cwd);
        }
        return send(http, request.build());
    }

    private static HttpResponse<String> send(HttpClient http, HttpRequest request) throws Exception {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
