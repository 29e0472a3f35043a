package dev.switchboard.core.forward;

import java.io.InputStream;
import java.util.Objects;

/**
 * A request body for the engine: bytes in memory, which the forwarder may rewrite (a JSON body's
 * model name, the model's request filters), or a one-shot stream relayed as it is read and never held
 * whole (an upload). A stream that fails for the client's reasons (too large, cut off) should throw
 * a {@link dev.switchboard.core.GatewayException} from its reads: that reaches the client as it is
 * and is not counted against the model.
 */
public sealed interface RequestBody {

    /** No body. */
    RequestBody EMPTY = new Bytes(new byte[0]);

    /** The bytes, or {@link #EMPTY} for null. */
    static RequestBody of(byte[] bytes) {
        return bytes == null || bytes.length == 0 ? EMPTY : new Bytes(bytes);
    }

    /**
     * A body read once from {@code source} while it is sent.
     *
     * @param length its length in bytes, or -1 when not known before its end (then it is sent chunked)
     */
    static RequestBody stream(InputStream source, long length) {
        return new Stream(source, length);
    }

    /** The length in bytes, or -1 when not known before the end. */
    long length();

    /** A body held in memory. */
    record Bytes(byte[] bytes) implements RequestBody {
        public Bytes {
            Objects.requireNonNull(bytes, "bytes");
        }

        @Override
        public long length() {
            return bytes.length;
        }
    }

    /** A body streamed from its source; it can be sent only once. */
    record Stream(InputStream source, long length) implements RequestBody {
        public Stream {
            Objects.requireNonNull(source, "source");
            if (length < -1) {
                throw new IllegalArgumentException("length must be -1 (unknown) or more: " + length);
            }
        }
    }
}
