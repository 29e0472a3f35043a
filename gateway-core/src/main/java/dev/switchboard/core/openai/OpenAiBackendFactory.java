package dev.switchboard.core.openai;

import dev.switchboard.core.openai.internal.OpenAiBackend;
import dev.switchboard.core.spi.Backend;
import dev.switchboard.core.spi.BackendConfig;
import dev.switchboard.core.spi.BackendFactory;

/** The {@code openai} backend type: models of a remote OpenAI-compatible API (see {@link OpenAiBackend}). */
public final class OpenAiBackendFactory implements BackendFactory {
    public static final String TYPE = "openai";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Backend create(BackendConfig config) {
        return new OpenAiBackend(config, System::getenv);
    }
}
