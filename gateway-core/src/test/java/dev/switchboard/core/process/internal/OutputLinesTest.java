package dev.switchboard.core.process.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class OutputLinesTest {

    @Test
    void endsLinesAsReadLineDoesAndKeepsTheLastOneWithoutABreak() throws Exception {
        assertThat(lines("a\nb\r\nc\rd\n\ne\r\r\nlast", 1)).containsExactly("a", "b", "c", "d", "", "e", "", "last");
    }

    @Test
    void aLineBreakSplitAcrossReadsIsOneBreak() throws Exception {
        // one byte per read: "\r" and its "\n" arrive in different reads
        assertThat(lines("one\r\ntwo\r\n\r\nthree\n", 1)).containsExactly("one", "two", "", "three");
        assertThat(lines("héllo wörld\n", 1)).containsExactly("héllo wörld");
    }

    @Test
    void aVeryLongLineComesInPieces() throws Exception {
        String line = "x".repeat(OutputLines.MAX_LINE * 2 + 5);
        assertThat(lines(line + "\nnext\n", 4096))
                .containsExactly("x".repeat(OutputLines.MAX_LINE), "x".repeat(OutputLines.MAX_LINE), "xxxxx", "next");
    }

    @Test
    void pausesBetweenShortReadsOnlyWhileAsked() throws Exception {
        AtomicInteger asked = new AtomicInteger();
        List<String> seen = new ArrayList<>();
        // three short reads: asked after each, pausing after none
        OutputLines.read(chunked("a\nb\nc\n", 2), () -> asked.incrementAndGet() < 0, seen::add);
        assertThat(seen).containsExactly("a", "b", "c");
        assertThat(asked).hasValue(3);
    }

    @Test
    void writesMadeDuringAPauseAreReadTogether() throws Exception {
        PipedOutputStream engine = new PipedOutputStream();
        PipedInputStream pipe = new PipedInputStream(engine, 1 << 16);
        AtomicInteger reads = new AtomicInteger();
        InputStream counted = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new UnsupportedOperationException();
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                reads.incrementAndGet();
                return pipe.read(b, off, len);
            }
        };
        List<String> seen = new ArrayList<>();
        Thread reader = Thread.ofPlatform().start(() -> {
            try {
                OutputLines.read(counted, () -> true, seen::add);
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        // like llama-server: each line in three writes, two hundred lines within a few pauses
        for (int i = 0; i < 200; i++) {
            engine.write("12.34 ".getBytes(StandardCharsets.UTF_8));
            engine.write("I ".getBytes(StandardCharsets.UTF_8));
            engine.write(("line " + i + "\n").getBytes(StandardCharsets.UTF_8));
            engine.flush();
            if (i % 50 == 0) {
                Thread.sleep(OutputLines.PAUSE.toMillis() * 2);
            }
        }
        engine.close();
        reader.join(5_000);
        assertThat(seen).hasSize(200).startsWith("12.34 I line 0").endsWith("12.34 I line 199");
        assertThat(reads.get()).as("reads for 600 writes").isLessThan(60);
    }

    private static List<String> lines(String text, int perRead) throws Exception {
        List<String> seen = new ArrayList<>();
        OutputLines.read(chunked(text, perRead), () -> false, seen::add);
        return seen;
    }

    /** The text's bytes, at most {@code perRead} of them per read, as a pipe gives them. */
    private static InputStream chunked(String text, int perRead) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, perRead));
            }
        };
    }
}
