package dev.switchboard.core.lifecycle.internal;

import java.time.Duration;
import java.time.Instant;

/**
 * Time for the model manager: what time it is, and running tasks later. Injected so that the
 * lifecycle and the queue are tested with a clock the test moves.
 */
public interface SchedulerClock extends AutoCloseable {

    /** Wall-clock time, for last-used stamps and events. */
    Instant now();

    /** A monotonic reading in nanoseconds, for durations. */
    long nanoTime();

    /** Runs the task once after the delay; the returned handle cancels it. */
    Runnable schedule(Duration delay, Runnable task);

    /**
     * Runs the task every period. A task that throws is logged (once per task) and counted, and
     * keeps running.
     */
    void every(String name, Duration period, Runnable task);

    /** How many times periodic tasks have thrown. */
    long taskFailures();

    /** Stops running tasks. */
    @Override
    void close();

    /** The system clock, with one daemon platform thread for the tasks. */
    static SchedulerClock system() {
        return new SystemSchedulerClock();
    }
}
