package dev.switchboard.core.process.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Splits a child's output into lines ({@code \n}, {@code \r\n} or a lone {@code \r} ends one, as
 * {@link java.io.BufferedReader#readLine} has it), reading in batches. An engine writes each log line
 * in several small writes (llama-server: its timestamp, its level, its text; some thirty per request),
 * and a reader that wakes for each one costs the gateway more CPU than relaying the request. So
 * between reads, while {@code pause} says so, the reader sleeps a few milliseconds and lets the pipe
 * gather what the engine writes meanwhile; a full read goes on at once.
 */
final class OutputLines {
    /** At most this many wake-ups a second while pausing: 100; a pipe holds 64 KiB meanwhile. */
    static final Duration PAUSE = Duration.ofMillis(10);

    /** A line longer than this is passed on in pieces of this size. */
    static final int MAX_LINE = 64 * 1024;

    private OutputLines() {}

    /**
     * Reads {@code in} to its end, handing each line to {@code lines} (the last one even without a
     * line break).
     *
     * @param pause whether to sleep before the next read (asked after each read that did not fill the buffer)
     */
    static void read(InputStream in, BooleanSupplier pause, Consumer<String> lines)
            throws IOException, InterruptedException {
        byte[] buffer = new byte[16 * 1024];
        ByteArrayOutputStream line = new ByteArrayOutputStream(256);
        boolean afterCr = false;
        int n;
        while ((n = in.read(buffer)) != -1) {
            int start = 0;
            for (int i = 0; i < n; i++) {
                byte b = buffer[i];
                if (b != '\n' && b != '\r') {
                    afterCr = false;
                    continue;
                }
                if (!(b == '\n' && afterCr)) { // the \n of a \r\n: its line went out at the \r
                    line.write(buffer, start, i - start);
                    emit(line, lines);
                }
                afterCr = b == '\r';
                start = i + 1;
            }
            line.write(buffer, start, n - start);
            while (line.size() >= MAX_LINE) {
                byte[] whole = line.toByteArray();
                lines.accept(new String(whole, 0, MAX_LINE, StandardCharsets.UTF_8));
                line.reset();
                line.write(whole, MAX_LINE, whole.length - MAX_LINE);
            }
            if (n < buffer.length && pause.getAsBoolean()) {
                Thread.sleep(PAUSE);
            }
        }
        if (line.size() > 0) {
            emit(line, lines);
        }
    }

    private static void emit(ByteArrayOutputStream line, Consumer<String> lines) {
        lines.accept(line.toString(StandardCharsets.UTF_8));
        line.reset();
    }
}
