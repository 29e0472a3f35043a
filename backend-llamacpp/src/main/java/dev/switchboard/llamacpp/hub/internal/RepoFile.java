package dev.switchboard.llamacpp.hub.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;

/**
 * One file of a repository at a commit, as the hub's tree listing describes it.
 *
 * @param path the path in the repository, {@code /}-separated
 * @param size the size in bytes
 * @param oid the content hash, which also names the file's blob in the cache: the SHA-256 of the
 *     content for a file stored in LFS, else git's SHA-1 of the blob
 * @param lfs whether the file is stored in LFS (as GGUFs are)
 */
public record RepoFile(String path, long size, String oid, boolean lfs) {

    public RepoFile {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(oid, "oid");
    }

    /**
     * A digest that yields {@link #oid()} once fed the file's content: SHA-256 for LFS files; for
     * others git's SHA-1, which hashes a {@code blob <size>\0} header before the content.
     */
    public MessageDigest newDigest() {
        try {
            if (lfs) {
                return MessageDigest.getInstance("SHA-256");
            }
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            sha1.update(("blob " + size + "\0").getBytes(StandardCharsets.US_ASCII));
            return sha1;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK provides SHA-256 and SHA-1", e);
        }
    }
}
