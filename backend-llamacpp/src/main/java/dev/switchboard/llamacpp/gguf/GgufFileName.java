package dev.switchboard.llamacpp.gguf;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

/**
 * What llama.cpp reads from a GGUF file name: the shard position of a split model
 * ({@code name-00001-of-00003.gguf}) and the quantization tag, the last {@code -} or {@code .}
 * separated word ({@code Qwen3-8B-Q4_K_M.gguf} is tagged {@code Q4_K_M}, upper-cased).
 *
 * @param prefix the name without {@code .gguf} and without the shard suffix, tag included
 * @param tag the quantization tag, upper-cased, or an empty string when there is none
 * @param index the shard number, 1 for an unsplit file
 * @param count the number of shards, 1 for an unsplit file
 */
public record GgufFileName(String prefix, String tag, int index, int count) {

    private static final String EXTENSION = ".gguf";
    private static final Pattern SPLIT = Pattern.compile("^(.+)-([0-9]{5})-of-([0-9]{5})$", Pattern.CASE_INSENSITIVE);
    private static final Pattern TAG = Pattern.compile("[-.]([A-Z0-9_]+)$", Pattern.CASE_INSENSITIVE);

    /** Parses a file name or relative path; empty when it does not end in {@code .gguf}. */
    public static Optional<GgufFileName> parse(String name) {
        if (!name.endsWith(EXTENSION)) {
            return Optional.empty();
        }
        String prefix = name.substring(0, name.length() - EXTENSION.length());
        int index = 1;
        int count = 1;
        Matcher split = SPLIT.matcher(prefix);
        if (split.matches()) {
            prefix = split.group(1);
            index = Integer.parseInt(split.group(2));
            count = Integer.parseInt(split.group(3));
        }
        Matcher tag = TAG.matcher(prefix);
        String quant = tag.find() ? tag.group(1).toUpperCase(Locale.ROOT) : "";
        return Optional.of(new GgufFileName(prefix, quant, index, count));
    }

    public boolean isSplit() {
        return count > 1;
    }

    /** The file name of shard {@code i} of this split model. */
    public String shardName(int i) {
        return prefix + String.format(Locale.ROOT, "-%05d-of-%05d", i, count) + EXTENSION;
    }

    /**
     * The files of the model whose first file is {@code file}: the file alone when it is not a
     * split, else all its shards that exist beside it, in order.
     */
    public static List<Path> modelFiles(Path file) {
        return parse(file.getFileName().toString())
                .filter(GgufFileName::isSplit)
                .map(name -> IntStream.rangeClosed(1, name.count())
                        .mapToObj(i -> file.resolveSibling(name.shardName(i)))
                        .filter(Files::exists)
                        .toList())
                .orElse(List.of(file));
    }
}
