package dev.switchboard.llamacpp.internal;

import dev.switchboard.core.spi.LaunchContext;
import dev.switchboard.core.spi.LaunchSpec;
import dev.switchboard.core.spi.ModelDescriptor;
import dev.switchboard.core.spi.Placement;
import dev.switchboard.llamacpp.LlamaCppChildProtocol;
import dev.switchboard.llamacpp.preset.LlamaArgs;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

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
 */
public final class ChildLaunch {

    /** The address children listen on, as llama-server's router uses (never the router's own host). */
    public static final String CHILD_HOST = "127.0.0.1";

    public static final String ROUTER_PORT_ENV = "LLAMA_SERVER_ROUTER_PORT";
    public static final String VISIBLE_DEVICES_ENV = "CUDA_VISIBLE_DEVICES";

    private static final LlamaCppChildProtocol PROTOCOL = new LlamaCppChildProtocol();

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
                .startTimeout(options.startTimeout());
        if (placement.onGpu()) {
            launch.env(VISIBLE_DEVICES_ENV, placement.visibleDevices());
        }
        return launch.build();
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
