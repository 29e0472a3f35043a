package dev.switchboard.core.placement;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.Gateway;
import dev.switchboard.core.GatewayConfig;
import dev.switchboard.core.forward.ProxyRequest;
import dev.switchboard.core.lifecycle.GpuUsage;
import dev.switchboard.core.lifecycle.Lease;
import dev.switchboard.core.lifecycle.SchedulerConfig;
import dev.switchboard.core.spi.ModelDescriptor;
import dev.switchboard.core.testing.CollectingSink;
import dev.switchboard.core.testing.SimulatedEngines;
import dev.switchboard.simulator.FakeNvidiaSmi;
import dev.switchboard.simulator.SimulatorCommand;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Placement end to end on two simulated 24 GiB GPUs: the engines claim memory in the simulator's
 * ledger, the gateway reads it through a fake nvidia-smi, and the ledger itself is the judge.
 */
class GpuPlacementEndToEndTest {
    private static final long GPU_MIB = 24 * 1024;
    private static final int[] MODEL_GIB = {6, 8, 10, 12, 14, 20};

    @TempDir
    Path dir;

    @Test
    void aStormOverSixModelsNeverOverbooksAGpuAndAnswersEveryRequest() throws Exception {
        Path ledger = dir.resolve("ledger");
        Files.createDirectories(ledger);
        Files.writeString(
                ledger.resolve("gpus.csv"),
                "0, GPU-sim-0, Simulated H100, " + GPU_MIB + "\n1, GPU-sim-1, Simulated H100, " + GPU_MIB + "\n");
        SimulatedEngines engines = new SimulatedEngines(dir)
                .scheduler(SchedulerConfig.custom().maxLoaded(0).build());
        for (int gib : MODEL_GIB) {
            engines.model(
                    ModelDescriptor.builder("m" + gib, SimulatedEngines.BACKEND),
                    Map.of("memory", gib + "GiB"),
                    "--sim-memory-mb",
                    Long.toString(gib * 1024L),
                    "--sim-ledger",
                    ledger.toString(),
                    "--sim-tokens-per-second",
                    "400",
                    // a split engine must take memory as the planner split it, as llama-server does
                    "--tensor-split",
                    "${TENSOR_SPLIT}");
        }
        List<String> nvidiaSmi = new ArrayList<>(SimulatorCommand.fakeNvidiaSmiCommand());
        nvidiaSmi.addAll(List.of("--ledger", ledger.toString()));
        GatewayConfig config = engines.config();

        AtomicLong worstMib = new AtomicLong();
        AtomicBoolean storming = new AtomicBoolean(true);
        Thread watcher = Thread.ofPlatform().daemon().start(() -> {
            while (storming.get()) {
                worstMib.accumulateAndGet(FakeNvidiaSmi.mostUsedMib(ledger), Math::max);
                LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
            }
        });
        List<Integer> statuses = new ArrayList<>();
        try (Gateway gateway = Gateway.builder()
                        .config(config)
                        .gpus(GpuInventory.nvidiaSmi(nvidiaSmi, Duration.ofMillis(100)))
                        .shutdownHook(false)
                        .build();
                ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            Random random = new Random(42);
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                String model = "m" + MODEL_GIB[random.nextInt(MODEL_GIB.length)];
                answers.add(clients.submit(() -> {
                    try (Lease lease = gateway.acquire(model, true).join()) {
                        CollectingSink sink = new CollectingSink();
                        gateway.forward(lease, chat(model), sink);
                        return sink.status();
                    }
                }));
            }
            for (Future<Integer> answer : answers) {
                statuses.add(answer.get());
            }
            assertThat(gateway.gpus())
                    .extracting(GpuUsage::reservedBytes)
                    .allSatisfy(reserved -> assertThat(reserved).isLessThanOrEqualTo(GPU_MIB << 20));
        } finally {
            storming.set(false);
            watcher.join();
        }
        assertThat(statuses).hasSize(40).containsOnly(200);
        assertThat(worstMib.get()).isPositive().isLessThanOrEqualTo(GPU_MIB);
        assertThat(engines.livePids()).isEmpty();
    }

    private static ProxyRequest chat(String model) {
        String body =
                "{\"model\":\"" + model + "\",\"max_tokens\":8,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        return new ProxyRequest(
                "POST",
                "/v1/chat/completions",
                Map.of("Content-Type", List.of("application/json")),
                body.getBytes(StandardCharsets.UTF_8));
    }
}
