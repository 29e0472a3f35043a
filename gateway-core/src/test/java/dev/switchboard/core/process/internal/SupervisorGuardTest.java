package dev.switchboard.core.process.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The guard script on its own: real {@code /bin/sh}, real engines, real signals. */
class SupervisorGuardTest {
    @TempDir
    Path tmp;

    private Process guard(String... engine) throws IOException {
        List<String> command = new ArrayList<>(List.of("/bin/sh", "-c", Supervisor.GUARD, "switchboard-guard"));
        command.addAll(List.of(engine));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("TMPDIR", tmp.toString());
        return builder.start();
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
            Process guard = guard("sleep", "30");
            // the first child still alive but mktemp and mkfifo once they have exec'd: the
            // engine's side, before or after its exec (or one of those two before theirs)
            Optional<ProcessHandle> engine = Optional.empty();
            while (engine.isEmpty() && guard.isAlive()) {
                engine = guard.children()
                        .filter(child -> child.info()
                                .command()
                                .filter(SupervisorGuardTest::isEngine)
                                .isPresent())
                        .min(Comparator.comparingLong(ProcessHandle::pid));
            }
            engine.ifPresent(ProcessHandle::destroyForcibly);

            boolean exited = guard.waitFor(5, TimeUnit.SECONDS);
            if (!exited) {
                guard.descendants().forEach(ProcessHandle::destroyForcibly);
                guard.destroyForcibly();
            }
            assertThat(exited).as("guard of round %d exited", round).isTrue();
            // 125: the guard could not make its FIFO, 137: its engine was killed
            assertThat(guard.exitValue()).isIn(125, 128 + 9);
            assertThat(hasFiles(tmp)).as("FIFO left after round %d", round).isFalse();
            guard.getOutputStream().close();
        }
    }

    private static boolean isEngine(String command) {
        return !command.endsWith("/mktemp") && !command.endsWith("/mkfifo");
    }

    private static boolean hasFiles(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            return files.findAny().isPresent();
        }
    }
}
