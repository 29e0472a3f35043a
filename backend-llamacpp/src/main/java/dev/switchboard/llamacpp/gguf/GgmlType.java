package dev.switchboard.llamacpp.gguf;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The tensor data types a GGUF file can hold, with ggml's block size (elements per block) and type
 * size (bytes per block) as {@code ggml_type_traits} defines them. Ids 4, 5 and 31 to 38 were
 * removed from ggml and are not valid in GGUF files.
 */
public enum GgmlType {
    F32(0, "f32", 1, 4),
    F16(1, "f16", 1, 2),
    Q4_0(2, "q4_0", 32, 18),
    Q4_1(3, "q4_1", 32, 20),
    Q5_0(6, "q5_0", 32, 22),
    Q5_1(7, "q5_1", 32, 24),
    Q8_0(8, "q8_0", 32, 34),
    Q8_1(9, "q8_1", 32, 36),
    Q2_K(10, "q2_K", 256, 84),
    Q3_K(11, "q3_K", 256, 110),
    Q4_K(12, "q4_K", 256, 144),
    Q5_K(13, "q5_K", 256, 176),
    Q6_K(14, "q6_K", 256, 210),
    Q8_K(15, "q8_K", 256, 292),
    IQ2_XXS(16, "iq2_xxs", 256, 66),
    IQ2_XS(17, "iq2_xs", 256, 74),
    IQ3_XXS(18, "iq3_xxs", 256, 98),
    IQ1_S(19, "iq1_s", 256, 50),
    IQ4_NL(20, "iq4_nl", 32, 18),
    IQ3_S(21, "iq3_s", 256, 110),
    IQ2_S(22, "iq2_s", 256, 82),
    IQ4_XS(23, "iq4_xs", 256, 136),
    I8(24, "i8", 1, 1),
    I16(25, "i16", 1, 2),
    I32(26, "i32", 1, 4),
    I64(27, "i64", 1, 8),
    F64(28, "f64", 1, 8),
    IQ1_M(29, "iq1_m", 256, 56),
    BF16(30, "bf16", 1, 2),
    TQ1_0(34, "tq1_0", 256, 54),
    TQ2_0(35, "tq2_0", 256, 66),
    MXFP4(39, "mxfp4", 32, 17),
    NVFP4(40, "nvfp4", 64, 36),
    Q1_0(41, "q1_0", 128, 18);

    private static final Map<Integer, GgmlType> BY_ID =
            Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(GgmlType::id, Function.identity()));

    private final int id;
    private final String typeName;
    private final int blockSize;
    private final int typeSize;

    GgmlType(int id, String typeName, int blockSize, int typeSize) {
        this.id = id;
        this.typeName = typeName;
        this.blockSize = blockSize;
        this.typeSize = typeSize;
    }

    /** The numeric id stored in GGUF tensor infos. */
    public int id() {
        return id;
    }

    /** ggml's name for the type, as {@code --cache-type-k} accepts it ({@code q8_0}, {@code f16}). */
    public String typeName() {
        return typeName;
    }

    /** Elements per block. */
    public int blockSize() {
        return blockSize;
    }

    /** Bytes per block. */
    public int typeSize() {
        return typeSize;
    }

    /** Bytes taken by {@code elements} consecutive values, rounded up to whole blocks. */
    public long bytesFor(long elements) {
        return Math.ceilDiv(elements, blockSize) * typeSize;
    }

    /** The type with this id, if ggml still defines it. */
    public static Optional<GgmlType> byId(int id) {
        return Optional.ofNullable(BY_ID.get(id));
    }

    /** The type with this ggml name, ignoring case ({@code Q8_0} and {@code q8_0} both work). */
    public static Optional<GgmlType> byName(String name) {
        String wanted = name.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values())
                .filter(type -> type.typeName.toLowerCase(Locale.ROOT).equals(wanted))
                .findFirst();
    }
}
