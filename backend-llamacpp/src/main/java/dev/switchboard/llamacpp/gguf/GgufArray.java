package dev.switchboard.llamacpp.gguf;

import java.util.List;
import java.util.Objects;

/**
 * A GGUF metadata array: one element type, its size, and the values in file order, or no values
 * when the reader skipped them ({@link #elided()}: a token list read for an estimate). Nested arrays
 * are {@code GgufArray} values themselves.
 *
 * @param elementType the type of every element
 * @param size how many elements the array has
 * @param values the elements, represented as {@link GgufValueType} documents; empty when elided
 */
public record GgufArray(GgufValueType elementType, int size, List<Object> values) {

    public GgufArray {
        Objects.requireNonNull(elementType, "elementType");
        values = List.copyOf(values);
        if (size < 0 || (!values.isEmpty() && values.size() != size)) {
            throw new IllegalArgumentException("an array of " + size + " elements with " + values.size() + " values");
        }
    }

    /** An array with all its values. */
    public GgufArray(GgufValueType elementType, List<Object> values) {
        this(elementType, values.size(), values);
    }

    /** Whether the reader skipped the elements: only the type and size are known. */
    public boolean elided() {
        return values.isEmpty() && size > 0;
    }
}
