package dev.switchboard.core.spi;

import java.util.Optional;

/**
 * Reads an engine child's output lines for state signals. Engines without such a protocol use
 * {@link #NONE}, and readiness comes from health polling alone.
 */
@FunctionalInterface
public interface ChildProtocol {

    ChildProtocol NONE = line -> Optional.empty();

    /** The signal this output line carries, if any. */
    Optional<ChildSignal> parse(String line);
}
