package dev.switchboard.sglang;

import dev.switchboard.core.engine.EngineControl;
import dev.switchboard.core.spi.ModelDescriptor;
import dev.switchboard.core.spi.WarmTier;
import java.io.IOException;
import java.net.URI;
import java.util.Locale;

/**
 * SGLang's memory release as a warm tier, for engines started with {@code --enable-memory-saver}.
 * {@code POST /release_memory_occupation} with no tags releases the weights and the KV cache; {@code
 * POST /resume_memory_occupation} takes them back. Both answer once done; waking then waits for
 * {@code /health} to answer 200 so the engine is known to serve.
 */
final class SglangMemorySaver implements WarmTier {
    /** No tags: every memory region ({@code weights} and {@code kv_cache}). */
    private static final String ALL_REGIONS = "{}";

    private final EngineControl control;

    SglangMemorySaver(EngineControl control) {
        this.control = control;
    }

    /**
     * Whether a model's {@code sleep} option asks for the warm tier.
     *
     * @throws IllegalArgumentException when the option is not {@code true} or {@code false}
     */
    static boolean enabled(ModelDescriptor model) {
        Object value = model.options().get("sleep");
        if (value == null) {
            return false;
        }
        return switch (value.toString().trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default ->
                throw new IllegalArgumentException(
                        "model '" + model.id() + "': option 'sleep' must be true or false, got '" + value + "'");
        };
    }

    @Override
    public void sleep(URI engine) throws IOException, InterruptedException {
        control.post(engine, "/release_memory_occupation", ALL_REGIONS);
    }

    @Override
    public void wake(URI engine) throws IOException, InterruptedException {
        control.post(engine, "/resume_memory_occupation", ALL_REGIONS);
        control.await(() -> control.status(engine, "/health") == 200, "SGLang at " + engine + " to serve again");
    }
}
