package dev.switchboard.llamacpp.preset;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/** A preset file cannot be used: it is missing, malformed, or names an unknown option. */
public final class PresetException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final int line;
    private final String key;

    /**
     * @param file the preset file
     * @param line the 1-based line of the problem, or 0 when it concerns the whole file
     * @param key the key at fault, or {@code null}
     * @param problem what is wrong
     */
    public PresetException(Path file, int line, String key, String problem) {
        super((line > 0 ? file + ":" + line : file.toString()) + ": " + problem);
        this.file = file;
        this.line = line;
        this.key = key;
    }

    public Path file() {
        return file;
    }

    /** The 1-based line of the problem, or 0 when it concerns the whole file. */
    public int line() {
        return line;
    }

    /** The key at fault, when the problem is one key. */
    public Optional<String> key() {
        return Optional.ofNullable(key);
    }
}
