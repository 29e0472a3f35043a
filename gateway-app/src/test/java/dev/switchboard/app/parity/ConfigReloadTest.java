package dev.switchboard.app.parity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.app.parity.RouterClient.Reply;
import dev.switchboard.simulator.SimulatorCommand;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /api/config/reload} and {@code SIGHUP} re-read the YAML file of a running gateway
 * process: a changed model restarts with its new declaration, an unchanged one keeps its engine, a
 * removed one is unloaded and no longer listed, an added one appears and serves; a bad file is
 * rejected with its file, line and key while the old configuration keeps serving.
 */
class ConfigReloadTest {
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private Path config;
    private EngineJournal journal;
    private GatewayProcess gateway;

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    private String model(String name, String extra) {
        Path llamaServer = SimulatorCommand.writeLauncher(dir.resolve("llama-server"));
        return "  " + name + ":\n    cmd: " + llamaServer + " -m /models/" + name + ".gguf --alias " + name
                + " --port ${PORT} " + extra + "\n";
    }

    private void write(String models) throws IOException {
        Files.writeString(
                config, "server: { port: 0 }\ngpus: none\nbackends:\n  run: { type: command }\nmodels:\n" + models);
    }

    private void start(String models) throws IOException {
        config = dir.resolve("config.yaml");
        write(models);
        journal = new EngineJournal(dir.resolve("engines.journal"));
        gateway = GatewayProcess.start(dir, journal.engineEnvironment(), "--config", config.toString());
    }

    private void answers(String model) {
        Reply reply = gateway.client().post("/v1/chat/completions", RouterClient.chat(model, 2));
        assertThat(reply.status()).as("%s: %s", model, reply.body()).isEqualTo(200);
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    @Test
    void restartsOnlyTheChangedModelUnloadsTheRemovedOneAndServesTheAddedOne() throws IOException {
        start(model("keep", "") + model("change", "") + model("remove", ""));
        List.of("keep", "change", "remove").forEach(this::answers);
        long keep = journal.starts("keep").getFirst().pid();
        long change = journal.starts("change").getFirst().pid();
        long remove = journal.starts("remove").getFirst().pid();
        CompletableFuture<List<String>> events = configEvents(3);

        write(model("keep", "") + model("change", "--sim-tokens-per-second 50") + model("added", ""));
        Reply reload = gateway.client().post("/api/config/reload", "");

        assertThat(reload.status()).as("%s", reload.body()).isEqualTo(200);
        assertThat(reload.body().toString())
                .isEqualTo("{\"added\":[\"added\"],\"changed\":[\"change\"],\"removed\":[\"remove\"]}");
        await().atMost(PATIENCE).until(() -> !alive(remove) && !alive(change));
        assertThat(alive(keep)).isTrue();
        assertThat(gateway.client().modelIds(false)).containsExactly("keep", "change", "added");
        answers("change");
        answers("added");
        answers("keep");
        assertThat(journal.starts("change")).hasSize(2);
        assertThat(journal.starts("change").getLast().args()).contains("--sim-tokens-per-second", "50");
        assertThat(journal.starts("keep")).hasSize(1);
        assertThat(events.join())
                .containsExactlyInAnyOrder(
                        "{\"type\":\"config\",\"model\":\"added\",\"change\":\"added\"",
                        "{\"type\":\"config\",\"model\":\"change\",\"change\":\"changed\"",
                        "{\"type\":\"config\",\"model\":\"remove\",\"change\":\"removed\"");
        await().atMost(PATIENCE)
                .until(() -> gateway.log()
                        .contains("configuration reloaded from " + config
                                + ": added [added], changed [change], removed [remove]"));
        Reply removed = gateway.client().post("/v1/chat/completions", RouterClient.chat("remove", 2));
        assertThat(removed.status()).isEqualTo(404);
    }

    @Test
    void rejectsABadFileWithItsLineAndKeyAndKeepsServingTheOldConfiguration() throws IOException {
        start(model("keep", ""));
        answers("keep");

        Files.writeString(
                config,
                "server: { port: 0 }\ngpus: none\nbackends:\n  run: { type: command }\nmodels:\n  keep:\n"
                        + "    cmd: x\n    ttl: soon\n");
        Reply reload = gateway.client().post("/api/config/reload", "");

        assertThat(reload.status()).isEqualTo(400);
        assertThat(reload.errorType()).isEqualTo("invalid_request_error");
        assertThat(reload.errorMessage())
                .startsWith("configuration rejected, the old one keeps serving: " + config + ":8: models.keep.ttl: ");
        assertThat(gateway.client().modelIds(false)).containsExactly("keep");
        answers("keep");
        assertThat(journal.starts("keep")).hasSize(1);
    }

    @Test
    void rereadsTheFileOnSighup() throws Exception {
        start(model("first", ""));
        answers("first");

        write(model("first", "") + model("second", ""));
        new ProcessBuilder("kill", "-HUP", Long.toString(gateway.process().pid()))
                .start()
                .waitFor(10, TimeUnit.SECONDS);

        // the gateway's log in the message: what it made of the signal
        await().atMost(PATIENCE)
                .untilAsserted(() -> assertThat(gateway.client().modelIds(false))
                        .as("models after SIGHUP; the gateway's log:%n%s", gateway.log())
                        .contains("second"));
        answers("second");
        assertThat(journal.starts("first")).hasSize(1);
    }

    /** The first {@code count} config events on {@code /api/events}, each cut before its time. */
    private CompletableFuture<List<String>> configEvents(int count) {
        BufferedReader events = gateway.client().openAdminEvents();
        return CompletableFuture.supplyAsync(() -> {
            try (events) {
                return events.lines()
                        .filter(line -> line.startsWith("data: {\"type\":\"config\""))
                        .map(line -> line.substring("data: ".length(), line.indexOf(",\"at\"")))
                        .limit(count)
                        .toList();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
