package dev.switchboard.simulator.internal.cli;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Faults that strike at random, for storms: each a percentage, 0 for never. {@code --sim-start-crash-percent}
 * (exit 3 while loading), {@code --sim-hang-percent} (never finish loading), {@code --sim-error-percent} (answer an
 * inference request 500), {@code --sim-crash-percent} (exit 1 halfway through generating an answer).
 */
public record Faults(int startCrashPercent, int hangPercent, int errorPercent, int crashPercent) {

    public Faults {
        for (int percent : new int[] {startCrashPercent, hangPercent, errorPercent, crashPercent}) {
            if (percent < 0 || percent > 100) {
                throw new UsageException("fault percentages must lie in 0..100, got " + percent);
            }
        }
    }

    /** Whether a fault of this percentage strikes now. */
    public static boolean strikes(int percent) {
        return percent > 0 && ThreadLocalRandom.current().nextInt(100) < percent;
    }
}
