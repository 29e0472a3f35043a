package dev.switchboard.llamacpp.gguf;

import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One tensor as a GGUF header describes it.
 *
 * @param name the tensor name, such as {@code blk.3.attn_q.weight}
 * @param dimensions the sizes of its dimensions, innermost ({@code ne[0]}) first
 * @param type its data type
 * @param offset where its data starts, relative to the start of the file's data section
 */
public record GgufTensorInfo(String name, List<Long> dimensions, GgmlType type, long offset) {

    private static final Pattern LAYER = Pattern.compile("^blk\\.(\\d+)\\.");

    public GgufTensorInfo {
        Objects.requireNonNull(name, "name");
        dimensions = List.copyOf(dimensions);
        Objects.requireNonNull(type, "type");
    }

    public long elementCount() {
        return dimensions.stream().mapToLong(Long::longValue).reduce(1, Math::multiplyExact);
    }

    /** The bytes of its data: whole blocks along the first dimension, times the other dimensions. */
    public long byteSize() {
        long rows = dimensions.stream().skip(1).mapToLong(Long::longValue).reduce(1, Math::multiplyExact);
        long firstDimension = dimensions.isEmpty() ? 1 : dimensions.get(0);
        return Math.multiplyExact(type.bytesFor(firstDimension), rows);
    }

    /** The repeating block (layer) this tensor belongs to, from a {@code blk.N.} name prefix. */
    public OptionalInt layer() {
        Matcher m = LAYER.matcher(name);
        return m.find() ? OptionalInt.of(Integer.parseInt(m.group(1))) : OptionalInt.empty();
    }
}
