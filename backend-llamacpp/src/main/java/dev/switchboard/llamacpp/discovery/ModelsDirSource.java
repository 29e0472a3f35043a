package dev.switchboard.llamacpp.discovery;

import dev.switchboard.core.spi.ModelDescriptor;
import dev.switchboard.core.spi.ModelSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The models of a {@code --models-dir}, named the way llama-server names them.
 *
 * <ul>
 *   <li>A file {@code X.gguf} at the top is model {@code X} (every {@code .gguf} is removed from
 *       the name).
 *   <li>A subdirectory {@code D} is model {@code D}. Among its {@code .gguf} files, one whose name
 *       contains {@code mmproj} is the projector, one containing {@code -00001-of-} is the first
 *       shard of a split model, and otherwise a plain file is the model; a split wins over a plain
 *       file. A subdirectory without a model file is ignored.
 *   <li>Anything else is ignored. Symbolic links are followed.
 * </ul>
 *
 * <p>Where llama.cpp's pick depends on directory order (two plain model files in one
 * subdirectory), the first by name wins here.
 */
public final class ModelsDirSource implements ModelSource {

    private static final String EXTENSION = ".gguf";

    private final Path directory;
    private final String backend;

    public ModelsDirSource(Path directory, String backend) {
        this.directory = directory;
        this.backend = backend;
    }

    @Override
    public String describe() {
        return "models-dir " + directory;
    }

    /** @throws NotDirectoryException when the directory does not exist, as llama-server refuses to start */
    @Override
    public List<ModelDescriptor> scan() throws IOException {
        if (!Files.isDirectory(directory)) {
            throw new NotDirectoryException(directory + " does not exist or is not a directory");
        }
        List<ModelDescriptor> models = new ArrayList<>();
        for (Path entry : sortedEntries(directory)) {
            Optional<LocalModel> model = Files.isDirectory(entry) ? fromSubdirectory(entry) : fromFile(entry);
            if (model.isPresent()) {
                models.add(model.get().toDescriptor(backend));
            }
        }
        return models;
    }

    private static Optional<LocalModel> fromFile(Path file) {
        if (!Files.isRegularFile(file) || !name(file).endsWith(EXTENSION)) {
            return Optional.empty();
        }
        return Optional.of(local(name(file).replace(EXTENSION, ""), file, Optional.empty()));
    }

    private static Optional<LocalModel> fromSubdirectory(Path subdirectory) throws IOException {
        List<Path> ggufFiles = sortedEntries(subdirectory).stream()
                .filter(f -> Files.isRegularFile(f) && name(f).endsWith(EXTENSION))
                .toList();
        Optional<Path> mmproj = first(ggufFiles, name -> name.contains("mmproj"));
        Optional<Path> model = first(ggufFiles, name -> !name.contains("mmproj") && name.contains("-00001-of-"))
                .or(() -> first(ggufFiles, name -> !name.contains("mmproj")));
        return model.map(m -> local(name(subdirectory), m, mmproj));
    }

    private static Optional<Path> first(List<Path> files, Predicate<String> name) {
        return files.stream().filter(f -> name.test(name(f))).findFirst();
    }

    private static String name(Path path) {
        return path.getFileName().toString();
    }

    private static LocalModel local(String id, Path model, Optional<Path> mmproj) {
        return new LocalModel(
                id, model.toString(), model, mmproj, Map.of(ModelMetadata.ORIGIN, ModelMetadata.MODELS_DIR));
    }

    private static List<Path> sortedEntries(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.sorted(Comparator.comparing(ModelsDirSource::name)).toList();
        }
    }
}
