package dev.switchboard.app.config.internal;

import dev.switchboard.app.config.AppConfig;
import java.nio.file.Path;
import java.util.Set;

/** The kinds of configuration file Switchboard reads. */
public enum ConfigFormat {
    /** Switchboard's own: {@code server}, {@code scheduler}, {@code gpus}, {@code backends}, {@code models}. */
    SWITCHBOARD {
        @Override
        public AppConfig read(YamlNode root, Path baseDirectory) {
            return SwitchboardReader.read(root, baseDirectory);
        }
    },
    /** A llama-swap {@code config.yaml}, run as it is. */
    LLAMA_SWAP {
        @Override
        public AppConfig read(YamlNode root, Path baseDirectory) {
            return LlamaSwapReader.read(root, baseDirectory);
        }
    };

    /**
     * Binds a composed file of this format.
     *
     * @param baseDirectory the directory relative paths are resolved against
     */
    public abstract AppConfig read(YamlNode root, Path baseDirectory);

    /**
     * Tells the formats apart: a top-level key only one of them has decides; otherwise a file whose
     * models are started by {@code cmd} and name no {@code backend} is llama-swap's.
     */
    public static ConfigFormat detect(YamlNode root) {
        Set<String> keys = root.entries().keySet();
        if (keys.stream().anyMatch(SwitchboardReader.distinctiveKeys()::contains)) {
            return SWITCHBOARD;
        }
        if (keys.stream().anyMatch(LlamaSwapReader.distinctiveKeys()::contains)) {
            return LLAMA_SWAP;
        }
        boolean commandModels = root.get("models")
                .filter(YamlNode::isMap)
                .map(models -> models.entries().values().stream()
                        .anyMatch(model -> model.isMap()
                                && model.get("cmd").isPresent()
                                && model.get("backend").isEmpty()))
                .orElse(false);
        return commandModels ? LLAMA_SWAP : SWITCHBOARD;
    }
}
