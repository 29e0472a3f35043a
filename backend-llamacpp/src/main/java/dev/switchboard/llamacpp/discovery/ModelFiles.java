package dev.switchboard.llamacpp.discovery;

import dev.switchboard.llamacpp.gguf.GgufFileName;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The local files a model loads, in the order descriptors list them. */
public final class ModelFiles {

    private ModelFiles() {}

    /** The model's shards in order (the file alone when unsplit), then the projector. */
    public static List<Path> of(Path model, Optional<Path> mmproj) {
        List<Path> files = new ArrayList<>(GgufFileName.modelFiles(model));
        mmproj.ifPresent(files::add);
        return files;
    }

    /** The summed size of the files, following symbolic links. */
    public static long totalSize(List<Path> files) throws IOException {
        long total = 0;
        for (Path file : files) {
            total += Files.size(file);
        }
        return total;
    }
}
