package dev.switchboard.app.stream;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * The bytes of one streamed answer, as the client received them (SSE events), kept up to a cap: past
 * it the oldest bytes are dropped and offsets below the dropped prefix are lost. Offsets count every
 * byte that ever entered the session. One writer (the request relaying the answer), any number of
 * readers.
 */
public final class StreamSession {
    /** How often a blocked reader wakes to ask whether it should stop. */
    private static final long READ_WAKE_MILLIS = 200;

    private final String conversationId;
    private final int capBytes;
    private final long startedAtSeconds;
    // a lock rather than synchronized: a reader waits here for the next bytes, and a monitor wait
    // pins a virtual thread's carrier on Java 21
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private byte[] buffer = new byte[0]; // guarded by lock
    private long droppedPrefix; // guarded by lock
    private boolean done; // guarded by lock
    private long completedAtSeconds; // guarded by lock; 0 while live
    private long completedAtNanos; // guarded by lock
    private volatile boolean cancelled;

    StreamSession(String conversationId, int capBytes, long startedAtSeconds) {
        this.conversationId = conversationId;
        this.capBytes = capBytes;
        this.startedAtSeconds = startedAtSeconds;
    }

    public String conversationId() {
        return conversationId;
    }

    /** Appends bytes; false once the session is finished. */
    boolean append(byte[] data, int offset, int length) {
        lock.lock();
        try {
            if (done) {
                return false;
            }
            if (length == 0) {
                return true;
            }
            int keep = Math.min(length, capBytes);
            int old = Math.min(buffer.length, capBytes - keep);
            byte[] next = new byte[old + keep];
            System.arraycopy(buffer, buffer.length - old, next, 0, old);
            System.arraycopy(data, offset + length - keep, next, old, keep);
            droppedPrefix += buffer.length - old + (length - keep);
            buffer = next;
            changed.signalAll();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Marks the answer complete: readers drain what is left and end. Idempotent. */
    void finish(long nowNanos, long nowSeconds) {
        lock.lock();
        try {
            if (!done) {
                done = true;
                completedAtNanos = nowNanos;
                completedAtSeconds = nowSeconds;
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Asks the writer to stop relaying (a DELETE, or a newer request for the conversation). */
    void cancel() {
        cancelled = true;
    }

    public boolean isCancelled() {
        return cancelled;
    }

    public boolean isDone() {
        lock.lock();
        try {
            return done;
        } finally {
            lock.unlock();
        }
    }

    long completedAtNanos() {
        lock.lock();
        try {
            return done ? completedAtNanos : Long.MAX_VALUE;
        } finally {
            lock.unlock();
        }
    }

    public long totalBytes() {
        lock.lock();
        try {
            return droppedPrefix + buffer.length;
        } finally {
            lock.unlock();
        }
    }

    public long droppedPrefix() {
        lock.lock();
        try {
            return droppedPrefix;
        } finally {
            lock.unlock();
        }
    }

    public long startedAtSeconds() {
        return startedAtSeconds;
    }

    /** Unix seconds when the answer completed, 0 while it is live. */
    public long completedAtSeconds() {
        lock.lock();
        try {
            return completedAtSeconds;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The bytes from {@code offset} on, waiting until some arrive: empty when the session is done and
     * nothing is left past {@code offset}, or when {@code stop} says so; null when {@code offset} lies
     * in the dropped prefix.
     */
    public byte[] readFrom(long offset, BooleanSupplier stop) throws InterruptedException {
        lock.lock();
        try {
            while (true) {
                if (offset < droppedPrefix) {
                    return null;
                }
                long end = droppedPrefix + buffer.length;
                if (offset < end) {
                    return Arrays.copyOfRange(buffer, (int) (offset - droppedPrefix), buffer.length);
                }
                if (done || stop.getAsBoolean()) {
                    return new byte[0];
                }
                changed.await(READ_WAKE_MILLIS, TimeUnit.MILLISECONDS);
            }
        } finally {
            lock.unlock();
        }
    }
}
