package dev.switchboard.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ways other modules' tests start the simulator. */
class SimulatorCommandTest {

    @TempDir
    Path dir;

    @Test
    void javaCommandRunsTheSimulatorMainFromItsOwnClasses() {
        List<String> command = SimulatorCommand.javaCommand();

        assertThat(command.getFirst()).endsWith("/bin/java");
        assertThat(command).containsSubsequence("-cp", command.get(command.size() - 2), Main.class.getName());
        assertThat(Path.of(command.get(command.size() - 2))).exists();
    }

    @Test
    void launcherScriptStartsTheEngineItsArgumentsName() throws IOException, InterruptedException {
        Path vllm = SimulatorCommand.writeLauncher(dir.resolve("vllm"));
        int port = SimulatorProcess.freePort();

        Process process = new ProcessBuilder(
                        vllm.toString(), "serve", "Qwen/X", "--port", Integer.toString(port), "--sim-load-ms", "0")
                .start();
        try {
            Http.awaitHealthy(port);
            assertThat(Http.json(Http.get(port, "/v1/models"))
                            .objects("data")
                            .getFirst()
                            .string("owned_by"))
                    .hasValue("vllm");
        } finally {
            process.destroy();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void fakeNvidiaSmiScriptAnswersFromTheLedgerInSimLedger() throws IOException, InterruptedException {
        Path nvidiaSmi = SimulatorCommand.writeFakeNvidiaSmi(dir.resolve("nvidia-smi"));
        Ledgers.h100s(dir, 2, 480);

        ProcessBuilder builder = new ProcessBuilder(nvidiaSmi.toString(), "--query-gpu=index", "--format=csv,noheader");
        builder.environment().put("SIM_LEDGER", dir.toString());
        Process process = builder.start();

        assertThat(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                .isEqualTo("0\n1\n");
        assertThat(process.waitFor()).isZero();
    }

    @Test
    void binScriptRunsUnderTheNameFakeNvidiaSmi() throws IOException, InterruptedException {
        Ledgers.h100s(dir, 1, 480);

        ProcessBuilder builder = new ProcessBuilder(
                Path.of("bin", "fake-nvidia-smi").toAbsolutePath().toString(),
                "--ledger",
                dir.toString(),
                "--query-gpu=name",
                "--format=csv,noheader");
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process process = builder.start();

        assertThat(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                .isEqualTo("NVIDIA H100 80GB HBM3\n");
        assertThat(process.waitFor()).isZero();
    }

    @Test
    void writesAnExecutableShellScriptThatExecsJava() throws IOException {
        Path launcher = SimulatorCommand.writeLauncher(dir.resolve("llama-server"));

        assertThat(Files.isExecutable(launcher)).isTrue();
        assertThat(Files.readString(launcher)).startsWith("#!/bin/sh\n").contains("exec '");
    }
}
