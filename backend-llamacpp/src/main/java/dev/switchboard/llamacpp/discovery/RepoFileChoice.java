package dev.switchboard.llamacpp.discovery;

import dev.switchboard.llamacpp.gguf.GgufFileName;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * llama.cpp's choices among the files of a Hugging Face repository, the same whether the files
 * are listed by the hub or found in a cached snapshot. Files are paths relative to the repository
 * root with {@code /} separators, in the order the hub lists them (sorted by path).
 */
public final class RepoFileChoice {

    /** The tags tried, in order, for a reference without one. */
    static final List<String> DEFAULT_TAGS = List.of("Q4_K_M", "Q8_0");

    /** Name parts of GGUFs that go beside a model rather than being one. */
    private static final List<String> SIDE_FILES = List.of("mmproj", "mtp-", "eagle3-", "dflash-", "dspark-");

    private static final String PROJECTOR = "mmproj";

    private RepoFileChoice() {}

    /**
     * The first file of the model {@code --hf-repo repo:tag} downloads: the first GGUF whose path
     * holds the tag followed by {@code .} or {@code -} (ignoring case) and that is unsplit or the
     * first shard. Without a tag, {@code Q4_K_M}, then {@code Q8_0}, then the first model file.
     * Projectors, importance matrices and speculative side files are never the model.
     */
    public static Optional<String> model(List<String> files, String tag) {
        List<String> tags = tag.isEmpty() ? DEFAULT_TAGS : List.of(tag);
        for (String candidate : tags) {
            Pattern pattern = Pattern.compile(Pattern.quote(candidate) + "[.-]", Pattern.CASE_INSENSITIVE);
            Optional<String> match = files.stream()
                    .filter(RepoFileChoice::isDownloadableModel)
                    .filter(f -> pattern.matcher(f).find())
                    .findFirst();
            if (match.isPresent()) {
                return match;
            }
        }
        return tag.isEmpty()
                ? files.stream().filter(RepoFileChoice::isDownloadableModel).findFirst()
                : Optional.empty();
    }

    /**
     * The files of the model whose first file is {@code model}: the file alone when unsplit, else
     * every listed shard with the same name prefix and shard count, in shard order.
     */
    public static List<String> shards(List<String> files, String model) {
        GgufFileName first = GgufFileName.parse(model).orElseThrow(() -> notGguf(model));
        if (!first.isSplit()) {
            return List.of(model);
        }
        return files.stream()
                .flatMap(f -> GgufFileName.parse(f).map(name -> new Shard(f, name)).stream())
                .filter(s ->
                        s.name().count() == first.count() && s.name().prefix().equals(first.prefix()))
                .sorted(Comparator.comparingInt(s -> s.name().index()))
                .map(Shard::path)
                .toList();
    }

    /**
     * The projector llama.cpp pairs with a model: an {@code mmproj} GGUF in the model's folder or a
     * parent of it, the deepest first, then the closest in quantization bits to the model, then the
     * first listed.
     */
    public static Optional<String> projector(List<String> files, String model) {
        List<String> modelFolder = folders(model);
        int modelBits = quantBits(model);
        Comparator<String> preference = Comparator.<String>comparingInt(
                        f -> folders(f).size())
                .reversed()
                .thenComparingInt(f -> Math.abs(quantBits(f) - modelBits));
        return files.stream()
                .filter(f -> f.endsWith(".gguf") && f.contains(PROJECTOR))
                .filter(f -> isPrefix(folders(f), modelFolder))
                .min(preference);
    }

    /**
     * Whether the cache listing shows a file as a model of its own ({@code repo:TAG}): a part of a
     * tagged model that is unsplit or the first shard.
     */
    public static boolean isListedModel(String file) {
        return modelTag(file).isPresent()
                && GgufFileName.parse(file).orElseThrow().index() == 1;
    }

    /**
     * The tag of the model a file is part of, upper-cased as the listing shows it; empty for side
     * files, untagged GGUFs and other files. Every shard of a split model has its model's tag.
     */
    public static Optional<String> modelTag(String file) {
        return GgufFileName.parse(file)
                .filter(name -> !name.tag().isEmpty() && SIDE_FILES.stream().noneMatch(name.prefix()::contains))
                .map(GgufFileName::tag);
    }

    /** llama.cpp's download-time test, which reads only the file name and also skips imatrix files. */
    private static boolean isDownloadableModel(String file) {
        String name = file.substring(file.lastIndexOf('/') + 1);
        return GgufFileName.parse(name)
                .filter(n -> n.index() == 1)
                .filter(n -> !name.contains("imatrix") && SIDE_FILES.stream().noneMatch(name::contains))
                .isPresent();
    }

    private record Shard(String path, GgufFileName name) {}

    private static IllegalArgumentException notGguf(String file) {
        return new IllegalArgumentException(file + " is not a GGUF file");
    }

    private static List<String> folders(String path) {
        List<String> parts = Arrays.asList(path.split("/"));
        return parts.subList(0, parts.size() - 1);
    }

    private static boolean isPrefix(List<String> prefix, List<String> list) {
        return prefix.size() <= list.size() && list.subList(0, prefix.size()).equals(prefix);
    }

    /** The number in a quantization tag: 4 for Q4_K_M, 16 for F16, 0 without digits. */
    private static int quantBits(String file) {
        String tag = GgufFileName.parse(file).map(GgufFileName::tag).orElse("");
        int start = 0;
        while (start < tag.length() && !Character.isDigit(tag.charAt(start))) {
            start++;
        }
        int end = start;
        while (end < tag.length() && Character.isDigit(tag.charAt(end))) {
            end++;
        }
        return end > start ? Integer.parseInt(tag.substring(start, end)) : 0;
    }
}
