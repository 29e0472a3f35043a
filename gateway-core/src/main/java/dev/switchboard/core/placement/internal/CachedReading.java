package dev.switchboard.core.placement.internal;

import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * A value read by a slow call and reused for a while. Concurrent callers share one read. A failed
 * read caches nothing, so the next call tries again.
 */
final class CachedReading<T> {
    // a lock rather than synchronized: the read blocks on a process, which would pin a virtual thread
    private final ReentrantLock lock = new ReentrantLock();
    private final Supplier<T> reader;
    private final long ttlNanos;
    private T value;
    private long readAtNanos;

    CachedReading(Supplier<T> reader, Duration ttl) {
        this.reader = reader;
        this.ttlNanos = ttl.toNanos();
    }

    T get() {
        lock.lock();
        try {
            if (value == null || System.nanoTime() - readAtNanos >= ttlNanos) {
                value = reader.get();
                // age counts from when the read finished: a slow read is still fresh afterwards
                readAtNanos = System.nanoTime();
            }
            return value;
        } finally {
            lock.unlock();
        }
    }

    void invalidate() {
        lock.lock();
        try {
            value = null;
        } finally {
            lock.unlock();
        }
    }
}
