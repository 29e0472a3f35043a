package dev.switchboard.app.parity;

import dev.switchboard.llamacpp.gguf.GgufFixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A {@code --models-dir} of tiny but valid GGUF models (the backend reads their headers). */
final class ModelsDir {

    private ModelsDir() {}

    /** The models directory under {@code dir}, created if needed. */
    static Path of(Path dir) {
        try {
            return Files.createDirectories(dir.resolve("models"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes model {@code id}, as {@code <id>.gguf}, into the models directory under {@code dir}. */
    static Path addModel(Path dir, String id) {
        try {
            return GgufFixtures.llama(of(dir).resolve(id + ".gguf"), GgufFixtures.TINY);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
