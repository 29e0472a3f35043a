package dev.switchboard.vllm;

import dev.switchboard.core.spi.Backend;
import dev.switchboard.core.spi.BackendConfig;
import dev.switchboard.core.spi.BackendFactory;

/** The {@code vllm} backend type: each model served by its own {@code vllm serve} process. */
public final class VllmBackendFactory implements BackendFactory {
    public static final String TYPE = "vllm";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Backend create(BackendConfig config) {
        return new VllmBackend(config);
    }
}
