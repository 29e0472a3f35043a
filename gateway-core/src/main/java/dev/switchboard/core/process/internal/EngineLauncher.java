package dev.switchboard.core.process.internal;

import dev.switchboard.core.process.LogBuffer;
import dev.switchboard.core.spi.ChildSignal;
import dev.switchboard.core.spi.LaunchSpec;
import java.io.IOException;
import java.time.Duration;
import java.util.function.Consumer;

/** Spawns engines for the model manager; {@link Supervisor} spawns real processes. */
public interface EngineLauncher {

    /**
     * Starts an engine.
     *
     * @param output where its output lines go
     * @param signals receives the state signals its protocol reports
     */
    EngineProcess start(String modelId, LaunchSpec spec, LogBuffer output, Consumer<ChildSignal> signals)
            throws IOException;

    /** An engine may be started soon: a launcher can get ready for it (returns at once). */
    default void prepare() {}

    /** Stops every engine still running, gracefully within the timeout. */
    void stopAll(Duration timeout);
}
