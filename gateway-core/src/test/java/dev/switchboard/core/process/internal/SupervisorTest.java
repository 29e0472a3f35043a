package dev.switchboard.core.process.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.core.process.LogBuffer;
import dev.switchboard.core.spi.LaunchSpec;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Engines started by the supervisor, through a guard started ahead or one started for them. */
class SupervisorTest {
    // words a shell would otherwise split, expand or glob
    private static final List<String> WORDS = List.of("a b", "it's", "$HOME", "*", "", "`id`", "x\\y", "--flag=\"q\"");
    // prints each argument between bars, then $ENGINE_NOTE; then lingers a second, so that its guard's
    // start time can still be read (a guard that has exited has no /proc entry left)
    private static final List<String> ECHO_ENGINE =
            List.of("/bin/sh", "-c", "printf '|%s' \"$@\"; printf '|\\n%s\\n' \"$ENGINE_NOTE\"; sleep 1", "engine");

    @TempDir
    Path dir;

    @Test
    void aGuardStartedAheadRunsTheEngineWithExactlyItsArgumentsAndEnvironment() throws Exception {
        try (Supervisor supervisor = new Supervisor()) {
            supervisor.prepare();
            Thread.sleep(500); // the spare is up long before the start
            Instant started = Instant.now();

            LogBuffer output = new LogBuffer(10);
            ChildProcess child = supervisor.start("m", spec(Map.of("ENGINE_NOTE", "x 'y' $z")), output, s -> {});

            assertThat(ProcessHandle.of(child.pid()).flatMap(p -> p.info().startInstant()))
                    .hasValueSatisfying(guardStart -> assertThat(guardStart).isBefore(started.minusMillis(200)));
            assertThat(outputOf(child, output, 2)).containsExactly("|" + String.join("|", WORDS) + "|", "x 'y' $z");
        }
    }

    @Test
    void aSpecTheSparesLineCannotCarryGetsAGuardOfItsOwn() throws Exception {
        try (Supervisor supervisor = new Supervisor()) {
            supervisor.prepare();
            Thread.sleep(500);
            LaunchSpec inDirectory = LaunchSpec.builder(URI.create("http://127.0.0.1:1"), "m")
                    .command(List.of("/bin/sh", "-c", "pwd; printf '%s\\n' \"$1\"", "engine", "two\nlines"))
                    .workingDirectory(dir)
                    .build();

            LogBuffer output = new LogBuffer(10);
            ChildProcess child = supervisor.start("m", inDirectory, output, s -> {});

            assertThat(outputOf(child, output, 3))
                    .containsExactly(dir.toRealPath().toString(), "two", "lines");
        }
    }

    @Test
    void closingTheSupervisorEndsItsSpareGuardAndLeavesNoFifoWhereverTheSpareWas() throws Exception {
        Set<Path> fifosBefore = fifos();
        for (int round = 0; round < 20; round++) {
            Supervisor supervisor = new Supervisor();
            supervisor.prepare();
            Thread.sleep(round * 3L); // from before the spare's shell runs to long after its set-up
            supervisor.close();
        }

        await().atMost(Duration.ofSeconds(10)).until(() -> guards().isEmpty());
        assertThat(fifos()).isSubsetOf(fifosBefore);
    }

    private static Set<Path> fifos() throws IOException {
        try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return files.filter(file -> file.getFileName().toString().startsWith("switchboard-stdin."))
                    .collect(Collectors.toSet());
        }
    }

    private static LaunchSpec spec(Map<String, String> environment) {
        return LaunchSpec.builder(URI.create("http://127.0.0.1:1"), "m")
                .command(concat(ECHO_ENGINE, WORDS))
                .env(environment)
                .build();
    }

    /** The engine's output once it has exited with code 0 and its {@code count} lines are read. */
    private static List<String> outputOf(ChildProcess child, LogBuffer output, int count) throws Exception {
        assertThat(child.exit().get(10, TimeUnit.SECONDS)).isZero();
        return await().atMost(Duration.ofSeconds(10)).until(output::lines, lines -> lines.size() >= count);
    }

    private static List<ProcessHandle> guards() {
        return ProcessHandle.current()
                .children()
                .filter(p ->
                        p.info().arguments().map(List::of).orElse(List.of()).contains("switchboard-guard"))
                .toList();
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return Stream.concat(a.stream(), b.stream()).toList();
    }
}
