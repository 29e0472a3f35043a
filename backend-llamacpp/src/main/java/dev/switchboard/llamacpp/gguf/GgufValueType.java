package dev.switchboard.llamacpp.gguf;

import java.util.Arrays;
import java.util.Optional;

/**
 * The value types of GGUF metadata, with their ids in the file format.
 *
 * <p>Java representations: {@code UINT8}, {@code UINT16} and {@code INT32} are {@link Integer};
 * {@code UINT32}, {@code INT64} and {@code UINT64} are {@link Long} ({@code UINT64} keeps the raw
 * 64 bits); {@code INT8} is {@link Byte}, {@code INT16} {@link Short}, {@code FLOAT32} {@link
 * Float}, {@code FLOAT64} {@link Double}, {@code BOOL} {@link Boolean}, {@code STRING} {@link
 * String} and {@code ARRAY} {@link GgufArray}.
 */
public enum GgufValueType {
    UINT8(0, 1),
    INT8(1, 1),
    UINT16(2, 2),
    INT16(3, 2),
    UINT32(4, 4),
    INT32(5, 4),
    FLOAT32(6, 4),
    BOOL(7, 1),
    STRING(8, 8),
    ARRAY(9, 12),
    UINT64(10, 8),
    INT64(11, 8),
    FLOAT64(12, 8);

    private final int id;
    private final int minimumBytes;

    GgufValueType(int id, int minimumBytes) {
        this.id = id;
        this.minimumBytes = minimumBytes;
    }

    public int id() {
        return id;
    }

    /** The fewest bytes one value of this type takes in a file (a string's or array's header). */
    int minimumBytes() {
        return minimumBytes;
    }

    public boolean isInteger() {
        return switch (this) {
            case UINT8, INT8, UINT16, INT16, UINT32, INT32, UINT64, INT64 -> true;
            default -> false;
        };
    }

    public static Optional<GgufValueType> byId(int id) {
        return Arrays.stream(values()).filter(type -> type.id == id).findFirst();
    }
}
