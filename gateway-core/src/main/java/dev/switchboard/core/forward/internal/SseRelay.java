package dev.switchboard.core.forward.internal;

import dev.switchboard.core.forward.ClientGoneException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Copies a response body byte for byte, flushing the output each time an event boundary (a blank
 * line: {@code \n\n} or {@code \r\n\r\n}) has passed, so every server-sent event reaches the client
 * as soon as the engine wrote it. Non-event bodies are relayed the same way with one flush at the
 * end.
 */
public final class SseRelay {
    private static final int BUFFER = 8192;
    private static final int MIN_BUFFER = 64;

    private SseRelay() {}

    /**
     * Relays until the input ends, with a buffer no larger than a body of {@code length} bytes needs
     * (most answers are a few hundred bytes; the buffer is allocated for each of them).
     *
     * @param flushPerEvent whether to flush at each event boundary
     * @param length the body's length, or -1 when unknown
     * @throws ClientGoneException when writing to the client fails (the caller cancels upstream)
     * @throws IOException when reading from the engine fails
     */
    public static long relay(InputStream in, OutputStream out, boolean flushPerEvent, long length) throws IOException {
        byte[] buffer = new byte[length < 0 ? BUFFER : (int) Math.clamp(length, MIN_BUFFER, BUFFER)];
        long total = 0;
        int lineLength = 0; // bytes since the last '\n', ignoring '\r': 0 right after a newline
        boolean sawNewline = false;
        int n;
        while ((n = in.read(buffer)) != -1) {
            boolean boundary = false;
            for (int i = 0; i < n; i++) {
                byte b = buffer[i];
                if (b == '\n') {
                    if (sawNewline && lineLength == 0) {
                        boundary = true;
                    }
                    sawNewline = true;
                    lineLength = 0;
                } else if (b != '\r') {
                    lineLength++;
                }
            }
            try {
                out.write(buffer, 0, n);
                if (flushPerEvent && boundary) {
                    out.flush();
                }
            } catch (IOException e) {
                throw new ClientGoneException(e);
            }
            total += n;
        }
        try {
            out.flush();
        } catch (IOException e) {
            throw new ClientGoneException(e);
        }
        return total;
    }
}
