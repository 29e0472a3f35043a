package dev.switchboard.core.lifecycle.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link SchedulerClock#system()}. */
final class SystemSchedulerClock implements SchedulerClock {
    private static final Logger log = LoggerFactory.getLogger(SystemSchedulerClock.class);

    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "switchboard-timers");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicLong failures = new AtomicLong();
    private final Set<String> reported = ConcurrentHashMap.newKeySet();

    @Override
    public Instant now() {
        return Instant.now();
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public Runnable schedule(Duration delay, Runnable task) {
        if (timers.isShutdown()) {
            return () -> {};
        }
        ScheduledFuture<?> future = timers.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
        return () -> future.cancel(false);
    }

    @Override
    public void every(String name, Duration period, Runnable task) {
        // scheduleWithFixedDelay cancels a task for good once it throws: guard it
        timers.scheduleWithFixedDelay(
                () -> {
                    try {
                        task.run();
                    } catch (RuntimeException e) {
                        failures.incrementAndGet();
                        if (reported.add(name)) {
                            log.warn("periodic task '{}' failed; it keeps running", name, e);
                        }
                    }
                },
                period.toNanos(),
                period.toNanos(),
                TimeUnit.NANOSECONDS);
    }

    @Override
    public long taskFailures() {
        return failures.get();
    }

    @Override
    public void close() {
        timers.shutdownNow();
    }
}
