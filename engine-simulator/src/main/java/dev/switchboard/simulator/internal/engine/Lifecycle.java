package dev.switchboard.simulator.internal.engine;

import dev.switchboard.simulator.JournalEvent;
import dev.switchboard.simulator.internal.journal.JournalWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * How the simulated engine process ends. Every way out (its own exit, SIGTERM, SIGINT) runs the cleanups, such as
 * giving back GPU memory, and journals the exit status.
 *
 * <p>The real engines catch SIGTERM and SIGINT, shut down gracefully and exit 0, where a JVM would report 143 or 130;
 * so when a signal ends the process, the shutdown hook ends it with status 0 itself.
 */
public final class Lifecycle {

    private static final Duration RESPONSE_GRACE = Duration.ofMillis(100);

    /** Set once this process decides to exit; stays {@code null} when a signal ends it. */
    private volatile Integer chosenStatus;

    private final JournalWriter journal;
    private final Duration shutdown;
    private final List<Runnable> cleanups = new CopyOnWriteArrayList<>();

    /** @param shutdown how long the way out takes before the cleanups ({@code --sim-exit-ms}) */
    public Lifecycle(JournalWriter journal, Duration shutdown) {
        this.journal = journal;
        this.shutdown = shutdown;
        Runtime.getRuntime().addShutdownHook(new Thread(this::shutDown, "engine-simulator-shutdown"));
    }

    /** Runs {@code cleanup} when the process ends, however it ends (except SIGKILL). */
    public void onExit(Runnable cleanup) {
        cleanups.add(cleanup);
    }

    /** Ends the process with {@code status}; never returns. */
    public void exit(int status) {
        synchronized (this) {
            if (chosenStatus == null) {
                chosenStatus = status;
            }
        }
        System.exit(chosenStatus);
        throw new IllegalStateException("unreachable");
    }

    /**
     * Ends the process with {@code status} shortly, once the response being written has gone out: for the failures
     * where a real engine answers the request that killed it and then dies.
     */
    public void exitSoon(int status) {
        Thread.ofPlatform().name("engine-simulator-exit").start(() -> {
            Generator.sleep(RESPONSE_GRACE);
            exit(status);
        });
    }

    private void shutDown() {
        Generator.sleep(shutdown);
        for (Runnable cleanup : cleanups) {
            try {
                cleanup.run();
            } catch (RuntimeException e) {
                Console.log("engine-simulator: cleanup failed: " + e);
            }
        }
        Integer status = chosenStatus;
        journal.write(JournalEvent.EXIT, Map.of("code", status == null ? 0 : status));
        System.out.flush();
        System.err.flush();
        if (status == null) {
            Runtime.getRuntime().halt(0);
        }
    }
}
