package dev.switchboard.core.engine;

import dev.switchboard.core.spi.BackendConfig;
import dev.switchboard.core.spi.LaunchContext;
import dev.switchboard.core.spi.LaunchSpec;
import dev.switchboard.core.spi.ModelDescriptor;
import dev.switchboard.core.spi.Placement;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What backends that run a local engine with its own HTTP server share: their options and the shape
 * of the launch. The engine listens on 127.0.0.1 at the port the core chose, answers {@code GET
 * /health} with 200 once it serves, ends with the gateway through the supervisor's guard and sees
 * only its placement's GPUs.
 *
 * <p>Backend options: the program under the backend's own key (vLLM's {@code binary}, SGLang's
 * {@code python}) or under {@code command}, either a string or a list, so a test can run the engine
 * simulator as {@code [java, -cp, ..., Main]}; {@code env}, a map added to every engine's
 * environment; {@code startTimeout} (default 10m), how long loading may take, which also bounds each
 * warm-tier call.
 *
 * @param program the program and any leading arguments
 * @param env variables added to every engine's environment
 * @param startTimeout how long loading, sleeping or waking may take
 */
public record LocalEngine(List<String> program, Map<String, String> env, Duration startTimeout) {

    /** Used when {@code startTimeout} is not set: large models take minutes to load. */
    public static final Duration DEFAULT_START_TIMEOUT = Duration.ofMinutes(10);

    public LocalEngine {
        program = List.copyOf(program);
        if (program.isEmpty()) {
            throw new IllegalArgumentException("the engine program must not be empty");
        }
        env = Map.copyOf(env);
        Objects.requireNonNull(startTimeout, "startTimeout");
    }

    /**
     * Reads the shared options of a backend.
     *
     * @param programKey the backend's own name for the program option, such as {@code binary}
     * @param defaultProgram the program when neither {@code programKey} nor {@code command} is set
     * @throws IllegalArgumentException when both are set, or {@code env} is not a map
     */
    public static LocalEngine from(BackendConfig config, String programKey, String defaultProgram) {
        List<String> own = config.list(programKey);
        List<String> command = config.list("command");
        if (!own.isEmpty() && !command.isEmpty()) {
            throw new IllegalArgumentException("backend '" + config.name() + "': set either option '" + programKey
                    + "' or option 'command', not both");
        }
        List<String> program = !own.isEmpty() ? own : !command.isEmpty() ? command : List.of(defaultProgram);
        return new LocalEngine(
                program, env(config), config.duration("startTimeout").orElse(DEFAULT_START_TIMEOUT));
    }

    /**
     * The launch of the engine with these arguments (after the program) for a model on a placement.
     * On GPUs the engine sees only the placement's devices, whatever the model's {@code env} says, so
     * the memory the gateway reserved is where the engine runs; on the CPU its environment is left
     * alone, so a gateway that manages no GPUs leaves the choice to the engine.
     */
    public LaunchSpec.Builder launch(
            ModelDescriptor model,
            Placement placement,
            LaunchContext context,
            String upstreamModel,
            List<String> arguments) {
        List<String> command = new ArrayList<>(program);
        command.addAll(arguments);
        LaunchSpec.Builder spec = LaunchSpec.builder(URI.create("http://127.0.0.1:" + context.port()), upstreamModel)
                .command(command)
                .env(env)
                .env(model.env())
                .healthPath("/health")
                .startTimeout(startTimeout);
        if (placement.onGpu()) {
            spec.env("CUDA_VISIBLE_DEVICES", placement.visibleDevices());
        }
        return spec;
    }

    private static Map<String, String> env(BackendConfig config) {
        Object raw = config.options().getOrDefault("env", Map.of());
        if (!(raw instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException("backend '" + config.name() + "': option 'env' must be a map");
        }
        Map<String, String> env = new LinkedHashMap<>();
        map.forEach((name, value) -> env.put(String.valueOf(name), String.valueOf(value)));
        return env;
    }
}
