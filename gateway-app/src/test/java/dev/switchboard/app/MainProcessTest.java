package dev.switchboard.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gateway as a real process: a signal stops it cleanly, with status 0 and no engine left behind. */
class MainProcessTest {
    @TempDir
    Path dir;

    private Process gateway;

    @AfterEach
    void killWhatIsLeft() {
        if (gateway != null) {
            gateway.descendants().forEach(ProcessHandle::destroyForcibly);
            gateway.destroyForcibly();
        }
    }

    private Process start(Path config, Path log) throws Exception {
        return new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        Main.class.getName(),
                        "--config",
                        config.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }

    @Test
    void sigtermStopsEveryEngineAndExitsZero() throws Exception {
        Path config = Files.writeString(dir.resolve("config.yaml"), """
                server: { port: 0 }
                gpus: none
                backends:
                  run: { type: command }
                models:
                  sleeper:
                    cmd: sleep 300
                    checkEndpoint: none
                    loadOnStartup: true
                """);
        Path log = dir.resolve("gateway.log");
        gateway = start(config, log);

        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(Files.readString(log)).contains("listening on http://127.0.0.1:"));
        ProcessHandle engine = await().atMost(Duration.ofSeconds(30))
                .until(() -> sleeper(gateway.descendants().toList()), Optional::isPresent)
                .orElseThrow();
        List<ProcessHandle> family = gateway.descendants().toList();

        gateway.destroy(); // SIGTERM

        assertThat(gateway.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(gateway.exitValue()).as(Files.readString(log)).isZero();
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(family).noneMatch(ProcessHandle::isAlive));
        assertThat(engine.isAlive()).isFalse();
    }

    private static Optional<ProcessHandle> sleeper(List<ProcessHandle> processes) {
        return processes.stream()
                .filter(p -> p.info().command().map(c -> c.endsWith("/sleep")).orElse(false))
                .findFirst();
    }
}
