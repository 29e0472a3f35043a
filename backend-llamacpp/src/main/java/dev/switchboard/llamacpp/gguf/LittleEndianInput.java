package dev.switchboard.llamacpp.gguf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Sequential little-endian reads from a file through one reusable buffer, so that headers with
 * hundreds of thousands of small values (token lists) read fast. Every read past the end of the
 * file fails with a {@link GgufFormatException} naming the offset.
 */
final class LittleEndianInput {

    private static final int BUFFER_SIZE = 1 << 16;

    private final Path path;
    private final FileChannel channel;
    private final long size;
    private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER_SIZE).order(ByteOrder.LITTLE_ENDIAN);
    private long bufferStart;

    LittleEndianInput(Path path, FileChannel channel) throws IOException {
        this.path = path;
        this.channel = channel;
        this.size = channel.size();
        buffer.limit(0);
    }

    long position() {
        return bufferStart + buffer.position();
    }

    long remaining() {
        return size - position();
    }

    long size() {
        return size;
    }

    GgufFormatException failure(String problem) {
        return new GgufFormatException(path, position(), problem);
    }

    int u8() throws IOException {
        return Byte.toUnsignedInt(require(1).get());
    }

    byte i8() throws IOException {
        return require(1).get();
    }

    int u16() throws IOException {
        return Short.toUnsignedInt(require(2).getShort());
    }

    short i16() throws IOException {
        return require(2).getShort();
    }

    long u32() throws IOException {
        return Integer.toUnsignedLong(require(4).getInt());
    }

    int i32() throws IOException {
        return require(4).getInt();
    }

    /** An unsigned 64-bit count or offset; values beyond {@code Long.MAX_VALUE} cannot be valid. */
    long u64Count() throws IOException {
        long value = require(8).getLong();
        if (value < 0) {
            throw new GgufFormatException(
                    path, position() - 8, "count " + Long.toUnsignedString(value) + " is too large");
        }
        return value;
    }

    long i64() throws IOException {
        return require(8).getLong();
    }

    float f32() throws IOException {
        return require(4).getFloat();
    }

    double f64() throws IOException {
        return require(8).getDouble();
    }

    String string() throws IOException {
        long start = position();
        long length = stringLength();
        if (length > Integer.MAX_VALUE - 8) {
            throw new GgufFormatException(path, start, "a string of " + length + " bytes is too long");
        }
        byte[] bytes = new byte[(int) length];
        int copied = 0;
        while (copied < bytes.length) {
            ByteBuffer available = require(1);
            int chunk = Math.min(available.remaining(), bytes.length - copied);
            available.get(bytes, copied, chunk);
            copied += chunk;
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Passes over a string without decoding it. */
    void skipString() throws IOException {
        skip(stringLength());
    }

    /** A string's length, read from its header: no more than the rest of the file. */
    private long stringLength() throws IOException {
        long start = position();
        long length = u64Count();
        if (length > remaining()) {
            throw new GgufFormatException(
                    path, start, "a string of " + length + " bytes runs past the end of the file");
        }
        return length;
    }

    /** Passes over {@code count} bytes; the next read refills the buffer from there when they were not all in it. */
    void skip(long count) throws IOException {
        if (count > remaining()) {
            throw failure("unexpected end of file (truncated)");
        }
        if (count <= buffer.remaining()) {
            buffer.position(buffer.position() + (int) count);
            return;
        }
        bufferStart = position() + count;
        buffer.position(0).limit(0);
    }

    /** Makes at least {@code count} bytes readable from the buffer, refilling it from the file. */
    private ByteBuffer require(int count) throws IOException {
        if (buffer.remaining() >= count) {
            return buffer;
        }
        bufferStart += buffer.position();
        buffer.compact();
        channel.position(bufferStart + buffer.position());
        while (buffer.position() < count) {
            if (channel.read(buffer) < 0) {
                buffer.flip();
                throw failure("unexpected end of file (truncated)");
            }
        }
        buffer.flip();
        return buffer;
    }
}
