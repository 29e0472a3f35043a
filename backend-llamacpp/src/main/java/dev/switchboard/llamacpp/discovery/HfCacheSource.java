package dev.switchboard.llamacpp.discovery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.core.spi.ModelDescriptor;
import dev.switchboard.core.spi.ModelSource;
import dev.switchboard.llamacpp.gguf.GgufFileName;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The models llama.cpp has downloaded, listed under the ids llama-server's router shows for them:
 * {@code org/repo:TAG}, where TAG is the quantization read from the file name.
 *
 * <p>In the hub cache ({@link CacheDirectories#hub()}), each {@code models--org--repo} folder is
 * read at the commit {@code refs/main} names (or the first valid ref), through the snapshot's
 * symbolic links into {@code blobs/}. Every GGUF that is not a projector or a draft/MTP side file,
 * has a tag, and is the first shard (or unsplit) becomes a model; the first file seen wins a tag.
 * Its projector is the {@code mmproj} file in the same folder or the nearest parent, closest in
 * quantization bits.
 *
 * <p>In the legacy flat cache ({@link CacheDirectories#legacy()}), each {@code
 * manifest=org=repo=tag.json} names its files, stored as {@code org_repo_<file>}; the tag {@code
 * latest} is left out of the id. A model found in both layouts is listed once, from the hub.
 *
 * <p>Cached models load from their local files ({@code --model}), not with {@code --hf-repo}, so a
 * load never waits on the network.
 */
public final class HfCacheSource implements ModelSource {

    private static final Logger LOG = LoggerFactory.getLogger(HfCacheSource.class);

    private static final String REPO_FOLDER_PREFIX = "models--";
    private static final Pattern COMMIT = Pattern.compile("[0-9a-fA-F]{40}");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final CacheDirectories directories;
    private final String backend;

    public HfCacheSource(CacheDirectories directories, String backend) {
        this.directories = directories;
        this.backend = backend;
    }

    @Override
    public String describe() {
        return "hf-cache " + directories.hub();
    }

    @Override
    public List<ModelDescriptor> scan() throws IOException {
        Map<String, LocalModel> models = new LinkedHashMap<>();
        for (LocalModel model : hubModels()) {
            models.putIfAbsent(model.id(), model);
        }
        for (LocalModel model : legacyModels()) {
            models.putIfAbsent(model.id(), model);
        }
        List<ModelDescriptor> descriptors = new ArrayList<>();
        for (LocalModel model : models.values()) {
            descriptors.add(model.toDescriptor(backend));
        }
        return descriptors;
    }

    /**
     * The cached model an {@code --hf-repo} reference (and {@code --hf-file}, when given) loads:
     * the model with that file, else the one with that tag, else, without a tag, llama.cpp's default
     * choice: {@code Q4_K_M}, then {@code Q8_0}, then the repository's first model.
     *
     * @param cached descriptors this source listed
     */
    public static Optional<ModelDescriptor> resolve(
            List<ModelDescriptor> cached, HfReference reference, Optional<String> hfFile) {
        List<ModelDescriptor> inRepo = cached.stream()
                .filter(m -> reference.repo().equals(m.metadata().get(ModelMetadata.HF_REPO)))
                .toList();
        if (hfFile.isPresent()) {
            return inRepo.stream()
                    .filter(m -> hfFile.get().equals(m.metadata().get(ModelMetadata.HF_FILE)))
                    .findFirst();
        }
        List<String> tags = reference.tag().isEmpty() ? RepoFileChoice.DEFAULT_TAGS : List.of(reference.tag());
        for (String tag : tags) {
            Optional<ModelDescriptor> match = inRepo.stream()
                    .filter(m ->
                            tag.equalsIgnoreCase(String.valueOf(m.metadata().get(ModelMetadata.QUANTIZATION))))
                    .findFirst();
            if (match.isPresent()) {
                return match;
            }
        }
        return reference.tag().isEmpty() ? inRepo.stream().findFirst() : Optional.empty();
    }

    private List<LocalModel> hubModels() throws IOException {
        List<LocalModel> models = new ArrayList<>();
        if (!Files.isDirectory(directories.hub())) {
            return models;
        }
        for (Path folder : sortedEntries(directories.hub())) {
            String name = folder.getFileName().toString();
            if (!Files.isDirectory(folder) || !name.startsWith(REPO_FOLDER_PREFIX)) {
                continue;
            }
            String repo = name.substring(REPO_FOLDER_PREFIX.length()).replace("--", "/");
            Optional<Path> snapshot = snapshot(folder);
            if (HfReference.isValidRepoId(repo) && snapshot.isPresent()) {
                models.addAll(repoModels(repo, snapshot.get()));
            }
        }
        return models;
    }

    /** The snapshot folder of the commit {@code refs/main} names, or of the first valid ref. */
    private static Optional<Path> snapshot(Path repoFolder) throws IOException {
        Path refs = repoFolder.resolve("refs");
        if (!Files.isDirectory(refs)) {
            return Optional.empty();
        }
        Optional<String> commit = Optional.empty();
        for (Path ref : sortedEntries(refs)) {
            Optional<String> value = readCommit(ref);
            if (value.isPresent() && ref.getFileName().toString().equals("main")) {
                commit = value;
                break;
            }
            commit = commit.or(() -> value);
        }
        return commit.map(c -> repoFolder.resolve("snapshots").resolve(c)).filter(Files::isDirectory);
    }

    private static Optional<String> readCommit(Path ref) throws IOException {
        if (!Files.isRegularFile(ref)) {
            return Optional.empty();
        }
        return Files.readAllLines(ref).stream().findFirst().map(String::strip).filter(COMMIT.asPredicate());
    }

    private static List<LocalModel> repoModels(String repo, Path snapshot) throws IOException {
        List<String> files = relativeFiles(snapshot);
        Set<String> seenTags = new HashSet<>();
        List<LocalModel> models = new ArrayList<>();
        for (String file : files) {
            Path path = snapshot.resolve(file);
            if (!RepoFileChoice.isListedModel(file) || !Files.exists(path)) {
                continue;
            }
            String tag = GgufFileName.parse(file).orElseThrow().tag();
            if (!seenTags.add(tag)) {
                continue;
            }
            String id = repo + ":" + tag;
            Optional<Path> mmproj = RepoFileChoice.projector(files, file).map(snapshot::resolve);
            models.add(new LocalModel(id, id, path, mmproj, cacheMetadata(repo, file, tag)));
        }
        return models;
    }

    /** Files and links in the snapshot, as paths relative to it with {@code /} separators, sorted. */
    private static List<String> relativeFiles(Path snapshot) throws IOException {
        try (Stream<Path> walk = Files.walk(snapshot)) {
            return walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) || Files.isSymbolicLink(p))
                    .map(p -> snapshot.relativize(p).toString().replace('\\', '/'))
                    .sorted()
                    .toList();
        }
    }

    private List<LocalModel> legacyModels() throws IOException {
        List<LocalModel> models = new ArrayList<>();
        if (!Files.isDirectory(directories.legacy())) {
            return models;
        }
        for (Path file : sortedEntries(directories.legacy())) {
            String name = file.getFileName().toString();
            if (Files.isRegularFile(file) && name.startsWith("manifest=") && name.endsWith(".json")) {
                legacyModel(file, name.replace(".json", "").split("=", -1)).ifPresent(models::add);
            }
        }
        return models;
    }

    /** One legacy manifest: {@code manifest=<user>=<model>=<tag>.json}. */
    private Optional<LocalModel> legacyModel(Path manifestFile, String[] parts) {
        if (parts.length != 4) {
            return Optional.empty();
        }
        String repo = parts[1] + "/" + parts[2];
        String id = parts[3].equals("latest") ? repo : repo + ":" + parts[3];
        try {
            JsonNode manifest = JSON.readTree(manifestFile.toFile());
            Optional<String> modelFile = rfilename(manifest, "ggufFile");
            Optional<Path> model = modelFile.map(f -> legacyFile(parts, f)).filter(Files::exists);
            if (model.isEmpty()) {
                return Optional.empty();
            }
            Optional<Path> mmproj = rfilename(manifest, "mmprojFile")
                    .map(f -> legacyFile(parts, f))
                    .filter(Files::exists);
            String tag =
                    GgufFileName.parse(modelFile.get()).map(GgufFileName::tag).orElse(parts[3]);
            return Optional.of(new LocalModel(id, id, model.get(), mmproj, cacheMetadata(repo, modelFile.get(), tag)));
        } catch (IOException e) {
            LOG.warn("skipping unreadable llama.cpp cache manifest {}: {}", manifestFile, e.getMessage());
            return Optional.empty();
        }
    }

    private static Optional<String> rfilename(JsonNode manifest, String field) {
        return Optional.ofNullable(manifest.path(field).path("rfilename").textValue());
    }

    /** Where the legacy cache stores a repository file: {@code <user>_<model>_<file with / as _>}. */
    private Path legacyFile(String[] manifestParts, String repoFile) {
        return directories
                .legacy()
                .resolve((manifestParts[1] + "_" + manifestParts[2] + "_" + repoFile).replace('/', '_'));
    }

    private static Map<String, Object> cacheMetadata(String repo, String file, String tag) {
        return Map.of(
                ModelMetadata.ORIGIN,
                ModelMetadata.CACHE,
                ModelMetadata.HF_REPO,
                repo,
                ModelMetadata.HF_FILE,
                file,
                ModelMetadata.QUANTIZATION,
                tag.toUpperCase(Locale.ROOT));
    }

    private static List<Path> sortedEntries(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.sorted().toList();
        }
    }
}
