package dev.switchboard.llamacpp.gguf;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.stream.IntStream;

/**
 * What a model's GGUF headers say about its size and shape, read the way llama.cpp reads its
 * hyperparameters: keys are prefixed with the architecture ({@code llama.block_count}), the KV head
 * count may be one value or one per layer, and key/value head sizes default to the embedding length
 * divided by the head count.
 *
 * @param architecture {@code general.architecture}, such as {@code llama} or {@code qwen3}
 * @param contextLength the training context length ({@code <arch>.context_length}), 0 if unknown
 * @param blockCount the number of repeating layers ({@code <arch>.block_count})
 * @param embeddingLength {@code <arch>.embedding_length}
 * @param vocabSize the vocabulary size, from {@code <arch>.vocab_size} or the token list
 * @param headCountKv the KV head count of each layer (0 for layers without attention)
 * @param keyLength the size of one key head
 * @param valueLength the size of one value head
 * @param layerWeightBytes tensor bytes per layer index, from {@code blk.N.} tensor names
 * @param otherWeightBytes tensor bytes outside the repeating layers (embeddings, output)
 */
public record GgufModel(
        String architecture,
        long contextLength,
        int blockCount,
        long embeddingLength,
        long vocabSize,
        List<Integer> headCountKv,
        long keyLength,
        long valueLength,
        Map<Integer, Long> layerWeightBytes,
        long otherWeightBytes) {

    public GgufModel {
        Objects.requireNonNull(architecture, "architecture");
        headCountKv = List.copyOf(headCountKv);
        layerWeightBytes = Collections.unmodifiableMap(new TreeMap<>(layerWeightBytes));
    }

    /**
     * Interprets a model stored in one file or split into shards; metadata comes from the first
     * shard, tensors from all of them.
     *
     * @throws GgufFormatException when the first shard names no architecture
     */
    public static GgufModel of(List<GgufFile> shards) throws GgufFormatException {
        GgufFile first = shards.get(0);
        String arch = first.string("general.architecture")
                .orElseThrow(() -> new GgufFormatException(first.path(), 0, "general.architecture is missing"));
        int blockCount = (int) first.integer(arch + ".block_count").orElse(0);
        long embedding = first.integer(arch + ".embedding_length").orElse(0);
        List<Integer> headCount = perLayer(first, arch + ".attention.head_count", blockCount, List.of());
        List<Integer> headCountKv = perLayer(first, arch + ".attention.head_count_kv", blockCount, headCount);
        long defaultHeadSize = headCount.stream()
                .filter(h -> h > 0)
                .findFirst()
                .map(h -> embedding / h)
                .orElse(0L);

        Map<Integer, Long> layers = new TreeMap<>();
        long other = 0;
        for (GgufFile shard : shards) {
            for (GgufTensorInfo tensor : shard.tensors()) {
                if (tensor.layer().isPresent()) {
                    layers.merge(tensor.layer().getAsInt(), tensor.byteSize(), Long::sum);
                } else {
                    other += tensor.byteSize();
                }
            }
        }
        return new GgufModel(
                arch,
                first.integer(arch + ".context_length").orElse(0),
                blockCount,
                embedding,
                vocabSize(first, arch),
                headCountKv,
                first.integer(arch + ".attention.key_length").orElse(defaultHeadSize),
                first.integer(arch + ".attention.value_length").orElse(defaultHeadSize),
                layers,
                other);
    }

    /** All tensor bytes of the model. */
    public long weightBytes() {
        return otherWeightBytes
                + layerWeightBytes.values().stream().mapToLong(Long::longValue).sum();
    }

    private static long vocabSize(GgufFile file, String arch) {
        OptionalLong declared = file.integer(arch + ".vocab_size");
        if (declared.isPresent()) {
            return declared.getAsLong();
        }
        return file.array("tokenizer.ggml.tokens").map(GgufArray::size).orElse(0);
    }

    /** A per-layer value stored either once for all layers or as an array with one per layer. */
    private static List<Integer> perLayer(GgufFile file, String key, int blockCount, List<Integer> fallback) {
        OptionalLong single = file.integer(key);
        if (single.isPresent()) {
            return Collections.nCopies(blockCount, (int) single.getAsLong());
        }
        return file.array(key)
                .map(array -> IntStream.range(0, blockCount)
                        .mapToObj(
                                i -> i < array.size() ? ((Number) array.values().get(i)).intValue() : 0)
                        .toList())
                .orElse(fallback.isEmpty() ? Collections.nCopies(blockCount, 0) : fallback);
    }
}
