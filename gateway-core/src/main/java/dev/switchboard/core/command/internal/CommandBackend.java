package dev.switchboard.core.command.internal;

import dev.switchboard.core.command.CommandLine;
import dev.switchboard.core.process.internal.ChildProcess;
import dev.switchboard.core.spi.Backend;
import dev.switchboard.core.spi.BackendConfig;
import dev.switchboard.core.spi.ByteSizes;
import dev.switchboard.core.spi.Durations;
import dev.switchboard.core.spi.LaunchContext;
import dev.switchboard.core.spi.LaunchSpec;
import dev.switchboard.core.spi.MemoryEstimate;
import dev.switchboard.core.spi.ModelDescriptor;
import dev.switchboard.core.spi.ModelSource;
import dev.switchboard.core.spi.Placement;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Runs any engine with an OpenAI-compatible HTTP server from a command line, llama-swap style. Per
 * model ({@link ModelDescriptor#options()}): {@code cmd} (required, with macros {@code ${PORT}},
 * {@code ${MODEL_ID}}, {@code ${GPU_IDS}} and {@code ${TENSOR_SPLIT}} (the planner's placement, for
 * engines that take devices on their command line; the engine also gets {@code
 * CUDA_VISIBLE_DEVICES}) and the backend's {@code macros}), {@code proxy} (default {@code
 * http://127.0.0.1:${PORT}}), {@code checkEndpoint} (default {@code /health}, {@code none} to skip),
 * {@code cmdStop} (with {@code ${PID}}), {@code useModelName}, {@code memory} (such as {@code 8GiB}), {@code startTimeout} (how long the engine
 * may take to become ready before it is stopped and its waiters get 503; the backend's by default).
 * Engines run under the supervisor's guard, so they die with the gateway. Per backend: {@code
 * macros}, {@code startTimeout}, and {@code apiKey}, the engines' own key: sent to them as {@code
 * Authorization: Bearer} (the client's key never is) and offered to {@code cmd} as {@code
 * ${API_KEY}}, so an engine can be started with {@code --api-key ${API_KEY}}.
 */
public final class CommandBackend implements Backend {
    private final BackendConfig config;
    private final Map<String, String> macros;
    private final Duration startTimeout;
    private final Optional<String> apiKey;

    public CommandBackend(BackendConfig config) {
        this.config = config;
        Object raw = config.options().getOrDefault("macros", Map.of());
        if (!(raw instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException("backend '" + config.name() + "': option 'macros' must be a map");
        }
        this.macros = map.entrySet().stream()
                .collect(Collectors.toMap(e -> String.valueOf(e.getKey()), e -> String.valueOf(e.getValue())));
        this.startTimeout = config.duration("startTimeout").orElse(Duration.ofMinutes(5));
        this.apiKey = config.string("apiKey");
    }

    @Override
    public String name() {
        return config.name();
    }

    @Override
    public List<ModelSource> sources() {
        return List.of(); // command models are declared in configuration, one by one
    }

    @Override
    public MemoryEstimate estimate(ModelDescriptor model) {
        Object memory = model.options().get("memory");
        return memory == null
                ? MemoryEstimate.none()
                : MemoryEstimate.ofBytes(ByteSizes.parse(memory.toString()), 0, 0);
    }

    @Override
    public LaunchSpec launch(ModelDescriptor model, Placement placement, LaunchContext context) {
        Map<String, String> values = new HashMap<>(macros);
        values.put("PORT", Integer.toString(context.port()));
        values.put("MODEL_ID", model.id());
        // where the planner put it, for engines that take devices on their command line
        values.put("GPU_IDS", placement.visibleDevices());
        values.put("TENSOR_SPLIT", tensorSplit(placement));
        apiKey.ifPresent(key -> values.put("API_KEY", key));
        Object cmd = model.options().get("cmd");
        if (cmd == null) {
            throw new IllegalArgumentException("model '" + model.id() + "': 'cmd' is required for a command backend");
        }
        List<String> command = CommandLine.split(CommandLine.expand(cmd.toString(), values));
        String proxy = CommandLine.expand(
                String.valueOf(model.options().getOrDefault("proxy", "http://127.0.0.1:${PORT}")), values);
        String check = String.valueOf(model.options().getOrDefault("checkEndpoint", "/health"));
        String upstreamName = String.valueOf(model.options().getOrDefault("useModelName", model.id()));
        LaunchSpec.Builder spec = LaunchSpec.builder(URI.create(proxy), upstreamName)
                .command(command)
                .env(model.env())
                .healthPath(check.equals("none") ? "" : check)
                .startTimeout(Optional.ofNullable(model.options().get("startTimeout"))
                        .map(value -> Durations.parse(value.toString()))
                        .orElse(startTimeout));
        apiKey.ifPresent(key -> spec.requestHeader("Authorization", "Bearer " + key));
        Object stop = model.options().get("cmdStop");
        if (stop != null) {
            // ${PID} is known once the engine runs: the supervisor fills it in when it stops it
            values.put("PID", ChildProcess.PID_MACRO);
            spec.stopCommand(CommandLine.split(CommandLine.expand(stop.toString(), values)));
        }
        if (placement.onGpu()) {
            spec.env("CUDA_VISIBLE_DEVICES", placement.visibleDevices());
        }
        return spec.build();
    }

    /** The planner's split as llama.cpp's {@code --tensor-split} takes it; {@code 1} on one GPU. */
    private static String tensorSplit(Placement placement) {
        if (placement.tensorSplit().isEmpty()) {
            return placement.onGpu() ? "1" : "";
        }
        return placement.tensorSplitArgument();
    }
}
