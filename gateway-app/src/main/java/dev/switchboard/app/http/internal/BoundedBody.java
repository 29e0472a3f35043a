package dev.switchboard.app.http.internal;

import dev.switchboard.core.GatewayException;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;

/** A request body, refused once it is larger than the configured limit: read whole, or streamed. */
public final class BoundedBody {
    // arrays cannot be much larger than this; a larger configured limit reads as "no practical limit"
    private static final long LARGEST_ARRAY = Integer.MAX_VALUE - 16;
    /**
     * How much of a refused body is read and dropped before the 413 goes out: closing a connection
     * with unread bytes makes the kernel reset it, and the client may then see the reset instead of
     * the answer (nginx's lingering close does the same). Past this, the client gets the reset.
     */
    private static final long DRAIN_LIMIT = 32L * 1024 * 1024;

    private BoundedBody() {}

    /**
     * The body's bytes.
     *
     * @throws GatewayException 413 when the body (declared or read) exceeds {@code maxBytes}, 400 when it
     *     cannot be read whole
     */
    public static byte[] read(HttpServletRequest request, long maxBytes) {
        try (InputStream in = stream(request, Math.min(maxBytes, LARGEST_ARRAY))) {
            long declared = request.getContentLengthLong();
            if (declared < 0) {
                return in.readAllBytes(); // chunked: read in pieces, up to the limit
            }
            // a declared length gets an array of that size: readAllBytes would take 16 KiB for every request
            byte[] body = new byte[(int) declared];
            if (in.readNBytes(body, 0, body.length) < body.length) {
                throw unreadable();
            }
            return body;
        } catch (IOException e) {
            throw unreadable(); // closing the servlet's stream: nothing more to read
        }
    }

    /**
     * The body as a stream that counts what it reads: a read past {@code maxBytes} throws the 413, a
     * read that fails (a broken chunked encoding, a body shorter than its Content-Length, a client
     * gone) the 400, both as {@link GatewayException}s, so that whoever relays the stream cannot
     * mistake them for its own failures.
     *
     * @throws GatewayException 413 at once when the declared length exceeds {@code maxBytes}
     */
    public static InputStream stream(HttpServletRequest request, long maxBytes) throws IOException {
        if (request.getContentLengthLong() > maxBytes) {
            throw tooLarge(request, maxBytes);
        }
        return new Bounded(request, request.getInputStream(), maxBytes);
    }

    private static GatewayException unreadable() {
        return GatewayException.invalidRequest(
                "the request body could not be read: it is incomplete or its transfer encoding is malformed");
    }

    private static GatewayException tooLarge(HttpServletRequest request, long limit) {
        drain(request);
        return new GatewayException(
                413, "invalid_request_error", "request body is larger than the limit of " + limit + " bytes");
    }

    private static void drain(HttpServletRequest request) {
        byte[] buffer = new byte[64 * 1024];
        long dropped = 0;
        try (InputStream in = request.getInputStream()) {
            for (int n; dropped < DRAIN_LIMIT && (n = in.read(buffer)) != -1; ) {
                dropped += n;
            }
        } catch (IOException e) {
            // the client is gone or sent a broken body: nothing left to spare it
        }
    }

    private static final class Bounded extends InputStream {
        private final HttpServletRequest request;
        private final InputStream in;
        private final long limit;
        private long read;

        Bounded(HttpServletRequest request, InputStream in, long limit) {
            this.request = request;
            this.in = in;
            this.limit = limit;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] target, int offset, int length) {
            int n;
            try {
                // one byte past the limit at most: a chunked body declares no length
                n = in.read(target, offset, (int) Math.min(length, limit - read + 1));
            } catch (IOException e) {
                throw unreadable();
            }
            if (n > 0) {
                read += n;
                if (read > limit) {
                    throw tooLarge(request, limit);
                }
            }
            return n;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
