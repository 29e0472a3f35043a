package dev.switchboard.llamacpp.discovery;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where llama.cpp keeps downloaded models, resolved from the environment the way llama.cpp does on
 * Linux.
 *
 * <p>The Hugging Face hub cache ({@code models--org--repo/snapshots/<commit>/...}, what current
 * llama.cpp writes): {@code $LLAMA_CACHE}, else {@code $HF_HUB_CACHE}, else {@code
 * $HUGGINGFACE_HUB_CACHE}, else {@code $HF_HOME/hub}, else {@code
 * $XDG_CACHE_HOME/huggingface/hub}, else {@code ~/.cache/huggingface/hub}.
 *
 * <p>The legacy flat cache ({@code manifest=org=repo=tag.json} beside {@code org_repo_file.gguf},
 * what llama.cpp wrote before it moved to the hub layout): {@code $LLAMA_CACHE}, else {@code
 * $XDG_CACHE_HOME/llama.cpp}, else {@code ~/.cache/llama.cpp}.
 *
 * <p>Empty variables count as unset. The home directory is {@code $HOME}, else the given one.
 *
 * @param hub the Hugging Face hub cache
 * @param legacy the legacy flat cache
 */
public record CacheDirectories(Path hub, Path legacy) {

    public CacheDirectories {
        Objects.requireNonNull(hub, "hub");
        Objects.requireNonNull(legacy, "legacy");
    }

    /** Both layouts in one directory, as when {@code LLAMA_CACHE} is set. */
    public static CacheDirectories of(Path directory) {
        return new CacheDirectories(directory, directory);
    }

    /**
     * Resolves the directories from environment variables.
     *
     * @param env the environment, such as {@link System#getenv()}
     * @param home the home directory used when {@code HOME} is not set
     */
    public static CacheDirectories resolve(Map<String, String> env, Path home) {
        Path homeDir = variable(env, "HOME").map(Path::of).orElse(home);
        Path hub = firstOf(
                env,
                List.of(
                        new Candidate("LLAMA_CACHE", ""),
                        new Candidate("HF_HUB_CACHE", ""),
                        new Candidate("HUGGINGFACE_HUB_CACHE", ""),
                        new Candidate("HF_HOME", "hub"),
                        new Candidate("XDG_CACHE_HOME", "huggingface/hub")),
                homeDir.resolve(".cache/huggingface/hub"));
        Path legacy = firstOf(
                env,
                List.of(new Candidate("LLAMA_CACHE", ""), new Candidate("XDG_CACHE_HOME", "llama.cpp")),
                homeDir.resolve(".cache/llama.cpp"));
        return new CacheDirectories(hub, legacy);
    }

    private record Candidate(String variable, String subdirectory) {}

    private static Path firstOf(Map<String, String> env, List<Candidate> candidates, Path fallback) {
        return candidates.stream()
                .flatMap(c -> variable(env, c.variable()).map(v -> Path.of(v).resolve(c.subdirectory())).stream())
                .findFirst()
                .orElse(fallback);
    }

    private static Optional<String> variable(Map<String, String> env, String name) {
        return Optional.ofNullable(env.get(name)).filter(v -> !v.isEmpty());
    }
}
