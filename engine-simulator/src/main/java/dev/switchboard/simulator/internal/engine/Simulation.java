package dev.switchboard.simulator.internal.engine;

import dev.switchboard.simulator.internal.cli.CommandLine;
import dev.switchboard.simulator.internal.cli.Faults;
import dev.switchboard.simulator.internal.cli.Knobs;
import dev.switchboard.simulator.internal.gpu.Gpu;
import dev.switchboard.simulator.internal.gpu.Ledger;
import dev.switchboard.simulator.internal.gpu.Shortfall;
import dev.switchboard.simulator.internal.gpu.VisibleDevices;
import dev.switchboard.simulator.internal.journal.JournalWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Everything a simulated engine is started with and the machinery all of them share: arguments, knobs, journal,
 * process lifecycle, token generator and the simulated GPUs.
 */
public record Simulation(
        CommandLine line,
        Knobs knobs,
        Map<String, String> env,
        JournalWriter journal,
        Lifecycle lifecycle,
        Generator generator,
        Optional<Ledger> ledger) {

    private static final Duration PROGRESS_INTERVAL = Duration.ofMillis(200);

    /** The ledger's GPUs that {@code CUDA_VISIBLE_DEVICES} lets this process see; none without a ledger. */
    public List<Gpu> visibleGpus() {
        return ledger.map(it -> VisibleDevices.of(Optional.ofNullable(env.get("CUDA_VISIBLE_DEVICES")), it.gpus()))
                .orElse(List.of());
    }

    /**
     * Loads the model: takes its GPU memory, then spends the load time, reporting progress as it goes. Honours the
     * crash and hang knobs; when the memory does not fit, prints the engine's lines for that and exits 1.
     */
    public void load(GpuMemory memory, Function<Shortfall, List<String>> outOfMemory, LoadProgress progress) {
        lifecycle.onExit(memory::release);
        Optional<Shortfall> shortfall = memory.occupy();
        if (shortfall.isPresent()) {
            outOfMemory.apply(shortfall.get()).forEach(Console::log);
            lifecycle.exit(1);
        }
        progress.report(0.0);
        Duration load = knobs.load();
        if (knobs.crashAtStart().isPresent() || Faults.strikes(knobs.faults().startCrashPercent())) {
            Generator.sleep(load.dividedBy(2));
            Console.log("engine-simulator: simulated crash while loading the model");
            lifecycle.exit(knobs.crashAtStart().orElse(3));
        }
        boolean hang = knobs.hang() || Faults.strikes(knobs.faults().hangPercent());
        while (hang) {
            Generator.sleep(Duration.ofHours(1));
        }
        long start = System.nanoTime();
        Duration elapsed = Duration.ZERO;
        while (elapsed.compareTo(load) < 0) {
            Duration left = load.minus(elapsed);
            Generator.sleep(left.compareTo(PROGRESS_INTERVAL) < 0 ? left : PROGRESS_INTERVAL);
            elapsed = Duration.ofNanos(System.nanoTime() - start);
            if (elapsed.compareTo(load) < 0) {
                progress.report((double) elapsed.toMillis() / load.toMillis());
            }
        }
        progress.report(1.0);
    }

    /** Hears how far loading has come, from 0 to 1. */
    @FunctionalInterface
    public interface LoadProgress {

        LoadProgress IGNORE = fraction -> {};

        void report(double fraction);
    }
}
