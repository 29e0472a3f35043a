package dev.switchboard.sglang;

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
 * Serves each model with its own SGLang server process:
 *
 * <pre>
 * [CUDA_VISIBLE_DEVICES=2,3] python -m sglang.launch_server --model-path &lt;source&gt; --host 127.0.0.1
 *     --port &lt;port&gt; --served-model-name &lt;id&gt; [--tp 2] [--enable-memory-saver] &lt;args&gt;
 * </pre>
 *
 * <p>Backend options are those of {@link LocalEngine}, with the program under {@code python}
 * (default {@code python}). Per model: {@code source}, what SGLang loads (a Hugging Face repo or a
 * path; the id when empty); {@code args}, SGLang flags that take precedence over those above, except
 * {@code --port}; option {@code sleep: true} for the memory-release warm tier (see {@link
 * SglangMemorySaver}).
 *
 * <p>GPUs are chosen with {@code CUDA_VISIBLE_DEVICES} rather than {@code --base-gpu-id}: the
 * planner may pick any set of GPUs, such as 1 and 3, while {@code --base-gpu-id} with {@code
 * --gpu-id-step} only names evenly spaced ones; hiding the other GPUs also keeps the engine from
 * touching memory the gateway promised to other models. SGLang then counts the visible GPUs from 0,
 * which is its default base.
 *
 * <p>SGLang answers {@code /health} with 503 while it starts and 200 once it serves. It takes
 * {@code --mem-fraction-static} of each GPU it runs on; without the flag, recent SGLang derives the
 * fraction from the GPU's size, and 0.88, its single-GPU default and its fallback when the size is
 * unknown, is the estimate the planner gets.
 */
final class SglangBackend implements Backend {
    /** The fraction assumed when the args do not set {@code --mem-fraction-static}. */
    static final double DEFAULT_MEM_FRACTION_STATIC = 0.88;

    private static final String TENSOR_PARALLEL = "--tp";
    private static final String[] TENSOR_PARALLEL_ALIASES = {"--tp-size", "--tensor-parallel-size"};

    private final String name;
    private final LocalEngine engine;
    private final EngineControl control;

    SglangBackend(BackendConfig config) {
        this.name = config.name();
        this.engine = LocalEngine.from(config, "python", "python");
        this.control = new EngineControl(engine.startTimeout());
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<ModelSource> sources() {
        return List.of(); // SGLang models are declared in configuration
    }

    /**
     * The {@code --mem-fraction-static} share of each GPU, on exactly {@code --tp} GPUs when the args
     * set it, else on as many as the planner chooses.
     */
    @Override
    public MemoryEstimate estimate(ModelDescriptor model) {
        EngineArgs args = EngineArgs.of(model.args());
        return MemoryEstimate.ofFraction(
                args.decimal(DEFAULT_MEM_FRACTION_STATIC, "--mem-fraction-static"),
                args.integer(0, TENSOR_PARALLEL, TENSOR_PARALLEL_ALIASES));
    }

    @Override
    public LaunchSpec launch(ModelDescriptor model, Placement placement, LaunchContext context) {
        boolean memorySaver = SglangMemorySaver.enabled(model);
        EngineCommand command = EngineCommand.withModelArgs(model.args())
                .add("-m", "sglang.launch_server")
                .option("--model-path", model.source().isEmpty() ? model.id() : model.source(), "--model")
                .option("--host", "127.0.0.1")
                .owned("--port", context.port())
                .option("--served-model-name", model.id());
        if (placement.gpuIds().size() > 1) {
            command.option(TENSOR_PARALLEL, placement.gpuIds().size(), TENSOR_PARALLEL_ALIASES);
        }
        if (memorySaver) {
            command.flag("--enable-memory-saver");
        }
        return engine.launch(model, placement, context, servedName(model), command.build())
                .build();
    }

    @Override
    public Optional<WarmTier> warmTier(ModelDescriptor model) {
        return SglangMemorySaver.enabled(model) ? Optional.of(new SglangMemorySaver(control)) : Optional.empty();
    }

    @Override
    public void close() {
        control.close();
    }

    /** The name SGLang answers to: the id, unless the model's args name it otherwise. */
    private static String servedName(ModelDescriptor model) {
        return EngineArgs.of(model.args()).value("--served-model-name").orElse(model.id());
    }
}
