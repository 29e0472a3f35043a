package dev.switchboard.app.http.internal;

import dev.switchboard.core.forward.ResponseSink;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Relays an engine's response into the servlet response, writing the raw output stream so no
 * framework layer buffers or compresses it: every flush the relay makes reaches the client.
 */
public final class ServletResponseSink implements ResponseSink {
    /** Headers Jetty writes itself; relaying the engine's would send them twice. */
    private static final Set<String> SERVER_OWNED =
            Set.of("date", "server", "transfer-encoding", "connection", "keep-alive");

    private final HttpServletRequest request;
    private final HttpServletResponse response;
    private int status;
    private boolean streamed;
    private OutputStream body;

    public ServletResponseSink(HttpServletRequest request, HttpServletResponse response) {
        this.request = request;
        this.response = response;
    }

    @Override
    public void begin(int status, Map<String, List<String>> headers) {
        this.status = status;
        // no length: a stream, which goes out in whole chunks
        streamed = headers.keySet().stream().noneMatch(name -> name.equalsIgnoreCase("content-length"));
        response.setStatus(status);
        headers.forEach((name, values) -> {
            if (!SERVER_OWNED.contains(name.toLowerCase(Locale.ROOT)) && !values.isEmpty()) {
                response.setHeader(name, values.get(0));
                values.subList(1, values.size()).forEach(value -> response.addHeader(name, value));
            }
        });
    }

    @Override
    public OutputStream body() throws IOException {
        if (body == null) {
            body = streamed ? ChunkedBody.open(response) : response.getOutputStream();
        }
        return body;
    }

    /** Ends a streamed body (its last chunk); call it once the engine's answer is complete. */
    public void finish() throws IOException {
        if (body instanceof ChunkedBody chunked) {
            chunked.close();
        }
    }

    @Override
    public Runnable watchClient(Runnable onGone) {
        return ClientWatch.start(request, response, onGone)::close;
    }

    /** Whether the engine's status line has been relayed. */
    public boolean begun() {
        return status != 0;
    }

    /** The status relayed to the client, 0 before {@link #begin}. */
    public int status() {
        return status;
    }
}
