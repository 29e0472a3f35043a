package dev.switchboard.llamacpp.internal;

import dev.switchboard.core.spi.BackendConfig;
import dev.switchboard.llamacpp.preset.PresetOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The options of one llamacpp backend, read from its {@link BackendConfig}; see {@code
 * LlamaCppBackendFactory} for their meaning.
 */
public record BackendOptions(
        String binary,
        Optional<Path> modelsDir,
        Optional<Path> modelsPreset,
        boolean hfCache,
        Optional<Path> cacheDir,
        PresetOptions routerOptions,
        Map<String, String> env,
        Duration startTimeout) {

    public static final String BINARY = "binary";
    public static final String MODELS_DIR = "modelsDir";
    public static final String MODELS_PRESET = "modelsPreset";
    public static final String HF_CACHE = "hfCache";
    public static final String CACHE_DIR = "cacheDir";
    public static final String ROUTER_ARGS = "routerArgs";
    public static final String ENV = "env";
    public static final String START_TIMEOUT = "startTimeout";

    public static final String DEFAULT_BINARY = "llama-server";
    public static final Duration DEFAULT_START_TIMEOUT = Duration.ofMinutes(10);

    public BackendOptions {
        Objects.requireNonNull(binary, "binary");
        Objects.requireNonNull(routerOptions, "routerOptions");
        env = Map.copyOf(env);
        Objects.requireNonNull(startTimeout, "startTimeout");
    }

    /**
     * Reads and checks the options.
     *
     * @throws IllegalArgumentException naming the backend and option when one is malformed
     */
    public static BackendOptions from(BackendConfig config) {
        return new BackendOptions(
                config.string(BINARY, DEFAULT_BINARY),
                config.path(MODELS_DIR),
                config.path(MODELS_PRESET),
                config.bool(HF_CACHE, true),
                config.path(CACHE_DIR),
                routerOptions(config),
                env(config),
                config.duration(START_TIMEOUT).orElse(DEFAULT_START_TIMEOUT));
    }

    private static PresetOptions routerOptions(BackendConfig config) {
        List<String> args = config.list(ROUTER_ARGS);
        try {
            return PresetOptions.fromCommandLine(args);
        } catch (IllegalArgumentException e) {
            throw invalid(config, ROUTER_ARGS, e.getMessage());
        }
    }

    private static Map<String, String> env(BackendConfig config) {
        Object value = config.options().get(ENV);
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw invalid(config, ENV, "must be a map of variable names to values, got '" + value + "'");
        }
        Map<String, String> env = new LinkedHashMap<>();
        map.forEach((name, v) -> env.put(String.valueOf(name), String.valueOf(v)));
        return env;
    }

    private static IllegalArgumentException invalid(BackendConfig config, String option, String problem) {
        return new IllegalArgumentException("backend '" + config.name() + "': option '" + option + "': " + problem);
    }
}
