package dev.switchboard.core.lifecycle.internal;

import dev.switchboard.core.spi.Backend;
import dev.switchboard.core.spi.ModelDescriptor;
import dev.switchboard.core.spi.WarmTier;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/** Puts engines to sleep and wakes them through their backend's warm tier, off the manager's lock. */
final class WarmTiers {
    private final Map<String, Backend> backends;

    WarmTiers(Map<String, Backend> backends) {
        this.backends = backends;
    }

    Optional<WarmTier> of(ModelDescriptor model) {
        Backend backend = backends.get(model.backend());
        return backend == null ? Optional.empty() : backend.warmTier(model);
    }

    /** Asks the engine to release its GPU memory; reports {@code null} on success, else why not. */
    void sleep(String modelId, WarmTier tier, URI engine, Consumer<String> outcome) {
        run("sleep-" + modelId, () -> tier.sleep(engine), outcome);
    }

    /** Asks a sleeping engine to take its GPU memory back; reports as {@link #sleep} does. */
    void wake(String modelId, WarmTier tier, URI engine, Consumer<String> outcome) {
        run("wake-" + modelId, () -> tier.wake(engine), outcome);
    }

    private interface Call {
        void run() throws Exception;
    }

    private static void run(String name, Call call, Consumer<String> outcome) {
        Thread.ofVirtual().name(name).start(() -> {
            String failure = null;
            try {
                call.run();
            } catch (Exception e) {
                failure = e.getMessage() == null ? e.toString() : e.getMessage();
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
            }
            outcome.accept(failure);
        });
    }
}
