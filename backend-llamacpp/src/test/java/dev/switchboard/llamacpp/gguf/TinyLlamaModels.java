package dev.switchboard.llamacpp.gguf;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Small llama models that a real llama-server loads in a fraction of a second and generates from:
 * random weights (seeded), the real SentencePiece tokenizer of llama.cpp's {@code
 * models/ggml-vocab-llama-spm.gguf} and a ChatML chat template.
 *
 * <p>Random weights would now and then pick a raw byte token (a piece of a UTF-8 sequence, which
 * makes llama-server's chat parser fail the answer) or the end-of-text token. No such token can
 * win: every embedding carries a constant in dimension 0 that no layer writes to, so dimension 0
 * of the final hidden state is always positive, and the output row of every token that is not
 * plain text weighs that dimension with a large negative weight. Answers are therefore text, and
 * run to {@code max_tokens}.
 */
public final class TinyLlamaModels {

    /** The ChatML template (as Qwen and many others use it). */
    public static final String CHATML = "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n'"
            + " + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}"
            + "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

    /** The vocabulary size of the llama SentencePiece tokenizer. */
    private static final int VOCAB = 32_000;

    /** llama.cpp's token type of ordinary text pieces ({@code LLAMA_TOKEN_TYPE_NORMAL}). */
    private static final int NORMAL_TOKEN = 1;

    private static final float NEVER = -1000f;

    /** The sizes on offer; all F16 weights with a 2048-token context. */
    public enum Size {
        /** 2 layers, embedding 64: about 8 MB. */
        TINY(new GgufFixtures.Shape(2, 64, 4, 2, VOCAB, 2048, GgmlType.F16)),
        /** 2 layers, embedding 128: about 17 MB. */
        SMALL(new GgufFixtures.Shape(2, 128, 4, 2, VOCAB, 2048, GgmlType.F16)),
        /** 4 layers, embedding 256: about 40 MB. */
        MEDIUM(new GgufFixtures.Shape(4, 256, 8, 4, VOCAB, 2048, GgmlType.F16));

        private final GgufFixtures.Shape shape;

        Size(GgufFixtures.Shape shape) {
            this.shape = shape;
        }

        public GgufFixtures.Shape shape() {
            return shape;
        }
    }

    private TinyLlamaModels() {}

    /**
     * Writes a model.
     *
     * @param file where to write it
     * @param size its size
     * @param seed the seed of its weights: the same seed writes the same file
     * @param vocab llama.cpp's {@code models/ggml-vocab-llama-spm.gguf}, whose {@code tokenizer.*}
     *     keys the model takes
     */
    public static Path write(Path file, Size size, long seed, Path vocab) throws IOException {
        GgufFile tokenizer = GgufReader.read(vocab);
        List<Object> types = tokenizer
                .array("tokenizer.ggml.token_type")
                .orElseThrow(() -> new IOException(vocab + " has no tokenizer.ggml.token_type"))
                .values();
        if (types.size() != VOCAB) {
            throw new IOException(vocab + " has " + types.size() + " tokens, not " + VOCAB);
        }
        boolean[] text = new boolean[VOCAB];
        for (int i = 0; i < VOCAB; i++) {
            text[i] = ((Number) types.get(i)).intValue() == NORMAL_TOKEN;
        }
        String name = file.getFileName().toString().replaceFirst("\\.gguf$", "");
        GgufWriter writer = GgufFixtures.llamaWriter(size.shape(), new RandomWeights(seed, text))
                .putString("general.name", name)
                .put("llama.attention.layer_norm_rms_epsilon", GgufValue.float32(1e-5f))
                .putUint32("llama.rope.dimension_count", size.shape().headSize());
        tokenizer.metadata().forEach((key, value) -> {
            if (key.startsWith("tokenizer.")) {
                writer.put(key, value);
            }
        });
        return writer.putString("tokenizer.chat_template", CHATML).write(file);
    }

    /** Gaussian weights, shaped so that only text tokens can be predicted (see the class comment). */
    private record RandomWeights(long seed, boolean[] text) implements GgufFixtures.Weights {

        @Override
        public float[] values(String name, long... dimensions) {
            int width = (int) dimensions[0];
            int rows = dimensions.length == 1 ? 1 : (int) dimensions[1];
            float[] values = new float[width * rows];
            if (dimensions.length == 1) { // the norms
                Arrays.fill(values, 1f);
                return values;
            }
            SplittableRandom random = new SplittableRandom(seed ^ name.hashCode());
            float scale = name.equals("output.weight") ? 1f : 0.02f;
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) random.nextGaussian() * scale;
            }
            switch (name) {
                case "token_embd.weight" -> {
                    for (int token = 0; token < rows; token++) {
                        values[token * width] = 1f;
                    }
                }
                case "output.weight" -> {
                    for (int token = 0; token < rows; token++) {
                        values[token * width] = 0f;
                        if (!text[token]) {
                            Arrays.fill(values, token * width, (token + 1) * width, 0f);
                            values[token * width] = NEVER;
                        }
                    }
                }
                default -> {
                    // layers that write into the residual stream leave dimension 0 alone
                    if (name.endsWith("attn_output.weight") || name.endsWith("ffn_down.weight")) {
                        Arrays.fill(values, 0, width, 0f);
                    }
                }
            }
            return values;
        }
    }
}
