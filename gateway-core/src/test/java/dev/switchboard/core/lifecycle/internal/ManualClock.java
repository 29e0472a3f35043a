package dev.switchboard.core.lifecycle.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/** A clock that moves only when the test says so; due tasks run on the test's thread. */
final class ManualClock implements SchedulerClock {
    private final ReentrantLock lock = new ReentrantLock();
    private final List<Task> tasks = new ArrayList<>();
    private long nanos = 1_000_000_000L;
    private final Instant start = Instant.parse("2026-01-01T00:00:00Z");
    private long failures;
    private long sequence;
    private long onceRuns;

    private final class Task {
        final long order = sequence++;
        long due;
        final long period;
        final Runnable body;
        boolean cancelled;

        Task(long due, long period, Runnable body) {
            this.due = due;
            this.period = period;
            this.body = body;
        }
    }

    @Override
    public Instant now() {
        lock.lock();
        try {
            return start.plusNanos(nanos);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long nanoTime() {
        lock.lock();
        try {
            return nanos;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Runnable schedule(Duration delay, Runnable task) {
        Task scheduled = add(delay, 0, task);
        return () -> {
            lock.lock();
            try {
                scheduled.cancelled = true;
            } finally {
                lock.unlock();
            }
        };
    }

    @Override
    public void every(String name, Duration period, Runnable task) {
        add(period, period.toNanos(), task);
    }

    private Task add(Duration delay, long period, Runnable body) {
        lock.lock();
        try {
            Task task = new Task(nanos + delay.toNanos(), period, body);
            tasks.add(task);
            return task;
        } finally {
            lock.unlock();
        }
    }

    /** Moves time forward, running every task that falls due on the way, in order. */
    void advance(Duration by) {
        long target;
        lock.lock();
        try {
            target = nanos + by.toNanos();
        } finally {
            lock.unlock();
        }
        while (true) {
            Task next;
            lock.lock();
            try {
                next = tasks.stream()
                        .filter(t -> !t.cancelled && t.due <= target)
                        .min(Comparator.<Task>comparingLong(t -> t.due).thenComparingLong(t -> t.order))
                        .orElse(null);
                if (next == null) {
                    nanos = target;
                    return;
                }
                nanos = Math.max(nanos, next.due);
                if (next.period > 0) {
                    next.due += next.period;
                } else {
                    tasks.remove(next);
                    onceRuns++;
                }
            } finally {
                lock.unlock();
            }
            try {
                next.body.run();
            } catch (RuntimeException e) {
                failures++;
            }
        }
    }

    /** How many tasks given to {@link #schedule} have run so far. */
    long onceRuns() {
        lock.lock();
        try {
            return onceRuns;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long taskFailures() {
        return failures;
    }

    @Override
    public void close() {
        lock.lock();
        try {
            tasks.clear();
        } finally {
            lock.unlock();
        }
    }
}
