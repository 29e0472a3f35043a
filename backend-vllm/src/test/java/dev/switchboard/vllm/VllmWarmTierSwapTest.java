package dev.switchboard.vllm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.Gateway;
import dev.switchboard.core.GatewayConfig;
import dev.switchboard.core.lifecycle.Lease;
import dev.switchboard.core.lifecycle.ModelState;
import dev.switchboard.core.lifecycle.SchedulerConfig;
import dev.switchboard.core.placement.GpuInventory;
import dev.switchboard.core.spi.BackendConfig;
import dev.switchboard.core.spi.ModelDescriptor;
import dev.switchboard.simulator.Journal;
import dev.switchboard.simulator.JournalEvent;
import dev.switchboard.simulator.SimulatorCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * vLLM's sleep mode as the gateway's warm tier: two models that cannot share one simulated 80 GiB
 * GPU take turns by sleeping and waking, not by cold restarts.
 */
class VllmWarmTierSwapTest {
    private static final Logger log = LoggerFactory.getLogger(VllmWarmTierSwapTest.class);

    @TempDir
    Path dir;

    @Test
    void aSecondRequestForASleptModelWakesItInsteadOfStartingItCold() throws Exception {
        Path ledger = Files.createDirectories(dir.resolve("ledger"));
        Files.writeString(ledger.resolve("gpus.csv"), "0, GPU-sim-0, Simulated H100, 81920\n");
        Path journal = dir.resolve("journal.jsonl");
        BackendConfig vllm = BackendConfig.of(
                "vllm",
                "vllm",
                Map.of(
                        "command", SimulatorCommand.javaCommand(),
                        "env",
                                Map.of(
                                        "SIM_RECORD",
                                        journal.toString(),
                                        "SIM_LEDGER",
                                        ledger.toString(),
                                        "SIM_LOAD_MS",
                                        "1500",
                                        "SIM_WAKE_MS",
                                        "100")));
        List<ModelDescriptor> models = new ArrayList<>();
        for (String id : List.of("first", "second")) {
            models.add(ModelDescriptor.builder(id, "vllm")
                    .source("org/" + id)
                    .args(List.of("--gpu-memory-utilization", "0.6"))
                    .options(Map.of("sleep", true))
                    .build());
        }
        List<String> nvidiaSmi = new ArrayList<>(SimulatorCommand.fakeNvidiaSmiCommand());
        nvidiaSmi.addAll(List.of("--ledger", ledger.toString()));

        try (Gateway gateway = Gateway.builder()
                .config(new GatewayConfig(SchedulerConfig.ofDefaults(), List.of(vllm), models))
                .gpus(GpuInventory.nvidiaSmi(nvidiaSmi, Duration.ofMillis(100)))
                .shutdownHook(false)
                .build()) {
            Duration coldStart = timeToLease(gateway, "first");
            timeToLease(gateway, "second");
            assertThat(gateway.status("first").state()).isEqualTo(ModelState.SLEEPING);

            Duration wake = timeToLease(gateway, "first");
            log.info("cold start of 'first' took {} ms; waking it took {} ms", coldStart.toMillis(), wake.toMillis());

            assertThat(gateway.status("first").state()).isEqualTo(ModelState.READY);
            assertThat(gateway.status("second").state()).isEqualTo(ModelState.SLEEPING);
            assertThat(startsOf(journal, "first")).isEqualTo(1);
            assertThat(Journal.read(journal))
                    .extracting(JournalEvent::event)
                    .contains(JournalEvent.SLEEP, JournalEvent.WAKE);
        }
    }

    private static Duration timeToLease(Gateway gateway, String model) throws Exception {
        long started = System.nanoTime();
        try (Lease lease = gateway.acquire(model, true).get(60, TimeUnit.SECONDS)) {
            return Duration.ofNanos(System.nanoTime() - started);
        }
    }

    private static long startsOf(Path journal, String model) {
        return Journal.read(journal).stream()
                .filter(e -> e.event().equals(JournalEvent.START))
                .filter(e -> e.args().contains("org/" + model))
                .count();
    }
}
