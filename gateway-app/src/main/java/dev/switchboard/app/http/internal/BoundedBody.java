package dev.switchboard.app.http.internal;

import dev.switchboard.core.GatewayException;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;

/** Reads a request body whole, refusing one larger than the configured limit. */
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
        long limit = Math.min(maxBytes, LARGEST_ARRAY);
        if (request.getContentLengthLong() > limit) {
            throw tooLarge(request, limit);
        }
        // a chunked body declares no length: read one byte past the limit to tell
        byte[] body;
        try (InputStream in = request.getInputStream()) {
            body = in.readNBytes((int) limit + 1);
        } catch (IOException e) {
            // a broken chunked encoding or a body shorter than its Content-Length
            throw GatewayException.invalidRequest(
                    "the request body could not be read: it is incomplete or its" + " transfer encoding is malformed");
        }
        if (body.length > limit) {
            throw tooLarge(request, limit);
        }
        return body;
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
}
