package dev.switchboard.app.config;

import dev.switchboard.app.config.internal.ConfigFormat;
import dev.switchboard.app.config.internal.YamlNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * Reads configuration files: Switchboard's own YAML or a llama-swap {@code config.yaml}, told
 * apart by their keys. Strings may refer to environment variables as {@code ${env.NAME}}. Every
 * problem is a {@link ConfigException} naming the file, the line and the key.
 *
 * <pre>{@code
 * AppConfig config = ConfigLoader.withSystemEnvironment().load(Path.of("config.yaml"));
 * }</pre>
 */
public final class ConfigLoader {
    private final UnaryOperator<String> environment;

    private ConfigLoader(UnaryOperator<String> environment) {
        this.environment = environment;
    }

    /** A loader that reads {@code ${env.NAME}} from the process environment. */
    public static ConfigLoader withSystemEnvironment() {
        return new ConfigLoader(System::getenv);
    }

    /** A loader that reads {@code ${env.NAME}} from the given variables. */
    public static ConfigLoader withEnvironment(Map<String, String> environment) {
        Map<String, String> copy = Map.copyOf(environment);
        return new ConfigLoader(copy::get);
    }

    /**
     * A loader that leaves {@code ${env.NAME}} references as they are, for translating a file into
     * another without baking in this machine's values (or secrets).
     */
    public static ConfigLoader keepingEnvironmentReferences() {
        return new ConfigLoader(name -> "${env." + name + "}");
    }

    /**
     * Reads a file in either format; relative paths in it are resolved against its directory.
     *
     * @throws ConfigException when the file cannot be read or is invalid
     */
    public AppConfig load(Path file) {
        YamlNode root = parse(file);
        return ConfigFormat.detect(root).read(root, directoryOf(file));
    }

    /**
     * Reads a text in either format, for configuration that does not come from a file.
     *
     * @param fileName the name shown in messages
     * @param baseDirectory the directory relative paths are resolved against
     */
    public AppConfig load(String fileName, String text, Path baseDirectory) {
        YamlNode root = YamlNode.parse(fileName, text, environment);
        return ConfigFormat.detect(root).read(root, baseDirectory);
    }

    /** Reads a file as a llama-swap configuration, whatever its keys suggest. */
    public AppConfig loadLlamaSwap(Path file) {
        return ConfigFormat.LLAMA_SWAP.read(parse(file), directoryOf(file));
    }

    private YamlNode parse(Path file) {
        Objects.requireNonNull(file, "file");
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            String problem = e instanceof NoSuchFileException ? "no such file" : "cannot read it: " + e.getMessage();
            throw new ConfigException(file.toString(), 0, "", problem);
        }
        return YamlNode.parse(file.toString(), text, environment);
    }

    private static Path directoryOf(Path file) {
        return file.toAbsolutePath().getParent();
    }
}
