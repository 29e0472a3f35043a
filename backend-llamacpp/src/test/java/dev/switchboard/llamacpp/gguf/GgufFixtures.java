package dev.switchboard.llamacpp.gguf;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;

/** Builds GGUF files shaped like real llama-architecture models for tests. */
public final class GgufFixtures {

    private GgufFixtures() {}

    /**
     * The shape of a small llama model.
     *
     * @param layers repeating blocks
     * @param embedding embedding length
     * @param heads attention heads
     * @param kvHeads KV heads (grouped-query attention when fewer than heads)
     * @param vocab vocabulary size
     * @param contextLength training context
     * @param weights the type of the 2-D weight matrices
     */
    public record Shape(
            int layers, int embedding, int heads, int kvHeads, int vocab, int contextLength, GgmlType weights) {

        public long headSize() {
            return embedding / heads;
        }

        public long feedForward() {
            return 4L * embedding;
        }
    }

    /** A tiny model: 4 layers, embedding 256, 8 heads, 2 KV heads, 1024 tokens, Q8_0. */
    public static final Shape TINY = new Shape(4, 256, 8, 2, 1024, 4096, GgmlType.Q8_0);

    /** Writes a llama model with every tensor llama.cpp expects, data zeroed. */
    public static Path llama(Path path, Shape shape) throws IOException {
        return llamaWriter(shape).write(path);
    }

    /** The values of a tensor, by name and dimensions (innermost first); {@code null} for zeros. */
    @FunctionalInterface
    public interface Weights {
        Weights ZEROS = (name, dimensions) -> null;

        float[] values(String name, long... dimensions);
    }

    public static GgufWriter llamaWriter(Shape shape) {
        return llamaWriter(shape, Weights.ZEROS);
    }

    /**
     * A llama model with every tensor llama.cpp expects; tensors {@code weights} gives values for
     * are written as F32 (1-D) or F16 (2-D), the others as zeros of the shape's types.
     */
    public static GgufWriter llamaWriter(Shape shape, Weights weights) {
        long kvWidth = shape.headSize() * shape.kvHeads();
        GgufWriter writer = new GgufWriter()
                .putString("general.architecture", "llama")
                .putString("general.name", "fixture")
                .putUint32("llama.block_count", shape.layers())
                .putUint32("llama.context_length", shape.contextLength())
                .putUint32("llama.embedding_length", shape.embedding())
                .putUint32("llama.feed_forward_length", shape.feedForward())
                .putUint32("llama.attention.head_count", shape.heads())
                .putUint32("llama.attention.head_count_kv", shape.kvHeads())
                .put(
                        "tokenizer.ggml.tokens",
                        GgufValue.array(GgufValueType.STRING, Collections.nCopies(shape.vocab(), "t")));
        Tensors add = (name, type, dimensions) -> {
            float[] values = weights.values(name, dimensions);
            if (values == null) {
                writer.tensor(name, type, dimensions);
            } else {
                writer.tensor(name, dimensions.length == 1 ? GgmlType.F32 : GgmlType.F16, values, dimensions);
            }
        };
        add.tensor("token_embd.weight", shape.weights(), shape.embedding(), shape.vocab());
        for (int i = 0; i < shape.layers(); i++) {
            String blk = "blk." + i + ".";
            add.tensor(blk + "attn_norm.weight", GgmlType.F32, shape.embedding());
            add.tensor(blk + "attn_q.weight", shape.weights(), shape.embedding(), shape.embedding());
            add.tensor(blk + "attn_k.weight", shape.weights(), shape.embedding(), kvWidth);
            add.tensor(blk + "attn_v.weight", shape.weights(), shape.embedding(), kvWidth);
            add.tensor(blk + "attn_output.weight", shape.weights(), shape.embedding(), shape.embedding());
            add.tensor(blk + "ffn_norm.weight", GgmlType.F32, shape.embedding());
            add.tensor(blk + "ffn_gate.weight", shape.weights(), shape.embedding(), shape.feedForward());
            add.tensor(blk + "ffn_up.weight", shape.weights(), shape.embedding(), shape.feedForward());
            add.tensor(blk + "ffn_down.weight", shape.weights(), shape.feedForward(), shape.embedding());
        }
        add.tensor("output_norm.weight", GgmlType.F32, shape.embedding());
        add.tensor("output.weight", shape.weights(), shape.embedding(), shape.vocab());
        return writer;
    }

    private interface Tensors {
        void tensor(String name, GgmlType type, long... dimensions);
    }
}
