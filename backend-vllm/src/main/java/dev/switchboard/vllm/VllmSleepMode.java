package dev.switchboard.vllm;

import dev.switchboard.core.engine.EngineControl;
import dev.switchboard.core.spi.ModelDescriptor;
import dev.switchboard.core.spi.WarmTier;
import java.io.IOException;
import java.net.URI;
import java.util.Locale;

/**
 * vLLM's sleep mode as a warm tier, for engines started with {@code --enable-sleep-mode} and {@code
 * VLLM_SERVER_DEV_MODE=1} (which exposes the endpoints).
 *
 * <ul>
 *   <li>Level 1 offloads the weights to CPU memory and drops the KV cache; {@code POST /wake_up}
 *       copies them back.
 *   <li>Level 2 drops the weights too, so little CPU memory is held; waking reallocates the weights,
 *       reloads them from disk ({@code collective_rpc reload_weights}) and then reallocates the KV
 *       cache, as vLLM's sleep-mode guide prescribes: a bare wake would serve from garbage weights.
 * </ul>
 *
 * Some vLLM builds answer {@code /sleep} and {@code /wake_up} before the engine has finished, so
 * both wait for {@code GET /is_sleeping} to agree.
 */
final class VllmSleepMode implements WarmTier {
    private final int level;
    private final EngineControl control;

    VllmSleepMode(int level, EngineControl control) {
        this.level = level;
        this.control = control;
    }

    /**
     * The sleep level a model's {@code sleep} option asks for: 0 (no sleep mode), 1 or 2.
     *
     * @throws IllegalArgumentException when the option is not {@code true}, {@code false}, 1 or 2
     */
    static int level(ModelDescriptor model) {
        Object value = model.options().get("sleep");
        if (value == null) {
            return 0;
        }
        return switch (value.toString().trim().toLowerCase(Locale.ROOT)) {
            case "false", "0" -> 0;
            case "true", "1" -> 1;
            case "2" -> 2;
            default ->
                throw new IllegalArgumentException(
                        "model '" + model.id() + "': option 'sleep' must be true, false, 1 or 2, got '" + value + "'");
        };
    }

    @Override
    public void sleep(URI engine) throws IOException, InterruptedException {
        control.post(engine, "/sleep?level=" + level, "");
        control.await(() -> sleeping(engine), "vLLM at " + engine + " to report sleeping");
    }

    @Override
    public void wake(URI engine) throws IOException, InterruptedException {
        if (level == 1) {
            control.post(engine, "/wake_up", "");
        } else {
            control.post(engine, "/wake_up?tags=weights", "");
            control.post(engine, "/collective_rpc", "{\"method\":\"reload_weights\"}");
            control.post(engine, "/wake_up?tags=kv_cache", "");
        }
        control.await(() -> !sleeping(engine), "vLLM at " + engine + " to report awake");
    }

    private boolean sleeping(URI engine) throws IOException, InterruptedException {
        return control.booleanField(engine, "/is_sleeping", "is_sleeping");
    }
}
