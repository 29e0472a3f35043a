package dev.switchboard.core.forward.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.forward.ClientGoneException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseRelayTest {

    /** Hands out the given chunks one read at a time, as a socket delivers packets. */
    private static InputStream chunks(String... parts) {
        return new InputStream() {
            int next;

            @Override
            public int read() {
                throw new UnsupportedOperationException();
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (next == parts.length) {
                    return -1;
                }
                byte[] part = parts[next++].getBytes(StandardCharsets.UTF_8);
                System.arraycopy(part, 0, b, off, part.length);
                return part.length;
            }
        };
    }

    /** Records what had been written at each flush. */
    private static final class FlushRecorder extends OutputStream {
        final ByteArrayOutputStream all = new ByteArrayOutputStream();
        final List<String> flushed = new ArrayList<>();

        @Override
        public void write(int b) {
            all.write(b);
        }

        @Override
        public void flush() {
            flushed.add(all.toString(StandardCharsets.UTF_8));
        }
    }

    @Test
    void relaysTheBodyByteForByte() throws IOException {
        byte[] body = "data: {\"a\":1}\r\n\r\ndata: caf\u00e9\n\n: comment\n\ndata: [DONE]\n\n"
                .getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        long relayed = SseRelay.relay(new ByteArrayInputStream(body), out, true, -1);

        assertThat(out.toByteArray()).isEqualTo(body);
        assertThat(relayed).isEqualTo(body.length);
    }

    @Test
    void flushesOnceAnEventIsComplete() throws IOException {
        FlushRecorder out = new FlushRecorder();

        SseRelay.relay(chunks("data: one\n", "\n", "data: tw", "o\n\n"), out, true, -1);

        assertThat(out.flushed)
                .containsExactly("data: one\n\n", "data: one\n\ndata: two\n\n", "data: one\n\ndata: two\n\n");
    }

    @Test
    void passesOnWhatArrivedWithACompleteEvent() throws IOException {
        FlushRecorder out = new FlushRecorder();

        SseRelay.relay(chunks("data: one\n\ndata: par", "tial\n\n"), out, true, -1);

        assertThat(out.flushed.get(0)).isEqualTo("data: one\n\ndata: par");
        assertThat(out.flushed.get(1)).isEqualTo("data: one\n\ndata: partial\n\n");
    }

    @Test
    void recognisesCrLfEventBoundaries() throws IOException {
        FlushRecorder out = new FlushRecorder();

        SseRelay.relay(chunks("data: one\r\n", "\r\n", "data: two"), out, true, -1);

        assertThat(out.flushed).first().isEqualTo("data: one\r\n\r\n");
    }

    @Test
    void flushesPlainBodiesOnlyAtTheEnd() throws IOException {
        FlushRecorder out = new FlushRecorder();

        SseRelay.relay(chunks("{\"a\":\n\n", "1}"), out, false, -1);

        assertThat(out.flushed).containsExactly("{\"a\":\n\n1}");
    }

    @Test
    void reportsAClientThatWentAway() {
        OutputStream closed = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("Broken pipe");
            }
        };

        assertThatThrownBy(() -> SseRelay.relay(chunks("data: x\n\n"), closed, true, -1))
                .isInstanceOf(ClientGoneException.class)
                .hasMessageContaining("Broken pipe");
    }
}
