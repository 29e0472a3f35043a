package dev.switchboard.core.process;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The last lines an engine child printed (stdout and stderr together), kept in a ring so a crashed
 * engine's last words can be shown, and offered live to subscribers such as a log stream.
 */
public final class LogBuffer {
    private final int capacity;
    private final ArrayDeque<String> lines;
    private final List<Consumer<String>> subscribers = new CopyOnWriteArrayList<>();

    public LogBuffer(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        this.capacity = capacity;
        this.lines = new ArrayDeque<>(capacity);
    }

    public void append(String line) {
        synchronized (lines) {
            if (lines.size() == capacity) {
                lines.removeFirst();
            }
            lines.addLast(line);
        }
        for (Consumer<String> subscriber : subscribers) {
            subscriber.accept(line);
        }
    }

    /** The buffered lines, oldest first. */
    public List<String> lines() {
        synchronized (lines) {
            return new ArrayList<>(lines);
        }
    }

    /** The last {@code n} lines, oldest first. */
    public List<String> tail(int n) {
        List<String> all = lines();
        return all.subList(Math.max(0, all.size() - n), all.size());
    }

    /**
     * Sends every future line to the subscriber until the returned handle is closed.
     */
    public AutoCloseable subscribe(Consumer<String> subscriber) {
        subscribers.add(subscriber);
        return () -> subscribers.remove(subscriber);
    }
}
