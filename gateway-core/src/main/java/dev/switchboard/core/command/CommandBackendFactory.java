package dev.switchboard.core.command;

import dev.switchboard.core.command.internal.CommandBackend;
import dev.switchboard.core.spi.Backend;
import dev.switchboard.core.spi.BackendConfig;
import dev.switchboard.core.spi.BackendFactory;

/** The {@code command} backend type: any engine started from a command line (see {@link CommandBackend}). */
public final class CommandBackendFactory implements BackendFactory {
    public static final String TYPE = "command";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Backend create(BackendConfig config) {
        return new CommandBackend(config);
    }
}
