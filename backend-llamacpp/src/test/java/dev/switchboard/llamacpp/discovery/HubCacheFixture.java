package dev.switchboard.llamacpp.discovery;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;

/**
 * Builds a Hugging Face hub cache the way {@code huggingface_hub} and llama.cpp lay it out: {@code
 * models--org--repo/refs/main} holding a commit, {@code blobs/<hash>} holding the bytes, and {@code
 * snapshots/<commit>/<path>} as relative symbolic links into the blobs.
 */
public final class HubCacheFixture {

    private final Path hub;

    public HubCacheFixture(Path hub) {
        this.hub = hub;
    }

    public Path hub() {
        return hub;
    }

    public Repo repo(String repoId) throws IOException {
        return new Repo(Files.createDirectories(hub.resolve("models--" + repoId.replace("/", "--"))));
    }

    /** A commit id that is 40 hex digits, derived from a short label. */
    public static String commit(String label) {
        return HexFormat.of().formatHex(String.format("%-20s", label).getBytes(StandardCharsets.US_ASCII));
    }

    /** One repository folder in the cache. */
    public static final class Repo {
        private final Path folder;

        Repo(Path folder) {
            this.folder = folder;
        }

        public Path folder() {
            return folder;
        }

        /** Points a ref, such as {@code main}, at a commit. */
        public Repo ref(String name, String commit) throws IOException {
            Path ref = folder.resolve("refs").resolve(name);
            Files.createDirectories(ref.getParent());
            Files.writeString(ref, commit);
            return this;
        }

        /**
         * Adds a file to a commit's snapshot: the content goes to a blob, the snapshot gets a
         * relative link to it.
         *
         * @return the snapshot path of the file
         */
        public Path file(String commit, String path, String content) throws IOException {
            Path blob = folder.resolve("blobs").resolve(Integer.toHexString((commit + path).hashCode()) + "blob");
            Files.createDirectories(blob.getParent());
            Files.writeString(blob, content);
            Path link = folder.resolve("snapshots").resolve(commit).resolve(path);
            Files.createDirectories(link.getParent());
            Files.createSymbolicLink(link, link.getParent().relativize(blob));
            return link;
        }
    }
}
