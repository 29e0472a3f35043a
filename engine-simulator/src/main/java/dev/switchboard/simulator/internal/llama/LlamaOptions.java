package dev.switchboard.simulator.internal.llama;

import dev.switchboard.simulator.internal.cli.CommandLine;
import dev.switchboard.simulator.internal.cli.Personality;
import dev.switchboard.simulator.internal.cli.UsageException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The llama-server flags the simulator acts on.
 *
 * @param aliases {@code -a/--alias}, comma-separated; the first names the model in responses
 * @param gpuLayers {@code -ngl}; -1 (auto) offloads everything, 0 keeps the model on the CPU
 * @param devices {@code -dev/--device}: {@code CUDA0,CUDA1} or {@code none}; empty means every visible GPU
 * @param tensorSplit {@code -ts/--tensor-split}: how to share the model out over the devices
 * @param splitMode {@code -sm/--split-mode}: {@code none} keeps the model on the main GPU
 * @param apiKeys {@code --api-key}, comma-separated
 * @param slots {@code -np/--parallel}: requests served at once, more wait
 * @param embeddings {@code --embedding(s)}: whether {@code /v1/embeddings} is served
 * @param sleepIdleSeconds {@code --sleep-idle-seconds}: sleep after this long without requests; -1 never
 */
record LlamaOptions(
        Optional<String> modelPath,
        List<String> aliases,
        String host,
        int port,
        int contextSize,
        int gpuLayers,
        Optional<String> devices,
        List<Double> tensorSplit,
        int mainGpu,
        String splitMode,
        Optional<String> mmproj,
        List<String> apiKeys,
        int slots,
        boolean embeddings,
        int sleepIdleSeconds) {

    /** llama-server flags that take no value. */
    static final Set<String> SWITCHES = Set.of(
            "--embedding",
            "--embeddings",
            "--jinja",
            "--no-mmap",
            "--mlock",
            "--metrics",
            "--slots",
            "--no-slots",
            "--no-webui",
            "--cont-batching",
            "--no-cont-batching",
            "--verbose",
            "-v",
            "--log-disable");

    // llama-server's own default for -np when left on auto
    private static final int DEFAULT_SLOTS = 4;

    static LlamaOptions from(CommandLine line) {
        int slots = line.integer(-1, "-np", "--parallel");
        return new LlamaOptions(
                Personality.LLAMA_CPP.model(line),
                split(line.value("-a", "--alias")),
                line.value("--host").orElse("127.0.0.1"),
                line.integer(8080, "--port"),
                line.integer(4096, "-c", "--ctx-size"),
                line.integer(-1, "-ngl", "--n-gpu-layers", "--gpu-layers"),
                line.value("-dev", "--device"),
                split(line.value("-ts", "--tensor-split")).stream()
                        .map(LlamaOptions::weight)
                        .toList(),
                line.integer(0, "-mg", "--main-gpu"),
                line.value("-sm", "--split-mode").orElse("layer"),
                line.value("--mmproj"),
                split(line.value("--api-key")),
                slots > 0 ? slots : DEFAULT_SLOTS,
                line.has("--embedding", "--embeddings"),
                line.integer(-1, "--sleep-idle-seconds"));
    }

    /** The name responses carry: the first alias, else the model file's name. */
    String modelName() {
        if (!aliases.isEmpty()) {
            return aliases.getFirst();
        }
        return modelPath.map(path -> Path.of(path).getFileName().toString()).orElse("");
    }

    private static List<String> split(Optional<String> value) {
        return value.map(text -> Arrays.stream(text.split(","))
                        .map(String::strip)
                        .filter(part -> !part.isEmpty())
                        .toList())
                .orElse(List.of());
    }

    private static double weight(String text) {
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new UsageException("invalid value '" + text + "' for --tensor-split");
        }
    }
}
