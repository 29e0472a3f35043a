package dev.switchboard.llamacpp.hub.internal;

import dev.switchboard.llamacpp.hub.HubException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * Downloads one file into its blob the way llama.cpp does: bytes go to {@code
 * <blob>.downloadInProgress}, which an interrupted download leaves behind so the next one asks only
 * for the rest ({@code Range: bytes=N-}); the finished file becomes the blob only once its size and
 * content hash match the listing. A mismatch deletes the partial file, as its bytes cannot be
 * trusted to resume from.
 */
public final class BlobDownload {

    /** The suffix of a blob still being downloaded, as llama.cpp names it. */
    private static final String PARTIAL_SUFFIX = ".downloadInProgress";

    private static final int BUFFER = 1 << 16;
    private static final int PROGRESS_STEPS = 1000;

    private final RepoFile file;
    private final Path blob;
    private final Path partial;

    /** Where the content comes from: the file from {@code offset} on, or the whole file. */
    @FunctionalInterface
    public interface Source {
        RangeBody open(long offset) throws IOException;
    }

    /** Told how many of the file's bytes are on disk, now and then while they arrive. */
    @FunctionalInterface
    public interface Progress {
        void update(long done, long total);
    }

    public BlobDownload(RepoFile file, Path blob) {
        this.file = file;
        this.blob = blob;
        this.partial = blob.resolveSibling(blob.getFileName() + PARTIAL_SUFFIX);
    }

    /**
     * Fetches the file into the blob, resuming a partial download.
     *
     * @return the number of bytes received from the source
     * @throws HubException with status 502 when the content does not match the listing
     * @throws IOException when the transfer breaks off; the bytes so far stay for the next attempt
     */
    public long fetch(Source source, Progress progress) throws IOException {
        Files.createDirectories(blob.getParent());
        long have = Files.exists(partial) ? Files.size(partial) : 0;
        if (have > file.size()) {
            Files.delete(partial);
            have = 0;
        }
        MessageDigest digest = file.newDigest();
        long received = 0;
        if (have < file.size()) {
            RangeBody range = source.open(have);
            if (range.start() != have) {
                have = 0;
            }
            hashExisting(digest, have);
            received = append(range, have, digest, progress);
        } else {
            hashExisting(digest, have);
        }
        verify(digest);
        Files.move(partial, blob, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        progress.update(file.size(), file.size());
        return received;
    }

    /** Feeds the first {@code length} bytes already on disk into the digest. */
    private void hashExisting(MessageDigest digest, long length) throws IOException {
        if (length == 0) {
            return;
        }
        try (InputStream in = Files.newInputStream(partial)) {
            byte[] buffer = new byte[BUFFER];
            long left = length;
            while (left > 0) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (n < 0) {
                    throw new IOException("partial download " + partial + " shrank while being read");
                }
                digest.update(buffer, 0, n);
                left -= n;
            }
        }
    }

    /**
     * Writes the body after the first {@code have} bytes of the partial file, stopping once past the
     * listed size so an overlong body cannot grow the file without bound.
     */
    private long append(RangeBody range, long have, MessageDigest digest, Progress progress) throws IOException {
        long done = have;
        long step = Math.max(1, file.size() / PROGRESS_STEPS);
        long reported = done;
        progress.update(done, file.size());
        StandardOpenOption mode = have == 0 ? StandardOpenOption.TRUNCATE_EXISTING : StandardOpenOption.APPEND;
        try (InputStream in = range.body();
                OutputStream out =
                        Files.newOutputStream(partial, StandardOpenOption.CREATE, StandardOpenOption.WRITE, mode)) {
            byte[] buffer = new byte[BUFFER];
            int n;
            while (done <= file.size() && (n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                digest.update(buffer, 0, n);
                done += n;
                if (done - reported >= step && done < file.size()) {
                    progress.update(Math.min(done, file.size()), file.size());
                    reported = done;
                }
            }
        } catch (IOException e) {
            throw brokenOff(done, e);
        }
        if (done < file.size()) {
            throw brokenOff(done, null);
        }
        return done - have;
    }

    private IOException brokenOff(long done, IOException cause) {
        return new IOException(
                "download of " + file.path() + " broke off after " + done + " of " + file.size()
                        + " bytes; the next download resumes from there",
                cause);
    }

    private void verify(MessageDigest digest) throws IOException {
        long size = Files.size(partial);
        String actual = HexFormat.of().formatHex(digest.digest());
        if (size != file.size() || !actual.equals(file.oid())) {
            Files.delete(partial);
            throw new HubException(
                    502,
                    "checksum mismatch for " + file.path() + ": expected " + file.size() + " bytes with hash "
                            + file.oid() + ", got " + size + " bytes with hash " + actual);
        }
    }
}
