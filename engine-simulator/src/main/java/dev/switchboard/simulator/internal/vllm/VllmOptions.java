package dev.switchboard.simulator.internal.vllm;

import dev.switchboard.simulator.internal.cli.CommandLine;
import dev.switchboard.simulator.internal.cli.Personality;
import dev.switchboard.simulator.internal.cli.UsageException;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code vllm serve} flags the simulator acts on.
 *
 * @param model the positional model (or {@code --model})
 * @param servedName {@code --served-model-name}, else the model
 * @param host {@code --host}; empty binds every interface, as vLLM does
 * @param gpuMemoryUtilization the share of each GPU's memory vLLM takes
 * @param tensorParallelSize how many GPUs the model spans
 * @param sleepMode {@code --enable-sleep-mode}: whether sleeping gives GPU memory back
 */
record VllmOptions(
        String model,
        String servedName,
        Optional<String> host,
        int port,
        int maxModelLen,
        double gpuMemoryUtilization,
        int tensorParallelSize,
        boolean sleepMode,
        Optional<String> apiKey) {

    /** {@code vllm serve} flags that take no value. */
    static final Set<String> SWITCHES = Set.of(
            "--enable-sleep-mode",
            "--enforce-eager",
            "--trust-remote-code",
            "--disable-log-requests",
            "--disable-log-stats",
            "--enable-prefix-caching",
            "--no-enable-prefix-caching",
            "--enable-chunked-prefill",
            "--enable-auto-tool-choice",
            "--enable-lora",
            "--headless");

    static VllmOptions from(CommandLine line) {
        String model = Personality.VLLM
                .model(line)
                .orElseThrow(() -> new UsageException("vllm serve: the following arguments are required: model_tag"));
        return new VllmOptions(
                model,
                line.value("--served-model-name").orElse(model),
                line.value("--host"),
                line.integer(8000, "--port"),
                line.integer(4096, "--max-model-len"),
                line.decimal(0.9, "--gpu-memory-utilization"),
                line.integer(1, "-tp", "--tensor-parallel-size"),
                line.has("--enable-sleep-mode"),
                line.value("--api-key"));
    }
}
