package dev.switchboard.llamacpp;

import dev.switchboard.core.spi.Backend;
import dev.switchboard.core.spi.BackendConfig;
import dev.switchboard.core.spi.BackendFactory;

/**
 * Creates {@link LlamaCppBackend}s, type {@value #TYPE}. The options mirror llama-server's router
 * flags, so {@code llama-server --models-dir D --models-preset P -c 8192} becomes {@code
 * {modelsDir: D, modelsPreset: P, routerArgs: [-c, 8192]}}:
 *
 * <ul>
 *   <li>{@code binary}: the llama-server executable, default {@code llama-server}
 *   <li>{@code modelsDir}: a {@code --models-dir} to list models from
 *   <li>{@code modelsPreset}: a {@code --models-preset} INI file
 *   <li>{@code hfCache}: whether to list downloaded models, default {@code true}
 *   <li>{@code cacheDir}: where the download cache is, instead of {@code LLAMA_CACHE}, {@code
 *       HF_HUB_CACHE}, {@code HF_HOME} and the home directory
 *   <li>{@code routerArgs}: llama-server arguments given to the router; every child gets them,
 *       over preset values
 *   <li>{@code env}: environment variables for every child
 *   <li>{@code startTimeout}: how long a child may take to load, default {@code 10m}
 * </ul>
 */
public final class LlamaCppBackendFactory implements BackendFactory {

    public static final String TYPE = "llamacpp";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Backend create(BackendConfig config) {
        return new LlamaCppBackend(config);
    }
}
