package dev.switchboard.llamacpp.gguf;

import java.util.List;
import java.util.Objects;

/**
 * A GGUF metadata array: one element type and the values in file order. Nested arrays are
 * {@code GgufArray} values themselves.
 *
 * @param elementType the type of every element
 * @param values the elements, represented as {@link GgufValueType} documents
 */
public record GgufArray(GgufValueType elementType, List<Object> values) {

    public GgufArray {
        Objects.requireNonNull(elementType, "elementType");
        values = List.copyOf(values);
    }

    public int size() {
        return values.size();
    }
}
