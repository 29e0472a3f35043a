package dev.switchboard.app.clients;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official {@code ollama}, {@code openai} and {@code @anthropic-ai/sdk} npm libraries, at the
 * versions {@code src/test/node/package-lock.json} pins (installed by the build's {@code npm ci}),
 * run with Node's test runner against a gateway in front of simulated engines. Each library's
 * checks are in {@code src/test/node/*.test.mjs}; any failing check fails this test.
 */
class ClientLibrariesTest {
    private static final Path SCRIPTS = Path.of("src", "test", "node");

    @TempDir
    Path dir;

    @Test
    void theOfficialClientLibrariesPassTheirChecks() throws Exception {
        assertThat(SCRIPTS.resolve("node_modules")).as("npm ci ran").isDirectory();
        Path log = Path.of("target", "node-client-tests.log");
        Files.createDirectories(log.getParent());
        try (ClientsGateway gateway = ClientsGateway.start(dir)) {
            ProcessBuilder node = new ProcessBuilder(List.of(
                            "node", "--test", "--test-concurrency=1", "--test-reporter=spec", "--test-timeout=120000"))
                    .directory(SCRIPTS.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            node.environment().put("SWITCHBOARD_URL", gateway.url());
            node.environment().put("NO_COLOR", "1");
            Process process = node.start();
            boolean exited = process.waitFor(8, TimeUnit.MINUTES);
            if (!exited) {
                process.destroyForcibly().waitFor();
            }
            String output = Files.readString(log);
            System.out.println(output);
            assertThat(exited).as("node finished in time").isTrue();
            assertThat(process.exitValue())
                    .as("node --test exit status; its output is in " + log.toAbsolutePath() + File.separator)
                    .isZero();
            assertThat(output).containsPattern("(?m)^ℹ pass [1-9][0-9]*$").containsPattern("(?m)^ℹ fail 0$");
        }
    }
}
