package dev.switchboard.llamacpp.hub.internal;

import dev.switchboard.llamacpp.discovery.RepoFileChoice;
import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * One repository's folder in the Hugging Face hub cache, laid out as {@code huggingface_hub} and
 * llama.cpp lay it out: {@code models--org--repo/blobs/<oid>} holds each file's bytes under its
 * content hash, {@code snapshots/<commit>/<path>} is a relative symbolic link to that blob, and
 * {@code refs/<branch>} holds the commit the branch pointed at when last downloaded.
 */
public final class RepoCache {

    private final Path folder;

    public RepoCache(Path hub, String repo) {
        this.folder = hub.resolve("models--" + repo.replace("/", "--"));
    }

    public Path blob(String oid) {
        return folder.resolve("blobs").resolve(oid);
    }

    public Path snapshotFile(String commit, String path) {
        return folder.resolve("snapshots").resolve(commit).resolve(path);
    }

    /** Links a file of a commit's snapshot to its blob, replacing whatever was at that path. */
    public void link(String commit, RepoFile file) throws IOException {
        Path link = snapshotFile(commit, file.path());
        Files.createDirectories(link.getParent());
        Files.deleteIfExists(link);
        Files.createSymbolicLink(link, link.getParent().relativize(blob(file.oid())));
    }

    /** Points {@code refs/<branch>} at the branch's commit, atomically so readers never see it half written. */
    public void writeRef(Branch branch) throws IOException {
        Path ref = folder.resolve("refs").resolve(branch.name());
        Files.createDirectories(ref.getParent());
        Path temporary = ref.resolveSibling(ref.getFileName() + ".tmp");
        Files.writeString(temporary, branch.commit());
        Files.move(temporary, ref, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Removes the model with a tag (every shard, from every snapshot) and the blobs no other file
     * links to. When no model is left in the repository, or the tag is empty, the whole folder goes,
     * projectors and unfinished downloads included, as nothing would load them any more; so removing
     * a model whose first download never finished clears what it left.
     *
     * @return whether anything was removed
     */
    public boolean remove(String tag) throws IOException {
        if (!Files.isDirectory(folder)) {
            return false;
        }
        if (tag.isEmpty()) {
            deleteTree(folder);
            return true;
        }
        Optional<String> wanted = Optional.of(tag.toUpperCase(Locale.ROOT));
        Set<Path> freedBlobs = new HashSet<>();
        boolean removed = false;
        for (SnapshotEntry entry : snapshotEntries()) {
            if (RepoFileChoice.modelTag(entry.path()).equals(wanted)) {
                entry.target().ifPresent(freedBlobs::add);
                Files.delete(entry.file());
                removed = true;
            }
        }
        List<SnapshotEntry> left = snapshotEntries();
        if (left.stream().noneMatch(e -> RepoFileChoice.isListedModel(e.path()))) {
            deleteTree(folder);
            return true;
        }
        if (!removed) {
            return false;
        }
        left.forEach(e -> e.target().ifPresent(freedBlobs::remove));
        for (Path blob : freedBlobs) {
            Files.deleteIfExists(blob);
        }
        deleteEmptyFolders(folder.resolve("snapshots"));
        return true;
    }

    /**
     * A file or link in a snapshot.
     *
     * @param file where it is
     * @param path its path in the repository
     * @param target the blob it links to, empty for a plain file
     */
    private record SnapshotEntry(Path file, String path, Optional<Path> target) {}

    private List<SnapshotEntry> snapshotEntries() throws IOException {
        Path snapshots = folder.resolve("snapshots");
        List<SnapshotEntry> entries = new ArrayList<>();
        if (!Files.isDirectory(snapshots)) {
            return entries;
        }
        for (Path snapshot : list(snapshots)) {
            try (Stream<Path> walk = Files.walk(snapshot)) {
                for (Path file : walk.filter(RepoCache::isFileOrLink).toList()) {
                    String path = snapshot.relativize(file).toString().replace('\\', '/');
                    entries.add(new SnapshotEntry(file, path, linkTarget(file)));
                }
            }
        }
        return entries;
    }

    private static boolean isFileOrLink(Path path) {
        return Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS) || Files.isSymbolicLink(path);
    }

    private static Optional<Path> linkTarget(Path file) throws IOException {
        if (!Files.isSymbolicLink(file)) {
            return Optional.empty();
        }
        return Optional.of(
                file.getParent().resolve(Files.readSymbolicLink(file)).normalize());
    }

    private static void deleteEmptyFolders(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path dir : walk.filter(Files::isDirectory)
                    .sorted(Comparator.reverseOrder())
                    .toList()) {
                deleteIfEmpty(dir);
            }
        }
    }

    private static void deleteIfEmpty(Path dir) throws IOException {
        try {
            Files.delete(dir);
        } catch (DirectoryNotEmptyException e) {
            // still holds files of other models: kept
        }
    }

    /** Deletes a folder and everything in it; links are deleted, never followed. */
    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    private static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.sorted().toList();
        }
    }
}
