package dev.switchboard.simulator.internal.sglang;

import dev.switchboard.simulator.internal.cli.CommandLine;
import dev.switchboard.simulator.internal.cli.Personality;
import dev.switchboard.simulator.internal.cli.UsageException;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code sglang.launch_server} flags the simulator acts on.
 *
 * @param memFractionStatic the share of each GPU's memory SGLang takes; SGLang derives its default from the GPU, the
 *     simulator uses {@value #DEFAULT_MEM_FRACTION}
 * @param tensorParallelSize {@code --tp/--tp-size}: how many GPUs the model spans
 * @param baseGpuId the first of the visible GPUs to use
 * @param memorySaver {@code --enable-memory-saver}: whether releasing memory occupation really gives memory back
 * @param skipWarmup {@code --skip-server-warmup}: report healthy without the warm-up generation
 * @param metrics {@code --enable-metrics}: serve {@code /metrics}
 */
record SglangOptions(
        String modelPath,
        String servedName,
        String host,
        int port,
        double memFractionStatic,
        int tensorParallelSize,
        int baseGpuId,
        int contextLength,
        boolean memorySaver,
        boolean skipWarmup,
        boolean metrics,
        Optional<String> apiKey) {

    static final double DEFAULT_MEM_FRACTION = 0.88;

    /** {@code sglang.launch_server} flags that take no value. */
    static final Set<String> SWITCHES = Set.of(
            "--enable-memory-saver",
            "--skip-server-warmup",
            "--is-embedding",
            "--trust-remote-code",
            "--enable-metrics",
            "--disable-radix-cache",
            "--disable-cuda-graph",
            "--enable-torch-compile");

    static SglangOptions from(CommandLine line) {
        String modelPath = Personality.SGLANG
                .model(line)
                .orElseThrow(
                        () -> new UsageException("launch_server: the following arguments are required: --model-path"));
        return new SglangOptions(
                modelPath,
                line.value("--served-model-name").orElse(modelPath),
                line.value("--host").orElse("127.0.0.1"),
                line.integer(30000, "--port"),
                line.decimal(DEFAULT_MEM_FRACTION, "--mem-fraction-static"),
                line.integer(1, "--tp", "--tp-size", "--tensor-parallel-size"),
                line.integer(0, "--base-gpu-id"),
                line.integer(4096, "--context-length"),
                line.has("--enable-memory-saver"),
                line.has("--skip-server-warmup"),
                line.has("--enable-metrics"),
                line.value("--api-key"));
    }
}
