package dev.switchboard.app.http.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * Bytes kept to be read back once: in memory up to {@link #MEMORY_BYTES}, past that in a temporary
 * file under {@code java.io.tmpdir}, deleted on {@link #close()}. The file is written and read through
 * an {@link AsynchronousFileChannel}, whose I/O runs on the JDK's own platform threads: the request's
 * virtual thread only waits for it, never blocks in a file read itself.
 */
final class Spool implements AutoCloseable {
    static final int MEMORY_BYTES = 64 * 1024;

    private final byte[] memory = new byte[MEMORY_BYTES];
    private int held; // bytes in memory, while there is no file
    private Path path;
    private AsynchronousFileChannel file;
    private long written; // bytes in the file

    /** Keeps {@code length} bytes of {@code bytes} from {@code offset}. */
    void write(byte[] bytes, int offset, int length) throws IOException {
        if (file == null && held + length <= MEMORY_BYTES) {
            System.arraycopy(bytes, offset, memory, held, length);
            held += length;
            return;
        }
        if (file == null) {
            path = Files.createTempFile("switchboard-upload-", ".part");
            file = AsynchronousFileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
            writeToFile(ByteBuffer.wrap(memory, 0, held));
            held = 0;
        }
        writeToFile(ByteBuffer.wrap(bytes, offset, length));
    }

    /** Reads the kept bytes from the start; valid until {@link #close()}. */
    InputStream read() {
        if (file == null) {
            return new ByteArrayInputStream(memory, 0, held);
        }
        return new InputStream() {
            private long position;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] target, int offset, int length) throws IOException {
                if (position >= written) {
                    return -1;
                }
                int n = await(file.read(ByteBuffer.wrap(target, offset, length), position));
                if (n > 0) {
                    position += n;
                }
                return n;
            }
        };
    }

    private void writeToFile(ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) {
            written += await(file.write(bytes, written));
        }
    }

    private static int await(Future<Integer> io) throws IOException {
        try {
            return io.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException cause ? cause : new IOException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while spooling the request body");
        }
    }

    /** Deletes the file, if any. */
    @Override
    public void close() throws IOException {
        if (file != null) {
            try {
                file.close();
            } finally {
                Files.deleteIfExists(path);
            }
        }
    }
}
