package dev.switchboard.llamacpp.gguf;

import java.io.IOException;
import java.nio.file.Path;

/** A file is not a readable GGUF file: wrong magic, unsupported version, truncated or corrupt. */
public final class GgufFormatException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final long offset;

    public GgufFormatException(Path file, long offset, String problem) {
        super(file + ": not a valid GGUF file at byte " + offset + ": " + problem);
        this.file = file;
        this.offset = offset;
    }

    public Path file() {
        return file;
    }

    /** The byte offset where reading failed. */
    public long offset() {
        return offset;
    }
}
