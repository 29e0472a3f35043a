package dev.switchboard.vllm;

import dev.switchboard.core.engine.EngineArgs;
import dev.switchboard.core.engine.EngineCommand;
import dev.switchboard.core.engine.EngineControl;
import dev.switchboard.core.engine.LocalEngine;
import dev.switchboard.core.spi.Backend;
import dev.switchboard.core.spi.BackendConfig;
import dev.switchboard.core.spi.LaunchContext;
import dev.switchboard.core.spi.LaunchSpec;
import dev.switchboard.core.spi.MemoryEstimate;
import dev.switchboard.core.spi.ModelDescriptor;
import dev.switchboard.core.spi.ModelSource;
import dev.switchboard.core.spi.Placement;
import dev.switchboard.core.spi.WarmTier;
import java.util.List;
import java.util.Optional;

/**
 * Serves each model with its own {@code vllm serve} process:
 *
 * <pre>
 * [CUDA_VISIBLE_DEVICES=2,3] [VLLM_SERVER_DEV_MODE=1] vllm serve &lt;source&gt; --host 127.0.0.1 --port &lt;port&gt;
 *     --served-model-name &lt;id&gt; [--tensor-parallel-size 2] [--enable-sleep-mode] &lt;args&gt;
 * </pre>
 *
 * <p>Backend options are those of {@link LocalEngine}, with the program under {@code binary} (default
 * {@code vllm}). Per model: {@code source}, what vLLM loads (a Hugging Face repo or a path; the id
 * when empty); {@code args}, vLLM flags that take precedence over those above, except {@code
 * --port}; option {@code sleep}, {@code true} or {@code 1} for sleep level 1, {@code 2} for level 2
 * (see {@link VllmSleepMode}).
 *
 * <p>vLLM opens its port only once the model is loaded, so readiness is the first 200 from {@code
 * /health}. It takes {@code --gpu-memory-utilization} (default 0.9) of each GPU it runs on, whatever
 * the model's size, which is the estimate the planner gets.
 */
final class VllmBackend implements Backend {
    /** vLLM's default {@code --gpu-memory-utilization}. */
    static final double DEFAULT_GPU_MEMORY_UTILIZATION = 0.9;

    private static final String TENSOR_PARALLEL = "--tensor-parallel-size";
    private static final String TENSOR_PARALLEL_SHORT = "-tp";

    private final String name;
    private final LocalEngine engine;
    private final EngineControl control;

    VllmBackend(BackendConfig config) {
        this.name = config.name();
        this.engine = LocalEngine.from(config, "binary", "vllm");
        this.control = new EngineControl(engine.startTimeout());
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<ModelSource> sources() {
        return List.of(); // vLLM models are declared in configuration
    }

    /**
     * The {@code --gpu-memory-utilization} share of each GPU, on exactly {@code
     * --tensor-parallel-size} GPUs when the args set it, else on as many as the planner chooses.
     */
    @Override
    public MemoryEstimate estimate(ModelDescriptor model) {
        EngineArgs args = EngineArgs.of(model.args());
        return MemoryEstimate.ofFraction(
                args.decimal(DEFAULT_GPU_MEMORY_UTILIZATION, "--gpu-memory-utilization"),
                args.integer(0, TENSOR_PARALLEL, TENSOR_PARALLEL_SHORT));
    }

    @Override
    public LaunchSpec launch(ModelDescriptor model, Placement placement, LaunchContext context) {
        int sleepLevel = VllmSleepMode.level(model);
        EngineCommand command = EngineCommand.withModelArgs(model.args())
                .add("serve", model.source().isEmpty() ? model.id() : model.source())
                .option("--host", "127.0.0.1")
                .owned("--port", context.port())
                .option("--served-model-name", model.id());
        if (placement.gpuIds().size() > 1) {
            command.option(TENSOR_PARALLEL, placement.gpuIds().size(), TENSOR_PARALLEL_SHORT);
        }
        if (sleepLevel > 0) {
            command.flag("--enable-sleep-mode");
        }
        LaunchSpec.Builder spec = engine.launch(model, placement, context, servedName(model), command.build());
        if (sleepLevel > 0) {
            // exposes /sleep, /wake_up, /is_sleeping and /collective_rpc; on 127.0.0.1 only this host reaches them
            spec.env("VLLM_SERVER_DEV_MODE", "1");
        }
        return spec.build();
    }

    @Override
    public Optional<WarmTier> warmTier(ModelDescriptor model) {
        int level = VllmSleepMode.level(model);
        return level == 0 ? Optional.empty() : Optional.of(new VllmSleepMode(level, control));
    }

    @Override
    public void close() {
        control.close();
    }

    /** The name vLLM answers to: the id, unless the model's args name it otherwise. */
    private static String servedName(ModelDescriptor model) {
        return EngineArgs.of(model.args()).value("--served-model-name").orElse(model.id());
    }
}
