package dev.switchboard.llamacpp.gguf;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The header of one GGUF file: its metadata and tensor descriptions. Tensor data is not read.
 *
 * @param path the file read
 * @param version the GGUF format version (2 or 3)
 * @param metadata the key-value metadata in file order
 * @param tensors the tensor descriptions in file order
 * @param dataOffset where the tensor data section starts in the file
 */
public record GgufFile(
        Path path, int version, Map<String, GgufValue> metadata, List<GgufTensorInfo> tensors, long dataOffset) {

    public GgufFile {
        Objects.requireNonNull(path, "path");
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        tensors = List.copyOf(tensors);
    }

    public Optional<GgufValue> value(String key) {
        return Optional.ofNullable(metadata.get(key));
    }

    /** A string value, empty when the key is missing or holds another type. */
    public Optional<String> string(String key) {
        return value(key).flatMap(GgufValue::asString);
    }

    /** A value of any integer type, empty when the key is missing or holds another type. */
    public OptionalLong integer(String key) {
        return value(key).map(GgufValue::asLong).orElse(OptionalLong.empty());
    }

    public Optional<GgufArray> array(String key) {
        return value(key).flatMap(GgufValue::asArray);
    }

    /** The summed data size of all tensors in this file. */
    public long tensorBytes() {
        return tensors.stream().mapToLong(GgufTensorInfo::byteSize).sum();
    }
}
