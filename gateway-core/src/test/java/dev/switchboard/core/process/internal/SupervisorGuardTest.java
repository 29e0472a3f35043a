package dev.switchboard.core.process.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The guard script on its own: real {@code /bin/sh}, real engines, real signals. */
class SupervisorGuardTest {
    @TempDir
    Path tmp;

    /** A guard for the engine in its arguments, told so at once (an empty first line). */
    private Process guard(String... engine) throws IOException {
        Process guard = spare(engine);
        ChildProcess.writeLine(guard, "");
        return guard;
    }

    /** A guard that waits for its engine's command line. */
    private Process spare(String... engine) throws IOException {
        List<String> command = new ArrayList<>(List.of("/bin/sh", "-c", Supervisor.GUARD, "switchboard-guard"));
        command.addAll(List.of(engine));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("TMPDIR", tmp.toString());
        return builder.start();
    }

    @Test
    void aGuardWhoseGatewaysPipeEndsBeforeAnyCommandExitsAndLeavesNoFifo() throws Exception {
        Process spare = spare();

        spare.getOutputStream().close();

        assertThat(spare.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(spare.exitValue()).isZero();
        assertThat(spare.getInputStream().readAllBytes()).isEmpty();
        assertThat(tmp).isEmptyDirectory();
    }

    @Test
    void theGatewaysLinesReachTheEnginesStdinAndTheEnginesCodeIsTheGuards() throws Exception {
        Process guard = guard("sh", "-c", "read line; echo \"got $line\"; exit 4");
        // kept open: the end of the gateway's pipe means the gateway died, and the guard kills
        try (OutputStream stdin = guard.getOutputStream()) {
            stdin.write("exit\n".getBytes(StandardCharsets.UTF_8));
            stdin.flush();
            assertThat(guard.waitFor(10, TimeUnit.SECONDS)).isTrue();
        }

        assertThat(new String(guard.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                .isEqualTo("got exit\n");
        assertThat(guard.exitValue()).isEqualTo(4);
        assertThat(tmp).isEmptyDirectory();
    }

    @Test
    void anEngineKilledAtAnyPointOfItsStartDoesNotLeaveTheGuardWaiting() throws Exception {
        // the gateway's pipe stays open, so only the engine's death can end the guard
        for (int round = 0; round < 50; round++) {
            Process guard;
            try (WatchService watch = tmp.getFileSystem().newWatchService()) {
                tmp.register(watch, StandardWatchEventKinds.ENTRY_DELETE);
                guard = spare();
                // its FIFO's name removed: nothing but the engine's command is left to wait for
                assertThat(watch.poll(10, TimeUnit.SECONDS))
                        .as("FIFO removed in round %d", round)
                        .isNotNull();
            }
            Set<Long> setUp = guard.children().map(ProcessHandle::pid).collect(Collectors.toSet()); // rm, exiting
            ChildProcess.writeLine(guard, "set -- sleep 30");
            // the first of its children (the engine's side, then the one that feeds its stdin),
            // before or after its exec
            Optional<ProcessHandle> engine = Optional.empty();
            while (engine.isEmpty() && guard.isAlive()) {
                engine = guard.children()
                        .filter(child -> !setUp.contains(child.pid()))
                        .min(Comparator.comparingLong(ProcessHandle::pid));
            }
            engine.ifPresent(ProcessHandle::destroyForcibly);

            boolean exited = guard.waitFor(5, TimeUnit.SECONDS);
            if (!exited) {
                guard.descendants().forEach(ProcessHandle::destroyForcibly);
                guard.destroyForcibly();
            }
            assertThat(exited).as("guard of round %d exited", round).isTrue();
            assertThat(guard.exitValue()).isEqualTo(128 + 9);
            assertThat(tmp).isEmptyDirectory();
            guard.getOutputStream().close();
        }
    }
}
