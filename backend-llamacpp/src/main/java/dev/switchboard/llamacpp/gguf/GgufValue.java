package dev.switchboard.llamacpp.gguf;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One typed GGUF metadata value. The type is kept because the Java representation alone cannot
 * tell {@code INT64} from {@code UINT64} (see {@link GgufValueType} for the representations).
 *
 * @param type the value's GGUF type
 * @param value the value
 */
public record GgufValue(GgufValueType type, Object value) {

    public GgufValue {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(value, "value");
    }

    public static GgufValue string(String value) {
        return new GgufValue(GgufValueType.STRING, value);
    }

    public static GgufValue uint32(long value) {
        return new GgufValue(GgufValueType.UINT32, value);
    }

    public static GgufValue uint64(long value) {
        return new GgufValue(GgufValueType.UINT64, value);
    }

    public static GgufValue float32(float value) {
        return new GgufValue(GgufValueType.FLOAT32, value);
    }

    public static GgufValue array(GgufValueType elementType, List<?> values) {
        return new GgufValue(GgufValueType.ARRAY, new GgufArray(elementType, List.copyOf(values)));
    }

    /** The value as a whole number when it is of an integer type. */
    public OptionalLong asLong() {
        return type.isInteger() ? OptionalLong.of(((Number) value).longValue()) : OptionalLong.empty();
    }

    public Optional<String> asString() {
        return value instanceof String s ? Optional.of(s) : Optional.empty();
    }

    public Optional<GgufArray> asArray() {
        return value instanceof GgufArray a ? Optional.of(a) : Optional.empty();
    }
}
