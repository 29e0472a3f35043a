package dev.switchboard.llamacpp.hub;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A model that is now in the cache.
 *
 * @param model the id the cache lists it under ({@code org/repo:TAG}, the tag read from the file
 *     name as llama.cpp does), or the repository alone for a file without a tag, which the listing
 *     leaves out
 * @param commit the repository commit the files come from
 * @param files the files in the snapshot: the model's shards in order (the file alone when unsplit),
 *     then the projector when the repository has one for it
 * @param downloadedBytes the bytes received this time; 0 when everything was already cached
 */
public record DownloadResult(String model, String commit, List<Path> files, long downloadedBytes) {

    public DownloadResult {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(commit, "commit");
        files = List.copyOf(files);
    }
}
