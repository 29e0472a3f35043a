package dev.switchboard.app.parity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.app.parity.RouterClient.Reply;
import dev.switchboard.simulator.JournalEvent;
import dev.switchboard.simulator.SimulatorCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway as a real process that dies by {@code kill -9}: no shutdown hook runs, yet no engine
 * outlives it. Every engine runs under the core's guard, which ends it when the gateway's pipe
 * closes: llama-server children in router mode (loaded ones leave by themselves on end-of-file,
 * ones still loading do not watch stdin yet), and engines of the {@code command} backend, which
 * never read stdin. And the ordinary way out, SIGTERM, still stops every engine and exits 0.
 */
class KillNineTest {
    /** How soon after the gateway's death its engines must be gone. */
    private static final Duration ORPHAN_LIMIT = Duration.ofSeconds(2);

    @TempDir
    Path dir;

    private EngineJournal journal;
    private GatewayProcess gateway;

    @AfterEach
    void killWhatIsLeft() {
        if (gateway != null) {
            gateway.close();
        }
        // the engines of a killed gateway are no longer its descendants: the journal knows them
        if (journal != null) {
            journal.pids().forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        }
    }

    /** {@code switchboard --models-dir DIR/models --llama-server SIMULATOR}, serving two models. */
    private void startRouter() {
        ModelsDir.addModel(dir, "first");
        ModelsDir.addModel(dir, "second");
        Path llamaServer = SimulatorCommand.writeLauncher(dir.resolve("llama-server"));
        start("--models-dir", ModelsDir.of(dir).toString(), "--llama-server", llamaServer.toString());
    }

    private void start(String... args) {
        journal = new EngineJournal(dir.resolve("engines.journal"));
        gateway = GatewayProcess.start(dir, journal.engineEnvironment(), args);
    }

    private void startWithEngineEnv(Map<String, String> env, String... args) {
        journal = new EngineJournal(dir.resolve("engines.journal"));
        Map<String, String> engineEnv = new HashMap<>(journal.engineEnvironment());
        engineEnv.putAll(env);
        gateway = GatewayProcess.start(dir, engineEnv, args);
    }

    /** A chat request that makes the gateway start the model's engine, answered. */
    private void askForAnAnswer(String model) {
        Reply reply = gateway.client().post("/v1/chat/completions", RouterClient.chat(model, 4));
        assertThat(reply.status()).as("%s", reply.body()).isEqualTo(200);
    }

    @Test
    void routerChildrenExitWhenTheGatewayIsKilled() throws Exception {
        startRouter();
        askForAnAnswer("first");
        askForAnAnswer("second");
        Set<Long> engines = journal.pids();
        assertThat(engines).hasSize(2).allMatch(Pids::running);

        gateway.process().destroyForcibly(); // SIGKILL: no shutdown hook, no goodbye to the children
        assertThat(gateway.process().waitFor(10, TimeUnit.SECONDS)).isTrue();

        await().atMost(ORPHAN_LIMIT).untilAsserted(() -> assertThat(engines).noneMatch(Pids::running));
    }

    @Test
    void aRouterChildStillLoadingIsStoppedWhenTheGatewayIsKilled() throws Exception {
        ModelsDir.addModel(dir, "slow");
        Path llamaServer = SimulatorCommand.writeLauncher(dir.resolve("llama-server"));
        // like llama-server, the simulated child reads its stdin only once its model has loaded
        startWithEngineEnv(
                Map.of("SIM_LOAD_MS", "600000"),
                "--models-dir",
                ModelsDir.of(dir).toString(),
                "--llama-server",
                llamaServer.toString());
        CompletableFuture<Reply> waiting =
                gateway.client().postAsync("/v1/chat/completions", RouterClient.chat("slow", 4));
        await().atMost(Duration.ofSeconds(30)).until(() -> !journal.pids().isEmpty());
        Set<Long> engines = journal.pids();
        List<ProcessHandle> family = gateway.process().descendants().toList();

        gateway.process().destroyForcibly();
        assertThat(gateway.process().waitFor(10, TimeUnit.SECONDS)).isTrue();

        await().atMost(ORPHAN_LIMIT).untilAsserted(() -> assertThat(engines).noneMatch(Pids::running));
        await().atMost(ORPHAN_LIMIT).untilAsserted(() -> assertThat(family).noneMatch(p -> Pids.running(p.pid())));
        assertThat(waiting).failsWithin(Duration.ofSeconds(10));
    }

