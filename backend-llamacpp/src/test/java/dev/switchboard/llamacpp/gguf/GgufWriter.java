package dev.switchboard.llamacpp.gguf;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Writes valid GGUF files for tests: any metadata, tensor infos laid out the way llama.cpp writes
 * them (each aligned), and a data section of zeros unless a tensor is given values. The data section
 * is made by extending the file, so multi-gigabyte models cost no disk space on file systems with
 * sparse files.
 */
public final class GgufWriter {

    private int version = 3;
    private final Map<String, GgufValue> metadata = new LinkedHashMap<>();
    private final List<Tensor> tensors = new ArrayList<>();

    /** A tensor; {@code values} (F32 or F16 only) is {@code null} for zeros. */
    private record Tensor(String name, GgmlType type, long[] dimensions, float[] values) {}

    public GgufWriter version(int value) {
        this.version = value;
        return this;
    }

    public GgufWriter put(String key, GgufValue value) {
        metadata.put(key, value);
        return this;
    }

    public GgufWriter putString(String key, String value) {
        return put(key, GgufValue.string(value));
    }

    public GgufWriter putUint32(String key, long value) {
        return put(key, GgufValue.uint32(value));
    }

    /** Adds a tensor; dimensions innermost first, as ggml's {@code ne}. */
    public GgufWriter tensor(String name, GgmlType type, long... dimensions) {
        tensors.add(new Tensor(name, type, dimensions.clone(), null));
        return this;
    }

    /** Adds an F32 or F16 tensor holding {@code values}, in ggml's order (innermost dimension first). */
    public GgufWriter tensor(String name, GgmlType type, float[] values, long... dimensions) {
        if (type != GgmlType.F32 && type != GgmlType.F16) {
            throw new IllegalArgumentException("values can be written as F32 or F16, not " + type);
        }
        if (values.length != Arrays.stream(dimensions).reduce(1, Math::multiplyExact)) {
            throw new IllegalArgumentException(
                    name + ": " + values.length + " values for " + Arrays.toString(dimensions));
        }
        tensors.add(new Tensor(name, type, dimensions.clone(), values));
        return this;
    }

    /** Writes the file: header, padding to the alignment, then the tensor data. */
    public Path write(Path path) throws IOException {
        byte[] header = header();
        Files.write(path, header);
        try (RandomAccessFile file = new RandomAccessFile(path.toFile(), "rw")) {
            file.setLength(align(header.length) + dataSize());
            long offset = align(header.length);
            for (Tensor tensor : tensors) {
                if (tensor.values() != null) {
                    file.seek(offset);
                    file.write(encode(tensor));
                }
                offset += align(size(tensor));
            }
        }
        return path;
    }

    private static byte[] encode(Tensor tensor) {
        boolean half = tensor.type() == GgmlType.F16;
        ByteBuffer buffer =
                ByteBuffer.allocate(tensor.values().length * (half ? 2 : 4)).order(ByteOrder.LITTLE_ENDIAN);
        for (float value : tensor.values()) {
            if (half) {
                buffer.putShort(Float.floatToFloat16(value));
            } else {
                buffer.putFloat(value);
            }
        }
        return buffer.array();
    }

    /** The header bytes alone, without padding or tensor data. */
    public byte[] header() {
        Out out = new Out();
        out.u32(0x46554747L);
        out.u32(version);
        out.u64(tensors.size());
        out.u64(metadata.size());
        metadata.forEach((key, value) -> {
            out.string(key);
            out.u32(value.type().id());
            out.value(value.type(), value.value());
        });
        long offset = 0;
        for (Tensor tensor : tensors) {
            out.string(tensor.name());
            out.u32(tensor.dimensions().length);
            Arrays.stream(tensor.dimensions()).forEach(out::u64);
            out.u32(tensor.type().id());
            out.u64(offset);
            offset += align(size(tensor));
        }
        return out.bytes.toByteArray();
    }

    private long dataSize() {
        return tensors.stream().mapToLong(t -> align(size(t))).sum();
    }

    private static long size(Tensor tensor) {
        GgufTensorInfo info = new GgufTensorInfo(
                tensor.name(), Arrays.stream(tensor.dimensions()).boxed().toList(), tensor.type(), 0);
        return info.byteSize();
    }

    private long align(long value) {
        long alignment = metadata.containsKey("general.alignment")
                ? metadata.get("general.alignment").asLong().orElseThrow()
                : 32;
        return Math.ceilDiv(value, alignment) * alignment;
    }

    /** Little-endian encoding of GGUF values. */
    private static final class Out {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        void raw(int size, Consumer<ByteBuffer> put) {
            ByteBuffer buffer = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
            put.accept(buffer);
            bytes.writeBytes(buffer.array());
        }

        void u32(long value) {
            raw(4, b -> b.putInt((int) value));
        }

        void u64(long value) {
            raw(8, b -> b.putLong(value));
        }

        void string(String value) {
            byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
            u64(utf8.length);
            bytes.writeBytes(utf8);
        }

        void value(GgufValueType type, Object value) {
            switch (type) {
                case UINT8, INT8 -> raw(1, b -> b.put(((Number) value).byteValue()));
                case UINT16, INT16 -> raw(2, b -> b.putShort(((Number) value).shortValue()));
                case UINT32, INT32 -> u32(((Number) value).longValue());
                case FLOAT32 -> raw(4, b -> b.putFloat((Float) value));
                case BOOL -> raw(1, b -> b.put((byte) ((Boolean) value ? 1 : 0)));
                case STRING -> string((String) value);
                case ARRAY -> {
                    GgufArray array = (GgufArray) value;
                    u32(array.elementType().id());
                    u64(array.size());
                    array.values().forEach(element -> value(array.elementType(), element));
                }
                case UINT64, INT64 -> u64((Long) value);
                case FLOAT64 -> raw(8, b -> b.putDouble((Double) value));
            }
        }
    }
}
