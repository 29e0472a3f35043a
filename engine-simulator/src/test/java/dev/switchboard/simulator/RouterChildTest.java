package dev.switchboard.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.simulator.internal.json.JsonFields;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A simulated llama-server as the child of a llama.cpp router: its stdout states and its stdin commands. */
class RouterChildTest {

    private static final String STATE = "cmd_child_to_router:state:";
    private static final Map<String, String> CHILD = Map.of("LLAMA_SERVER_ROUTER_PORT", "8080");

    private final int port = SimulatorProcess.freePort();
    private SimulatorProcess child;

    @AfterEach
    void stop() {
        child.close();
    }

    @Test
    void reportsLoadingProgressThenReadyWithModelInfo() {
        child = start(CHILD, "--sim-load-ms", "500");

        awaitStdout(line -> line.startsWith(STATE + "{\"state\":\"ready\""));

        List<JsonFields> states = states();
        assertThat(states.getFirst().string("state")).hasValue("loading");
        assertThat(states.getFirst().object("payload").orElseThrow().values())
                .containsEntry("current", "text_model")
                .containsEntry("value", 0.0);
        assertThat(states.get(states.size() - 2).object("payload").orElseThrow().values())
                .containsEntry("value", 1.0);
        assertThat(states.getLast().object("payload").orElseThrow().string("id"))
                .hasValue("child-model");
    }

    @Test
    void reportsReadyAndInfoLinesInLegacyForm() {
        child = start(CHILD, "--sim-protocol", "legacy");

        awaitStdout(line -> line.startsWith("cmd_child_to_router:info:"));

        List<String> lines = child.stdout();
        assertThat(lines).hasSize(2);
        assertThat(lines.getFirst()).isEqualTo("cmd_child_to_router:ready");
        assertThat(JsonFields.parse(lines.get(1).substring("cmd_child_to_router:info:".length()))
                        .string("id"))
                .hasValue("child-model");
    }

    @Test
    void saysNothingOnStdoutOutsideRouterMode() {
        child = start(Map.of());

        Http.awaitHealthy(port);

        assertThat(child.stdout()).isEmpty();
    }

    @Test
    void exitsWithStatusZeroOnExitCommand() {
        child = start(CHILD);
        Http.awaitHealthy(port);

        child.sendLine("cmd_router_to_child:exit");

        assertThat(child.awaitExit()).isZero();
    }

    @Test
    void exitsWithStatusOneWhenStdinCloses() {
        child = start(CHILD);
        Http.awaitHealthy(port);

        child.closeStdin();

        assertThat(child.awaitExit()).isEqualTo(1);
    }

    @Test
    void sleepsWhenIdleAndWakesForTheNextRequest() {
        child = start(CHILD, "--sleep-idle-seconds", "1");
        awaitStdout(line -> line.equals(STATE + "{\"state\":\"sleeping\",\"payload\":null}"));
        assertThat(Http.json(Http.get(port, "/props")).flag("is_sleeping")).isTrue();

        int status = Http.post(port, "/v1/chat/completions", LlamaServerTest.chat("child-model", false, 1))
                .statusCode();

        assertThat(status).isEqualTo(200);
        assertThat(child.stdout().getLast()).isEqualTo(STATE + "{\"state\":\"ready\",\"payload\":null}");
    }

    private SimulatorProcess start(Map<String, String> env, String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "-m",
                "/models/child.gguf",
                "--alias",
                "child-model",
                "--port",
                Integer.toString(port),
                "--sim-load-ms",
                "0"));
        args.addAll(List.of(extra));
        return SimulatorProcess.start(env, args.toArray(String[]::new));
    }

    private void awaitStdout(Predicate<String> line) {
        await().atMost(SimulatorProcess.PATIENCE)
                .pollInterval(Duration.ofMillis(20))
                .until(() -> child.stdout().stream().anyMatch(line));
    }

    private List<JsonFields> states() {
        return child.stdout().stream()
                .filter(line -> line.startsWith(STATE))
                .map(line -> JsonFields.parse(line.substring(STATE.length())))
                .toList();
    }
}
