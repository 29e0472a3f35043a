package dev.switchboard.llamacpp.gguf;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the header of a GGUF file (versions 2 and 3, little-endian): metadata and tensor infos,
 * with the checks llama.cpp's loader makes, so that a truncated or foreign file fails here with a
 * clear message instead of producing nonsense estimates.
 */
public final class GgufReader {

    /** "GGUF" read as a little-endian 32-bit integer. */
    private static final long MAGIC = 0x46554747L;

    private static final int MAX_DIMENSIONS = 4;
    private static final long DEFAULT_ALIGNMENT = 32;
    private static final String ALIGNMENT_KEY = "general.alignment";

    /** The smallest tensor info: an empty name, one dimension, a type and an offset. */
    private static final int MIN_TENSOR_INFO_BYTES = 8 + 4 + 8 + 4 + 8;

    /** The smallest metadata entry: an empty key, a type and a one-byte value. */
    private static final int MIN_KV_BYTES = 8 + 4 + 1;

    private GgufReader() {}

    /**
     * Reads a file's header.
     *
     * @throws GgufFormatException when the file is not a valid GGUF file
     * @throws IOException when the file cannot be read
     */
    public static GgufFile read(Path path) throws IOException {
        return read(path, Integer.MAX_VALUE);
    }

    /**
     * Reads a file's header, keeping only the size of arrays longer than {@code arrayLimit}: what an
     * estimate needs (the metadata, the per-layer arrays, the tensors) without the token lists, whose
     * hundreds of thousands of strings take most of the time of a full read. The skipped arrays are
     * checked for fitting in the file all the same.
     *
     * @throws GgufFormatException when the file is not a valid GGUF file
     * @throws IOException when the file cannot be read
     */
    public static GgufFile read(Path path, int arrayLimit) throws IOException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            return read(new LittleEndianInput(path, channel), path, arrayLimit);
        }
    }

    private static GgufFile read(LittleEndianInput in, Path path, int arrayLimit) throws IOException {
        if (in.size() < 4 || in.u32() != MAGIC) {
            throw new GgufFormatException(path, 0, "the file does not start with the GGUF magic");
        }
        int version = readVersion(in);
        long tensorCount = in.u64Count();
        long kvCount = in.u64Count();
        requireRoom(in, kvCount, MIN_KV_BYTES, "metadata entries");
        requireRoom(in, tensorCount, MIN_TENSOR_INFO_BYTES, "tensor infos");

        Map<String, GgufValue> metadata = new LinkedHashMap<>();
        for (long i = 0; i < kvCount; i++) {
            long keyOffset = in.position();
            String key = in.string();
            GgufValue value = readValue(in, readType(in), arrayLimit);
            if (metadata.putIfAbsent(key, value) != null) {
                throw new GgufFormatException(path, keyOffset, "duplicate metadata key '" + key + "'");
            }
        }
        long alignment = alignment(metadata, path);

        List<GgufTensorInfo> tensors = new ArrayList<>();
        for (long i = 0; i < tensorCount; i++) {
            tensors.add(readTensorInfo(in, path, alignment));
        }
        long dataOffset = Math.ceilDiv(in.position(), alignment) * alignment;
        GgufFile file = new GgufFile(path, version, metadata, tensors, dataOffset);
        requireTensorData(file, in.size());
        return file;
    }

    private static int readVersion(LittleEndianInput in) throws IOException {
        long version = in.u32();
        if (version == 1) {
            throw in.failure("GGUF version 1 is no longer supported");
        }
        if (version != 0 && (version & 0xFFFF) == 0) {
            throw in.failure("big-endian GGUF files are not supported");
        }
        if (version != 2 && version != 3) {
            throw in.failure("unsupported GGUF version " + version);
        }
        return (int) version;
    }

    private static void requireRoom(LittleEndianInput in, long count, int minimumBytes, String what)
            throws GgufFormatException {
        if (count > in.remaining() / minimumBytes) {
            throw in.failure(count + " " + what + " cannot fit in the rest of the file (truncated or corrupt)");
        }
    }

    private static GgufValueType readType(LittleEndianInput in) throws IOException {
        long id = in.u32();
        return GgufValueType.byId((int) id).orElseThrow(() -> in.failure("unknown metadata value type " + id));
    }

    private static GgufValue readValue(LittleEndianInput in, GgufValueType type, int arrayLimit) throws IOException {
        return new GgufValue(type, readRaw(in, type, arrayLimit));
    }

    private static Object readRaw(LittleEndianInput in, GgufValueType type, int arrayLimit) throws IOException {
        return switch (type) {
            case UINT8 -> in.u8();
            case INT8 -> in.i8();
            case UINT16 -> in.u16();
            case INT16 -> in.i16();
            case UINT32 -> in.u32();
            case INT32 -> in.i32();
            case FLOAT32 -> in.f32();
            case BOOL -> readBool(in);
            case STRING -> in.string();
            case ARRAY -> readArray(in, arrayLimit);
            case UINT64, INT64 -> in.i64();
            case FLOAT64 -> in.f64();
        };
    }

    private static boolean readBool(LittleEndianInput in) throws IOException {
        int raw = in.u8();
        if (raw > 1) {
            throw in.failure("boolean value " + raw + " is neither 0 nor 1");
        }
        return raw == 1;
    }

    private static GgufArray readArray(LittleEndianInput in, int arrayLimit) throws IOException {
        GgufValueType elementType = readType(in);
        long count = in.u64Count();
        requireRoom(in, count, elementType.minimumBytes(), elementType + " array elements");
        if (count > Integer.MAX_VALUE) {
            throw in.failure("an array of " + count + " elements is too long");
        }
        if (count > arrayLimit) {
            skipElements(in, elementType, count, arrayLimit);
            return new GgufArray(elementType, (int) count, List.of());
        }
        List<Object> values = new ArrayList<>((int) count);
        for (long i = 0; i < count; i++) {
            values.add(readRaw(in, elementType, arrayLimit));
        }
        return new GgufArray(elementType, values);
    }

    private static void skipElements(LittleEndianInput in, GgufValueType elementType, long count, int arrayLimit)
            throws IOException {
        switch (elementType) {
            case STRING -> {
                for (long i = 0; i < count; i++) {
                    in.skipString();
                }
            }
            case ARRAY -> {
                for (long i = 0; i < count; i++) {
                    readArray(in, arrayLimit);
                }
            }
            default -> in.skip(count * elementType.minimumBytes()); // fits: requireRoom checked it
        }
    }

    private static long alignment(Map<String, GgufValue> metadata, Path path) throws GgufFormatException {
        GgufValue value = metadata.get(ALIGNMENT_KEY);
        if (value == null) {
            return DEFAULT_ALIGNMENT;
        }
        long alignment = value.asLong().orElse(0);
        if (alignment <= 0 || Long.bitCount(alignment) != 1) {
            throw new GgufFormatException(path, 0, ALIGNMENT_KEY + " must be a power of two, got " + value.value());
        }
        return alignment;
    }

    private static GgufTensorInfo readTensorInfo(LittleEndianInput in, Path path, long alignment) throws IOException {
        long start = in.position();
        String name = in.string();
        long dimensionCount = in.u32();
        if (dimensionCount < 1 || dimensionCount > MAX_DIMENSIONS) {
            throw in.failure("tensor '" + name + "' has " + dimensionCount + " dimensions, expected 1 to 4");
        }
        List<Long> dimensions = new ArrayList<>();
        for (int d = 0; d < dimensionCount; d++) {
            dimensions.add(in.u64Count());
        }
        long typeId = in.u32();
        GgmlType type = GgmlType.byId((int) typeId)
                .orElseThrow(() -> in.failure("tensor '" + name + "' has unknown ggml type " + typeId));
        if (dimensions.get(0) % type.blockSize() != 0) {
            throw new GgufFormatException(
                    path,
                    start,
                    "tensor '" + name + "' has " + dimensions.get(0) + " elements per row, not a multiple of the "
                            + type.typeName() + " block size " + type.blockSize());
        }
        long offset = in.u64Count();
        if (offset % alignment != 0) {
            throw new GgufFormatException(
                    path, start, "tensor '" + name + "' data offset " + offset + " is not aligned to " + alignment);
        }
        GgufTensorInfo tensor = new GgufTensorInfo(name, dimensions, type, offset);
        try {
            tensor.byteSize(); // overflows for dimensions no real tensor has
            return tensor;
        } catch (ArithmeticException e) {
            throw new GgufFormatException(path, start, "tensor '" + name + "' is impossibly large");
        }
    }

    private static void requireTensorData(GgufFile file, long fileSize) throws GgufFormatException {
        for (GgufTensorInfo tensor : file.tensors()) {
            // each term is checked on its own first so that the sum cannot overflow
            boolean fits = tensor.offset() <= fileSize
                    && tensor.byteSize() <= fileSize
                    && file.dataOffset() + tensor.offset() + tensor.byteSize() <= fileSize;
            if (!fits) {
                throw new GgufFormatException(
                        file.path(),
                        fileSize,
                        "the data of tensor '" + tensor.name() + "' ends past the end of the file (truncated)");
            }
        }
    }
}
