package dev.switchboard.app.http.internal;

import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.ee10.servlet.ServletContextResponse;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpVersion;

/**
 * A streamed HTTP/1.1 body in chunked framing that the gateway writes itself, so that every flush
 * puts whole chunks on the wire: {@code <hex>\r\n<data>\r\n}, as llama-server sends them. Jetty's own
 * chunking writes the CRLF that ends a chunk only in front of the next one, so a client that waits for
 * it (Python's urllib3 does) sees every event one event late, or only at the next heartbeat.
 *
 * <p>Jetty is told nothing of the framing: the response goes out without a length and with {@code
 * Connection: close}, which makes Jetty pass the body through as it is written, and {@code
 * Transfer-Encoding: chunked} is added as a field Jetty does not interpret. {@link #close()} writes
 * the last chunk; a response cut off without it (an engine that failed mid-stream) reads as broken,
 * as it should. The connection closes after the response. Other protocols (HTTP/2, HTTP/1.0) get
 * the servlet stream itself.
 */
public final class ChunkedBody extends OutputStream {
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] LAST_CHUNK = "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private final OutputStream out;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private boolean closed;

    private ChunkedBody(OutputStream out) {
        this.out = out;
    }

    /**
     * Commits the response's status and headers (set them first) and returns the stream to write the
     * body to; flush at every event boundary.
     */
    public static OutputStream open(HttpServletResponse response) throws IOException {
        ServletContextResponse jetty = ServletContextResponse.getServletContextResponse(response);
        if (jetty == null
                || jetty.getRequest().getConnectionMetaData().getHttpVersion() != HttpVersion.HTTP_1_1
                || response.isCommitted()) {
            OutputStream plain = response.getOutputStream();
            plain.flush();
            return plain;
        }
        response.setHeader("Connection", "close");
        // a field without a known header: Jetty writes it as is and does not chunk the body itself
        jetty.getHeaders().add(new HttpField(null, "Transfer-Encoding", "chunked"));
        OutputStream out = response.getOutputStream();
        out.flush(); // the headers leave now, without a length
        return new ChunkedBody(out);
    }

    @Override
    public void write(int b) throws IOException {
        ensureOpen();
        pending.write(b);
    }

    @Override
    public void write(byte[] data, int offset, int length) throws IOException {
        ensureOpen();
        pending.write(data, offset, length);
    }

    /** Writes what was written since the last flush as one chunk, complete on the wire. */
    @Override
    public void flush() throws IOException {
        ensureOpen();
        if (pending.size() > 0) {
            ByteArrayOutputStream chunk = new ByteArrayOutputStream(pending.size() + 12);
            chunk.writeBytes(Integer.toHexString(pending.size()).getBytes(StandardCharsets.US_ASCII));
            chunk.writeBytes(CRLF);
            pending.writeTo(chunk);
            chunk.writeBytes(CRLF);
            pending.reset();
            out.write(chunk.toByteArray());
        }
        out.flush();
    }

    /** Flushes and writes the last chunk: the body is complete. Idempotent. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        flush();
        closed = true;
        out.write(LAST_CHUNK);
        out.flush();
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("the chunked body is complete");
        }
    }
}
