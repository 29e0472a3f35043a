package dev.switchboard.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where each engine puts its memory on the simulated GPUs, as the fake nvidia-smi sees it. */
class GpuClaimsTest {

    @TempDir
    Path ledger;

    private final int port = SimulatorProcess.freePort();
    private SimulatorProcess server;

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void llamaSplitsItsMemoryOverItsDevicesByTensorSplit() {
        Ledgers.h100s(ledger, 3, 480);
        server = start(
                Map.of("CUDA_VISIBLE_DEVICES", "2,0"),
                "-m",
                "/models/m.gguf",
                "--device",
                "CUDA0,CUDA1",
                "--tensor-split",
                "3,1",
                "--sim-memory-mb",
                "4000");
        Http.awaitHealthy(port);

        assertThat(Ledgers.usedMib(ledger)).containsExactly(1000, 0, 3000);
    }

    @Test
    void llamaWithoutGpuLayersStaysOnTheCpu() {
        Ledgers.h100s(ledger, 1, 480);
        server = start(Map.of(), "-m", "/models/m.gguf", "-ngl", "0");
        Http.awaitHealthy(port);

        assertThat(Ledgers.usedMib(ledger)).containsExactly(0);
    }

    @Test
    void vllmTakesItsUtilizationOfTensorParallelGpus() {
        Ledgers.h100s(ledger, 3, 480);
        server = start(
                Map.of("CUDA_VISIBLE_DEVICES", "1,2"),
                "serve",
                "Qwen/X",
                "--tensor-parallel-size",
                "2",
                "--gpu-memory-utilization",
                "0.5");
        Http.awaitHealthy(port);

        long half = Ledgers.H100_MIB / 2;
        assertThat(Ledgers.usedMib(ledger)).containsExactly(0, half, half);
    }

    @Test
    void givesMemoryBackWhenItExits() {
        Ledgers.h100s(ledger, 1, 480);
        server = start(Map.of(), "-m", "/models/m.gguf");
        Http.awaitHealthy(port);

        server.terminate();
        server.awaitExit();

        assertThat(Ledgers.usedMib(ledger)).containsExactly(0);
    }

    @Test
    void failsToLoadWhenTheMemoryIsTaken() {
        Ledgers.h100s(ledger, 1, 480);
        server = start(Map.of(), "serve", "Qwen/X");
        Http.awaitHealthy(port);

        try (SimulatorProcess second = SimulatorProcess.start(
                "serve",
                "Qwen/Y",
                "--port",
                Integer.toString(SimulatorProcess.freePort()),
                "--sim-ledger",
                ledger.toString())) {
            assertThat(second.awaitExit()).isEqualTo(1);
            assertThat(second.stderr()).anyMatch(line -> line.startsWith("ValueError: Free memory on device"));
        }
    }

    private SimulatorProcess start(Map<String, String> env, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--port", Integer.toString(port), "--sim-ledger", ledger.toString(), "--sim-load-ms", "0"));
        return SimulatorProcess.start(env, all.toArray(String[]::new));
    }
}
