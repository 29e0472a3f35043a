package dev.switchboard.llamacpp.discovery;

import dev.switchboard.core.spi.ModelDescriptor;
import dev.switchboard.llamacpp.preset.LlamaArgs;
import dev.switchboard.llamacpp.preset.PresetOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A model found on disk: its first GGUF file (the other shards are found beside it) and an optional
 * multimodal projector. It becomes a descriptor whose arguments load exactly those files.
 *
 * @param id the model id
 * @param source what the descriptor names as its source (a path, or a repository and tag)
 * @param model the model file, the first shard of a split model
 * @param mmproj the multimodal projector, if any
 * @param metadata facts beside the files (origin, repository, quantization)
 */
record LocalModel(String id, String source, Path model, Optional<Path> mmproj, Map<String, Object> metadata) {

    LocalModel {
        metadata = Map.copyOf(metadata);
    }

    ModelDescriptor toDescriptor(String backend) throws IOException {
        PresetOptions options = PresetOptions.empty().with(LlamaArgs.MODEL, model.toString());
        if (mmproj.isPresent()) {
            options = options.with(LlamaArgs.MMPROJ, mmproj.get().toString());
        }
        List<Path> files = ModelFiles.of(model, mmproj);
        return ModelDescriptor.builder(id, backend)
                .source(source)
                .files(files)
                .args(options.toArgs())
                .metadata(metadata)
                .putMetadata(ModelMetadata.SIZE_BYTES, ModelFiles.totalSize(files))
                .build();
    }
}
