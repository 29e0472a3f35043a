package dev.switchboard.simulator.internal.engine;

import dev.switchboard.simulator.JournalEvent;
import dev.switchboard.simulator.internal.gpu.Shortfall;
import dev.switchboard.simulator.internal.journal.JournalWriter;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Whether the loaded model sits in GPU memory or sleeps: vLLM's sleep mode, SGLang's released memory occupation,
 * llama-server's idle sleep. Transitions take the simulated time and happen one at a time.
 */
public final class Residency {

    private final GpuMemory memory;
    private final JournalWriter journal;
    private final Duration sleepTime;
    private final Duration wakeTime;
    private boolean asleep;

    public Residency(GpuMemory memory, JournalWriter journal, Duration sleepTime, Duration wakeTime) {
        this.memory = memory;
        this.journal = journal;
        this.sleepTime = sleepTime;
        this.wakeTime = wakeTime;
    }

    public synchronized boolean asleep() {
        return asleep;
    }

    /**
     * Falls asleep, giving the GPU memory back when {@code releaseMemory} (SGLang without its memory saver goes
     * through the motions but keeps the memory).
     */
    public synchronized void sleep(int level, boolean releaseMemory) {
        if (asleep) {
            return;
        }
        Generator.sleep(sleepTime);
        if (releaseMemory) {
            memory.release();
        }
        asleep = true;
        journal.write(JournalEvent.SLEEP, Map.of("level", level, "released", releaseMemory));
    }

    /** Wakes up and takes the memory back; when it no longer fits, stays asleep and reports where it did not. */
    public synchronized Optional<Shortfall> wake() {
        if (!asleep) {
            return Optional.empty();
        }
        Generator.sleep(wakeTime);
        Optional<Shortfall> shortfall = memory.occupy();
        if (shortfall.isEmpty()) {
            asleep = false;
            journal.write(JournalEvent.WAKE, Map.of());
        }
        return shortfall;
    }
}
