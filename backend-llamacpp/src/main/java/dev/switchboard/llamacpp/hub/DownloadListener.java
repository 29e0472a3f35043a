package dev.switchboard.llamacpp.hub;

import java.nio.file.Path;
import java.util.List;

/**
 * Observes a download. Calls come on the downloading thread, so they must be quick; every method
 * does nothing unless overridden.
 */
public interface DownloadListener {

    /** A listener that ignores everything. */
    DownloadListener NONE = new DownloadListener() {};

    /**
     * Bytes of one file are on disk: called when the file starts (with what an earlier attempt left),
     * about every thousandth of it, and when it is complete ({@code done == total}). A file already
     * in the cache reports only its completion.
     *
     * @param model the reference being downloaded, as given
     * @param file the file's path in the repository
     * @param done bytes on disk
     * @param total the file's size
     */
    default void progress(String model, String file, long done, long total) {}

    /**
     * Every file of the model is in the cache.
     *
     * @param model the reference being downloaded, as given
     * @param files the local files, as in {@link DownloadResult#files()}
     */
    default void finished(String model, List<Path> files) {}
}
