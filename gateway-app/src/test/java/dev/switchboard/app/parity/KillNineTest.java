package dev.switchboard.app.parity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.app.Main;
import dev.switchboard.simulator.Journal;
import dev.switchboard.simulator.JournalEvent;
import dev.switchboard.simulator.SimulatorCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway as a real process that dies by {@code kill -9}: no shutdown hook runs, yet no engine
 * outlives it. llama-server children in router mode leave when their stdin reaches end-of-file, as
 * llama.cpp's children do; engines started by the {@code command} backend, which never read stdin,
 * are stopped by the guard the core starts them under. And the ordinary way out, SIGTERM, still
 * stops every engine and exits 0.
 */
class KillNineTest {
    /** How soon after the gateway's death its engines must be gone. */
    private static final Duration ORPHAN_LIMIT = Duration.ofSeconds(2);

    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final Pattern LISTENING = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)");

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final List<ProcessHandle> started = new ArrayList<>();

    @AfterEach
    void killWhatIsLeft() {
        http.close();
        started.forEach(gateway -> gateway.descendants().forEach(ProcessHandle::destroyForcibly));
        started.forEach(ProcessHandle::destroyForcibly);
        // children of a killed gateway are no longer its descendants: find them through the journal
        enginePids().forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
    }

    @Test
    void routerChildrenExitWhenTheGatewayIsKilled() throws Exception {
        RouterUnderTest.addModel(dir, "first");
        RouterUnderTest.addModel(dir, "second");
        Path llamaServer = SimulatorCommand.writeLauncher(dir.resolve("llama-server"));
        Process gateway = startGateway(
                "--models-dir", RouterUnderTest.modelsDir(dir).toString(), "--llama-server", llamaServer.toString());
        int port = awaitPort(gateway);
        askForAnAnswer(port, "first");
        askForAnAnswer(port, "second");
        Set<Long> engines = enginePids();
        assertThat(engines).hasSize(2).allMatch(KillNineTest::running);

        gateway.destroyForcibly(); // SIGKILL: no shutdown hook, no goodbye to the children
        assertThat(gateway.waitFor(10, TimeUnit.SECONDS)).isTrue();
        await().atMost(ORPHAN_LIMIT).untilAsserted(() -> assertThat(engines).noneMatch(KillNineTest::running));
        // they left by themselves on end-of-file (llama-server's status 1), nobody killed them
        assertThat(journal())
                .filteredOn(e -> e.event().equals(JournalEvent.EXIT))
                .hasSize(2)
                .allSatisfy(exit -> assertThat(exit.number("code")).hasValue(1));
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
        Process gateway = startGateway("--config", config.toString());
        int port = awaitPort(gateway);
        askForAnAnswer(port, "first");
        askForAnAnswer(port, "second");
        Set<Long> engines = enginePids();
        List<ProcessHandle> family = gateway.descendants().toList();
        assertThat(engines).hasSize(2).allMatch(KillNineTest::running);

        gateway.destroyForcibly();
        assertThat(gateway.waitFor(10, TimeUnit.SECONDS)).isTrue();

        await().atMost(ORPHAN_LIMIT).untilAsserted(() -> assertThat(engines).noneMatch(KillNineTest::running));
        await().atMost(ORPHAN_LIMIT).untilAsserted(() -> assertThat(family).noneMatch(p -> running(p.pid())));
    }

    @Test
    void sigtermUnloadsEveryRouterChildAndExitsZero() throws Exception {
        RouterUnderTest.addModel(dir, "first");
        RouterUnderTest.addModel(dir, "second");
        Path llamaServer = SimulatorCommand.writeLauncher(dir.resolve("llama-server"));
        Process gateway = startGateway(
                "--models-dir", RouterUnderTest.modelsDir(dir).toString(), "--llama-server", llamaServer.toString());
        int port = awaitPort(gateway);
        askForAnAnswer(port, "first");
        askForAnAnswer(port, "second");
        Set<Long> engines = enginePids();

        gateway.destroy(); // SIGTERM

        assertThat(gateway.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(gateway.exitValue()).as(log()).isZero();
        assertThat(engines).noneMatch(KillNineTest::running);
        // each child was asked to exit (status 0), none was left to find end-of-file
        assertThat(journal())
                .filteredOn(e -> e.event().equals(JournalEvent.EXIT))
                .hasSize(2)
                .allSatisfy(exit -> assertThat(exit.number("code")).hasValue(0));
    }

    /**
     * {@code java dev.switchboard.app.Main ARGS --port 0}, with the engines journaling (children
     * inherit the environment) and no download cache to find.
     */
    private Process startGateway(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName()));
        command.addAll(List.of(args));
        command.addAll(List.of("--port", "0"));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("gateway.log").toFile());
        builder.environment().put("SIM_RECORD", journalFile().toString());
        builder.environment()
                .put(
                        "LLAMA_CACHE",
                        Files.createDirectories(dir.resolve("cache")).toString());
        Process gateway = builder.start();
        started.add(gateway.toHandle());
        return gateway;
    }

    private int awaitPort(Process gateway) {
        return await().atMost(PATIENCE)
                .until(
                        () -> {
                            assertThat(gateway.isAlive()).as(log()).isTrue();
                            Matcher listening = LISTENING.matcher(log());
                            return listening.find() ? Integer.parseInt(listening.group(1)) : 0;
                        },
                        port -> port > 0);
    }

    /** A chat request that makes the gateway start the model's engine, answered. */
    private void askForAnAnswer(int port, String model) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/chat/completions"))
                .timeout(PATIENCE)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(RouterUnderTest.chat(model, 4)))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    private Path journalFile() {
        return dir.resolve("engines.journal");
    }

    private List<JournalEvent> journal() {
        return Journal.read(journalFile());
    }

    private Set<Long> enginePids() {
        return journal().stream()
                .filter(e -> e.event().equals(JournalEvent.START))
                .map(JournalEvent::pid)
                .collect(Collectors.toSet());
    }

    /**
     * Whether the process still runs. A dead orphan stays a zombie until init reaps it, which some
     * init processes (a container's) do only every second or so; {@link ProcessHandle#isAlive()}
     * counts zombies as alive, Linux's {@code /proc/PID/stat} tells them apart.
     */
    private static boolean running(long pid) {
        if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            return false;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            char state = stat.charAt(stat.lastIndexOf(')') + 2); // after "PID (COMMAND) "
            return state != 'Z' && state != 'X';
        } catch (NoSuchFileException e) {
            return false; // reaped meanwhile
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String log() throws IOException {
        Path log = dir.resolve("gateway.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }
}
