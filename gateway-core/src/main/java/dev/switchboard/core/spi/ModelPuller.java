package dev.switchboard.core.spi;

import java.io.IOException;

/**
 * A backend's way to fetch models into the place its sources read them from, as {@code ollama
 * pull} does (llama.cpp: the Hugging Face cache). Downloads take no model slot.
 */
public interface ModelPuller {

    /**
     * Downloads a model, blocking until it is complete.
     *
     * @param reference what to fetch, such as {@code org/repo:Q4_K_M}
     * @return the id the model is listed under once its sources are rescanned
     * @throws IOException when the download fails; {@link PullException} carries an HTTP status
     */
    String pull(String reference, Progress progress) throws IOException;

    /**
     * Checks a reference without fetching anything, so that a malformed one is refused before a
     * download is started in the background.
     *
     * @throws PullException (400) when the reference is malformed
     */
    default void validate(String reference) throws PullException {}

    /**
     * Removes a downloaded model.
     *
     * @return whether there was anything to remove
     */
    boolean delete(String reference) throws IOException;

    /** Receives download progress, file by file. */
    @FunctionalInterface
    interface Progress {
        void update(String file, long doneBytes, long totalBytes);
    }

    /** A download failure with the HTTP status a client should see (404 unknown model, 401 no access). */
    final class PullException extends IOException {
        private static final long serialVersionUID = 1L;
        private final int status;

        public PullException(int status, String message, Throwable cause) {
            super(message, cause);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }
}