    @Test
    void guardedCommandChildrenAreStoppedWhenTheGatewayIsKilled() throws Exception {
        Path simulator = SimulatorCommand.writeLauncher(dir.resolve("simulator"));
        // the simulator playing vLLM, which (like vLLM) never reads its stdin
        String model = """
                  %1$s:
                    cmd: %2$s serve %1$s --host 127.0.0.1 --port ${PORT}
                """;
        Path config = Files.writeString(
                dir.resolve("config.yaml"),
                "server: { port: 0 }\ngpus: none\nbackends:\n  run: { type: command }\nmodels:\n"
                        + model.formatted("first", simulator)
                        + model.formatted("second", simulator));
        start("--config", config.toString());
        askForAnAnswer("first");
        askForAnAnswer("second");
        Set<Long> engines = journal.pids();
        List<ProcessHandle> family = gateway.process().descendants().toList();
        assertThat(engines).hasSize(2).allMatch(Pids::running);

        gateway.process().destroyForcibly();
        assertThat(gateway.process().waitFor(10, TimeUnit.SECONDS)).isTrue();

        await().atMost(ORPHAN_LIMIT).untilAsserted(() -> assertThat(engines).noneMatch(Pids::running));
        // the guards too
        await().atMost(ORPHAN_LIMIT).untilAsserted(() -> assertThat(family).noneMatch(p -> Pids.running(p.pid())));
    }

    @Test
    void guardedCommandChildrenAreStoppedWhenTheGatewayIsKilledUnderLoad() throws Exception {
        Path simulator = SimulatorCommand.writeLauncher(dir.resolve("simulator"));
        String model = """
                  %1$s:
                    cmd: %2$s serve %1$s --host 127.0.0.1 --port ${PORT} --sim-tokens-per-second 20
                """;
        Path config = Files.writeString(
                dir.resolve("config.yaml"),
                "server: { port: 0 }\ngpus: none\nbackends:\n  run: { type: command }\nmodels:\n"
                        + model.formatted("first", simulator)
                        + model.formatted("second", simulator)
                        + model.formatted("third", simulator));
        start("--config", config.toString());
        List<CompletableFuture<Reply>> load = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            String name = List.of("first", "second", "third").get(i % 3);
            load.add(gateway.client().postAsync("/v1/chat/completions", RouterClient.busyChat(name)));
        }
        // every engine is answering when the gateway dies
        await().atMost(Duration.ofSeconds(60))
                .until(() -> journal.events().stream()
                                .filter(e -> e.event().equals(JournalEvent.REQUEST))
                                .map(e -> e.text("model").orElse(""))
                                .distinct()
                                .count()
                        == 3);
        Set<Long> engines = journal.pids();
        List<ProcessHandle> family = gateway.process().descendants().toList();
        assertThat(engines).hasSize(3).allMatch(Pids::running);

        gateway.process().destroyForcibly();
        assertThat(gateway.process().waitFor(10, TimeUnit.SECONDS)).isTrue();

        await().atMost(ORPHAN_LIMIT).untilAsserted(() -> assertThat(engines).noneMatch(Pids::running));
        await().atMost(ORPHAN_LIMIT).untilAsserted(() -> assertThat(family).noneMatch(p -> Pids.running(p.pid())));
        // the clients were cut off, none was left hanging
        for (CompletableFuture<Reply> reply : load) {
            assertThat(reply).failsWithin(Duration.ofSeconds(10));
        }
    }

    @Test
    void sigtermUnloadsEveryRouterChildAndExitsZero() throws Exception {
        startRouter();
        askForAnAnswer("first");
        askForAnAnswer("second");
        Set<Long> engines = journal.pids();

        gateway.process().destroy(); // SIGTERM

        assertThat(gateway.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(gateway.process().exitValue()).as(gateway.log()).isZero();
        assertThat(engines).noneMatch(Pids::running);
        // each child was asked to exit (status 0), none was left to find end-of-file
        assertThat(journal.exits())
                .hasSize(2)
                .allSatisfy(exit -> assertThat(exit.number("code")).hasValue(0));
    }
}
