package dev.switchboard.llamacpp.hub;

import dev.switchboard.llamacpp.discovery.CacheDirectories;
import dev.switchboard.llamacpp.discovery.HfReference;
import dev.switchboard.llamacpp.discovery.RepoFileChoice;
import dev.switchboard.llamacpp.gguf.GgufFileName;
import dev.switchboard.llamacpp.hub.internal.BlobDownload;
import dev.switchboard.llamacpp.hub.internal.Branch;
import dev.switchboard.llamacpp.hub.internal.RepoCache;
import dev.switchboard.llamacpp.hub.internal.RepoFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Fills the hub cache the way {@code llama-server -hf org/repo:TAG} does, so that {@link
 * dev.switchboard.llamacpp.discovery.HfCacheSource} (and llama.cpp itself) then list the model.
 *
 * <p>A download resolves the repository's {@code main} branch to a commit, lists the files at that
 * commit, picks the model for the tag as llama.cpp does (every shard of a split model, plus the
 * projector that goes with it), and fetches each file not yet cached into {@code blobs/<hash>},
 * checking its size and hash against the listing. The snapshot then links every listed file whose
 * blob is present, so quantizations downloaded at an earlier commit and unchanged since stay
 * listed, and {@code refs/main} moves to the commit last, once the snapshot is complete.
 *
 * <p>Calls block; run them on a virtual thread. Downloads and deletes of one repository take turns
 * within this downloader; other processes writing the same cache are not coordinated with.
 */
public final class HfDownloader {

    /** The file that makes a repository a preset repository, at its root. */
    public static final String PRESET_FILE = "preset.ini";

    private final HubClient client;
    private final Path hub;
    private final Map<String, ReentrantLock> repoLocks = new ConcurrentHashMap<>();

    /** Downloads into {@link CacheDirectories#hub()}, where {@code HfCacheSource} looks. */
    public HfDownloader(HubClient client, CacheDirectories directories) {
        this.client = client;
        this.hub = directories.hub();
    }

