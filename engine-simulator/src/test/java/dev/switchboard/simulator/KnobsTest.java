package dev.switchboard.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The simulation knobs that make an engine misbehave on purpose. */
class KnobsTest {

    private final int port = SimulatorProcess.freePort();
    private SimulatorProcess server;

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void crashAtStartExitsWithTheGivenStatusAfterAnErrorLine() {
        server = llama("--sim-crash-at-start=3");

        assertThat(server.awaitExit()).isEqualTo(3);
        assertThat(server.stderr()).anyMatch(line -> line.contains("simulated crash while loading"));
    }

    @Test
    void crashAfterTokensCutsTheStreamShort() {
        server = llama("--sim-crash-after-tokens", "3");
        Http.awaitHealthy(port);

        List<Object> events = Http.eventsUntilCut(port, "/v1/chat/completions", LlamaServerTest.chat("m", true, 10));

        assertThat(Chunks.content(events)).isEqualTo(SimulatedText.text(LlamaServerTest.PROMPT, 3));
        assertThat(events).doesNotContain("[DONE]");
        assertThat(server.awaitExit()).isEqualTo(1);
    }

    @Test
    void hangNeverFinishesLoading() {
        server = llama("--sim-hang");
        await().atMost(SimulatorProcess.PATIENCE).until(() -> Http.status(port, "/health") != 0);

        await().during(Duration.ofSeconds(1))
                .atMost(Duration.ofSeconds(3))
                .until(() -> Http.status(port, "/health") == 503);
    }

    @Test
    void readsKnobsFromTheEnvironment() {
        server = SimulatorProcess.start(
                Map.of("SIM_CRASH_AT_START", "4"), "-m", "/models/m.gguf", "--port", Integer.toString(port));

        assertThat(server.awaitExit()).isEqualTo(4);
    }

    private SimulatorProcess llama(String... knobs) {
        List<String> args = new ArrayList<>(
                List.of("-m", "/models/m.gguf", "--port", Integer.toString(port), "--sim-load-ms", "100"));
        args.addAll(List.of(knobs));
        return SimulatorProcess.start(args.toArray(String[]::new));
    }
}
