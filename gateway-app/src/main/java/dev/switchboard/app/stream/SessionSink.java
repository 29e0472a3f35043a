package dev.switchboard.app.stream;

import dev.switchboard.core.forward.ResponseSink;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A response sink that keeps a streamed answer in its session as well as sending it to the client,
 * and keeps relaying into the session after the client has gone (a page reload), until the answer
 * ends or the session is stopped; a stop makes the next write fail, which cancels the engine's
 * request.
 */
public final class SessionSink implements ResponseSink {
    private final ResponseSink client;
    private final StreamSession session;
    private boolean eventStream;
    private OutputStream clientBody; // null once the client is gone

    public SessionSink(ResponseSink client, StreamSession session) {
        this.client = client;
        this.session = session;
    }

    @Override
    public void begin(int status, Map<String, List<String>> headers) throws IOException {
        eventStream = headers.entrySet().stream()
                .anyMatch(e -> e.getKey().equalsIgnoreCase("content-type")
                        && e.getValue().stream()
                                .anyMatch(v -> v.toLowerCase(Locale.ROOT).startsWith("text/event-stream")));
        client.begin(status, headers);
    }

    /** Whether the answer was an event stream, the only kind worth resuming. */
    public boolean eventStream() {
        return eventStream;
    }

    @Override
    public OutputStream body() throws IOException {
        clientBody = client.body();
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] data, int offset, int length) throws IOException {
                if (session.isCancelled() || !session.append(data, offset, length)) {
                    throw new IOException("the stream session was stopped");
                }
                if (clientBody != null) {
                    try {
                        clientBody.write(data, offset, length);
                    } catch (IOException e) {
                        clientBody = null; // the client left; the session still takes the answer
                    }
                }
            }

            @Override
            public void flush() throws IOException {
                if (session.isCancelled()) {
                    throw new IOException("the stream session was stopped");
                }
                if (clientBody != null) {
                    try {
                        clientBody.flush();
                    } catch (IOException e) {
                        clientBody = null;
                    }
                }
            }
        };
    }

    /** A session outlives its client (it is resumed later, or stopped): a client leaving cancels nothing. */
    @Override
    public Runnable watchClient(Runnable onGone) {
        return () -> {};
    }
}
