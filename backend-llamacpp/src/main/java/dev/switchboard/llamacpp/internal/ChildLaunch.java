package dev.switchboard.llamacpp.internal;

import dev.switchboard.core.spi.LaunchContext;
import dev.switchboard.core.spi.LaunchSpec;
import dev.switchboard.core.spi.ModelDescriptor;
import dev.switchboard.core.spi.Placement;
import dev.switchboard.llamacpp.LlamaCppChildProtocol;
import dev.switchboard.llamacpp.preset.LlamaArg;
import dev.switchboard.llamacpp.preset.LlamaArgs;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds the launch of a llama-server child the way the router spawns one: the model's arguments,
 * then {@code --host 127.0.0.1 --port <port> --alias <id>}, with {@code LLAMA_SERVER_ROUTER_PORT}
 * in the environment so the child speaks the router protocol and reads the router's stop line from
 * its stdin (which the supervisor's guard feeds, so a child still loading dies with the gateway too).
 *
 * <p>The placement becomes {@code CUDA_VISIBLE_DEVICES} listing its GPUs, main GPU first, so the
 * child numbers them from 0; several GPUs add {@code --tensor-split} in that order and {@code
 * --main-gpu 0}. A CPU placement adds {@code --n-gpu-layers 0}. Arguments the model already has
 * win over these.
 *
 * <p>The gateway holds its connections to the child below the child's HTTP workers (see {@link
 * #connectionLimit}): llama-server serves each connection on one worker of a fixed pool for as long as
 * the connection stays open, and new connections that arrive together while fewer workers are free
 * can wait in its queue until another connection closes (seconds behind keep-alive connections).
 */
public final class ChildLaunch {

    /** The address children listen on, as llama-server's router uses (never the router's own host). */
    public static final String CHILD_HOST = "127.0.0.1";

    public static final String ROUTER_PORT_ENV = "LLAMA_SERVER_ROUTER_PORT";
    public static final String VISIBLE_DEVICES_ENV = "CUDA_VISIBLE_DEVICES";

    private static final LlamaCppChildProtocol PROTOCOL = new LlamaCppChildProtocol();

    private static final int CPUS = Runtime.getRuntime().availableProcessors();

    /** llama-server's slots when {@code --parallel} is auto (server.cpp). */
    private static final int DEFAULT_SLOTS = 4;

    private ChildLaunch() {}

    public static LaunchSpec build(
            BackendOptions options, ModelDescriptor model, Placement placement, LaunchContext context) {
        List<String> command = new ArrayList<>();
        command.add(options.binary());
        command.addAll(model.args());
        command.addAll(placementArgs(model.args(), placement));
        command.addAll(List.of(
                LlamaArgs.HOST.mainName(), CHILD_HOST,
                LlamaArgs.PORT.mainName(), String.valueOf(context.port()),
                LlamaArgs.ALIAS.mainName(), model.id()));

        LaunchSpec.Builder launch = LaunchSpec.builder(
                        URI.create("http://" + CHILD_HOST + ":" + context.port()), model.id())
                .command(command)
                .env(options.env())
                .env(model.env())
                .env(ROUTER_PORT_ENV, String.valueOf(context.gatewayPort()))
                .healthPath("/health")
                .protocol(PROTOCOL)
                .stopLine(LlamaCppChildProtocol.STOP_LINE)
                .startTimeout(options.startTimeout())
                .maxConnections(connectionLimit(model.args(), childEnvironment(options, model), CPUS));
        if (placement.onGpu()) {
            launch.env(VISIBLE_DEVICES_ENV, placement.visibleDevices());
        }
        return launch.build();
    }

    /**
     * The most connections the gateway opens to the child: one fewer than llama-server's HTTP workers
     * (one left for the readiness probe's connection and anyone else talking to the child), never
     * fewer than its slots. The workers (server-http.cpp) are {@code --threads-http} when set, else
     * the larger of the slots plus 4 and the CPUs less one; the slots are {@code --parallel}, 4 when
     * auto. An argument wins over its {@code LLAMA_ARG_} variable, as in llama-server.
     *
     * @param cpus the CPUs the gateway sees; the child counts those online, never fewer
     */
    static int connectionLimit(List<String> args, Map<String, String> env, int cpus) {
        int slots = positive(args, env, LlamaArgs.N_PARALLEL).orElse(DEFAULT_SLOTS);
        int workers = positive(args, env, LlamaArgs.THREADS_HTTP).orElse(Math.max(slots + 4, cpus - 1));
        return Math.max(workers - 1, slots);
    }

    /** An option's value when it is a positive number (-1 is auto; llama-server refuses what is not a number). */
    private static Optional<Integer> positive(List<String> args, Map<String, String> env, LlamaArg arg) {
        return ArgList.value(args, env, arg).flatMap(ArgList::integer).filter(n -> n >= 1);
    }

    /** The environment the child runs with: the gateway's, the backend's, then the model's. */
    private static Map<String, String> childEnvironment(BackendOptions options, ModelDescriptor model) {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.putAll(options.env());
        env.putAll(model.env());
        return env;
    }

    private static List<String> placementArgs(List<String> modelArgs, Placement placement) {
        List<String> args = new ArrayList<>();
        if (!placement.onGpu()) {
            if (!ArgList.mentions(modelArgs, LlamaArgs.N_GPU_LAYERS)) {
                args.addAll(List.of(LlamaArgs.N_GPU_LAYERS.mainName(), "0"));
            }
            return args;
        }
        if (placement.gpuIds().size() > 1) {
            if (!placement.tensorSplit().isEmpty() && !ArgList.mentions(modelArgs, LlamaArgs.TENSOR_SPLIT)) {
                args.addAll(List.of(LlamaArgs.TENSOR_SPLIT.mainName(), placement.tensorSplitArgument()));
            }
            if (!ArgList.mentions(modelArgs, LlamaArgs.MAIN_GPU)) {
                // the main GPU is listed first in CUDA_VISIBLE_DEVICES, so the child sees it as 0
                args.addAll(List.of(LlamaArgs.MAIN_GPU.mainName(), "0"));
            }
        }
        return args;
    }
}
