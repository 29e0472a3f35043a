package dev.switchboard.realengine;

import dev.switchboard.llamacpp.gguf.TinyLlamaModels;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * The real llama-server that Maven provided for this tier ({@code provide-llama-server.sh}, run before
 * the tests), and the tiny real models it serves.
 */
final class RealLlamaServer {

    private static final Properties PATHS = paths();

    private RealLlamaServer() {}

    /** The llama-server binary (llama.cpp v0.4.0, CPU-only). */
    static Path binary() {
        return Path.of(PATHS.getProperty("binary"));
    }

    /** The llama.cpp source tree the binary was built from. */
    static Path source() {
        return Path.of(PATHS.getProperty("source"));
    }

    /**
     * Writes model {@code id} as {@code dir/<file name>}: a random-weight llama model of {@code
     * size} with the release's SentencePiece tokenizer. Each size is generated once per test run
     * and linked, so a test pays for a model in microseconds.
     */
    static Path writeModel(Path file, TinyLlamaModels.Size size) {
        try {
            Path made = Path.of(System.getProperty("real.models", "target/real-models"))
                    .resolve(size.name().toLowerCase() + ".gguf");
            synchronized (RealLlamaServer.class) {
                if (!Files.exists(made)) {
                    Files.createDirectories(made.getParent());
                    Path partial = made.resolveSibling(made.getFileName() + ".part");
                    TinyLlamaModels.write(partial, size, 42, source().resolve("models/ggml-vocab-llama-spm.gguf"));
                    Files.move(partial, made);
                }
            }
            Files.createDirectories(file.getParent());
            Files.copy(made, file);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the smallest model as {@code dir/<id>.gguf}. */
    static Path writeModel(Path dir, String id) {
        return writeModel(dir.resolve(id + ".gguf"), TinyLlamaModels.Size.TINY);
    }

    private static Properties paths() {
        String file = System.getProperty("llama.paths");
        if (file == null) {
            throw new IllegalStateException("no llama.paths system property: run this tier through Maven,"
                    + " which provides the binary with tools/llama-server/build.sh");
        }
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(Path.of(file))) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }
}
