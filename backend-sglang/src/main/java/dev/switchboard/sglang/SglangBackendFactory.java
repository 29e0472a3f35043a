package dev.switchboard.sglang;

import dev.switchboard.core.spi.Backend;
import dev.switchboard.core.spi.BackendConfig;
import dev.switchboard.core.spi.BackendFactory;

/** The {@code sglang} backend type: each model served by its own {@code sglang.launch_server} process. */
public final class SglangBackendFactory implements BackendFactory {
    public static final String TYPE = "sglang";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Backend create(BackendConfig config) {
        return new SglangBackend(config);
    }
}
