package dev.switchboard.llamacpp.hub;

import dev.switchboard.core.spi.ModelPuller;
import java.io.IOException;

/** The gateway's pull and delete, done by {@link HfDownloader} into llama.cpp's cache. */
public final class HubModelPuller implements ModelPuller {
    private final HfDownloader downloader;

    public HubModelPuller(HfDownloader downloader) {
        this.downloader = downloader;
    }

    @Override
    public String pull(String reference, Progress progress) throws IOException {
        try {
            return downloader
                    .download(reference, new DownloadListener() {
                        @Override
                        public void progress(String model, String file, long done, long total) {
                            progress.update(file, done, total);
                        }
                    })
                    .model();
        } catch (HubException e) {
            throw new PullException(e.status(), e.getMessage(), e);
        }
    }

    @Override
    public void validate(String reference) throws PullException {
        try {
            HfDownloader.check(reference);
        } catch (HubException e) {
            throw new PullException(e.status(), e.getMessage(), e);
        }
    }

    @Override
    public boolean delete(String reference) throws IOException {
        try {
            return downloader.delete(reference);
        } catch (HubException e) {
            throw new PullException(e.status(), e.getMessage(), e);
        }
    }
}