    /**
     * Downloads a model unless it is already cached, resuming files an earlier attempt left
     * unfinished.
     *
     * @param modelRef {@code org/repo:TAG}, or {@code org/repo} for llama.cpp's default choice
     *     ({@code Q4_K_M}, then {@code Q8_0}, then the first model file)
     * @throws HubException when the reference is malformed (400), the repository or tag is unknown
     *     (404), access is refused (401, 403), a file fails its checksum (502, nothing of it kept)
     *     or the hub answers with another error
     * @throws IOException when the transfer breaks off (what arrived is kept for the next attempt) or
     *     the cache cannot be written
     */
    public DownloadResult download(String modelRef, DownloadListener listener) throws IOException {
        HfReference reference = parse(modelRef);
        ReentrantLock lock = lock(reference.repo());
        try {
            return fetch(modelRef, reference, listener);
        } catch (HubException e) {
            throw new HubException(e.status(), "cannot download " + reference + ": " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    /**
     * The repository's {@code preset.ini}, downloaded into the cache, when it has one: llama.cpp's
     * router serves such a repository's presets ({@code --hf-repo org/preset-repo}).
     *
     * @throws HubException when the repository is unknown or the hub refuses
     * @throws IOException when the transfer fails
     */
    public Optional<Path> presetFile(String repo) throws IOException {
        if (!HfReference.isValidRepoId(repo)) {
            throw new HubException(400, "invalid repository '" + repo + "'");
        }
        ReentrantLock lock = lock(repo);
        try {
            Branch branch = client.branch(repo);
            Optional<RepoFile> preset = client.files(repo, branch.commit()).stream()
                    .filter(file -> file.path().equals(PRESET_FILE))
                    .findFirst();
            if (preset.isEmpty()) {
                return Optional.empty();
            }
            RepoFile file = preset.get();
            RepoCache cache = new RepoCache(hub, repo);
            if (!Files.exists(cache.blob(file.oid()))) {
                new BlobDownload(file, cache.blob(file.oid()))
                        .fetch(offset -> client.open(repo, branch.commit(), PRESET_FILE, offset), (done, total) -> {});
            }
            cache.link(branch.commit(), file);
            cache.writeRef(branch);
            return Optional.of(cache.snapshotFile(branch.commit(), PRESET_FILE));
        } finally {
            lock.unlock();
        }
    }

    /**
     * Deletes a downloaded model: its files from every snapshot and the blobs nothing else links
     * to. When no model of the repository is left, or the reference has no tag, the repository's
     * whole folder goes, with what unfinished downloads left there.
     *
     * @return whether there was anything to delete
     * @throws HubException (400) when the reference is malformed
     */
    public boolean delete(String modelRef) throws IOException {
        HfReference reference = parse(modelRef);
        ReentrantLock lock = lock(reference.repo());
        try {
            return new RepoCache(hub, reference.repo()).remove(reference.tag());
        } finally {
            lock.unlock();
        }
    }

    private DownloadResult fetch(String modelRef, HfReference reference, DownloadListener listener) throws IOException {
        String repo = reference.repo();
        Branch branch = client.branch(repo);
        List<RepoFile> listing = client.files(repo, branch.commit());
        Map<String, RepoFile> byPath =
                listing.stream().collect(Collectors.toMap(RepoFile::path, Function.identity(), (a, b) -> a));
        List<String> paths = listing.stream().map(RepoFile::path).toList();
        String model = RepoFileChoice.model(paths, reference.tag()).orElseThrow(() -> noModel(reference, paths));
        List<String> wanted = new ArrayList<>(RepoFileChoice.shards(paths, model));
        RepoFileChoice.projector(paths, model).ifPresent(wanted::add);

        RepoCache cache = new RepoCache(hub, repo);
        long downloaded = 0;
        for (String path : wanted) {
            RepoFile file = byPath.get(path);
            BlobDownload.Progress progress = (done, total) -> listener.progress(modelRef, path, done, total);
            if (Files.exists(cache.blob(file.oid()))) {
                progress.update(file.size(), file.size());
            } else {
                downloaded += new BlobDownload(file, cache.blob(file.oid()))
                        .fetch(offset -> client.open(repo, branch.commit(), path, offset), progress);
            }
        }
        for (RepoFile file : listing) {
            if (Files.exists(cache.blob(file.oid()))) {
                cache.link(branch.commit(), file);
            }
        }
        cache.writeRef(branch);

        List<Path> files = wanted.stream()
                .map(path -> cache.snapshotFile(branch.commit(), path))
                .toList();
        listener.finished(modelRef, files);
        String tag = GgufFileName.parse(model).orElseThrow().tag();
        return new DownloadResult(tag.isEmpty() ? repo : repo + ":" + tag, branch.commit(), files, downloaded);
    }

    private static HubException noModel(HfReference reference, List<String> paths) {
        List<String> tags = paths.stream()
                .filter(RepoFileChoice::isListedModel)
                .flatMap(p -> RepoFileChoice.modelTag(p).stream())
                .distinct()
                .toList();
        String wanted = reference.tag().isEmpty() ? "no GGUF model file" : "no GGUF file for tag " + reference.tag();
        return new HubException(404, wanted + " in " + reference.repo() + "; available tags: " + tags);
    }

    /**
     * Checks a reference as {@link #download} and {@link #delete} would, without touching the hub or
     * the cache.
     *
     * @throws HubException (400) when it is not {@code <user>/<model>[:quant]}
     */
    public static void check(String modelRef) throws HubException {
        parse(modelRef);
    }

    private static HfReference parse(String modelRef) throws HubException {
        HfReference reference = HfReference.parse(modelRef);
        if (!HfReference.isValidRepoId(reference.repo()) || !isValidTag(reference.tag())) {
            throw new HubException(
                    400, "invalid model reference '" + printable(modelRef) + "', expected <user>/<model>[:quant]");
        }
        return reference;
    }

    /** Quantization tags such as {@code Q4_K_M} or {@code UD-IQ2_XXS}: no path or control characters. */
    private static boolean isValidTag(String tag) {
        return tag.length() <= 64
                && tag.chars()
                        .allMatch(c -> Character.isLetterOrDigit(c) && c < 128 || c == '_' || c == '-' || c == '.');
    }

    /** The reference as a message may quote it: control characters escaped, cut when very long. */
    private static String printable(String text) {
        StringBuilder out = new StringBuilder();
        text.codePoints().limit(200).forEach(c -> {
            if (Character.isISOControl(c)) {
                out.append(String.format("\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return text.codePointCount(0, text.length()) > 200 ? out + "..." : out.toString();
    }

    private ReentrantLock lock(String repo) {
        ReentrantLock lock = repoLocks.computeIfAbsent(repo, r -> new ReentrantLock());
        lock.lock();
        return lock;
    }
}
