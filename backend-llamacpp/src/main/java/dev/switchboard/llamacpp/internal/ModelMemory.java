package dev.switchboard.llamacpp.internal;

import dev.switchboard.core.spi.MemoryEstimate;
import dev.switchboard.core.spi.ModelDescriptor;
import dev.switchboard.llamacpp.discovery.ModelFiles;
import dev.switchboard.llamacpp.gguf.EstimateOptions;
import dev.switchboard.llamacpp.gguf.GgmlType;
import dev.switchboard.llamacpp.gguf.GgufFile;
import dev.switchboard.llamacpp.gguf.GgufMemoryEstimator;
import dev.switchboard.llamacpp.gguf.GgufModel;
import dev.switchboard.llamacpp.gguf.GgufReader;
import dev.switchboard.llamacpp.preset.LlamaArg;
import dev.switchboard.llamacpp.preset.LlamaArgs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Estimates a llama.cpp model's GPU memory from its descriptor: the GGUF headers of its files and
 * the memory-relevant arguments ({@code --ctx-size}, {@code --cache-type-k/v}, {@code
 * --n-gpu-layers}, {@code --ubatch-size}, the projector). Headers are read once per file version.
 */
public final class ModelMemory {

    private static final Logger LOG = LoggerFactory.getLogger(ModelMemory.class);

    /**
     * Header arrays longer than this are read as their size alone: per-layer values are far shorter,
     * a token list is far longer, and reading its strings was most of a cold request's time.
     */
    static final int ESTIMATE_ARRAY_LIMIT = 4096;

    /**
     * The context assumed when none is given. llama-server then uses the training context, but
     * with {@code --fit} (on by default) it shrinks an unset context to what fits; planning for
     * hundreds of thousands of tokens would make most models look unplaceable.
     */
    static final int DEFAULT_CONTEXT_CAP = 32_768;

    /** The context assumed when neither the arguments nor the model give one. */
    static final int UNKNOWN_CONTEXT = 4_096;

    private final Map<List<Path>, Stamped> models = new ConcurrentHashMap<>();

    private record Stamped(List<Long> stamps, GgufModel model) {}

    /**
     * The memory the model needs on GPUs. None when no layer is offloaded ({@code -ngl 0}) or no
     * model file is local yet (an {@code hf-repo} that is downloaded on first load); from the file
     * sizes when the files cannot be read as GGUF.
     */
    public MemoryEstimate estimate(ModelDescriptor model) {
        List<String> args = model.args();
        int gpuLayers = gpuLayers(args);
        Optional<Path> mmproj = ArgList.value(args, LlamaArgs.MMPROJ).map(Path::of);
        List<Path> shards = model.files().stream()
                .filter(f -> mmproj.map(p -> !p.equals(f)).orElse(true))
                .filter(Files::exists)
                .toList();
        if (gpuLayers == 0 || shards.isEmpty()) {
            return MemoryEstimate.none();
        }
        try {
            GgufModel gguf = read(shards);
            MemoryEstimate estimate = GgufMemoryEstimator.estimate(gguf, options(args, gguf, gpuLayers));
            long projector = projectorBytes(args, mmproj);
            return MemoryEstimate.ofBytes(
                    estimate.weightsBytes() + projector, estimate.kvCacheBytes(), estimate.overheadBytes());
        } catch (IOException e) {
            LOG.warn(
                    "cannot read GGUF headers of model '{}', estimating from file sizes: {}",
                    model.id(),
                    e.getMessage());
            return fromFileSizes(model.files());
        }
    }

    private static MemoryEstimate fromFileSizes(List<Path> files) {
        try {
            long size =
                    ModelFiles.totalSize(files.stream().filter(Files::exists).toList());
            return MemoryEstimate.ofBytes(size, 0, GgufMemoryEstimator.RUNTIME_RESERVE_BYTES);
        } catch (IOException e) {
            return MemoryEstimate.none();
        }
    }

    private static EstimateOptions options(List<String> args, GgufModel model, int gpuLayers) {
        int trained =
                model.contextLength() > 0 ? (int) Math.min(model.contextLength(), Integer.MAX_VALUE) : UNKNOWN_CONTEXT;
        int context =
                positiveInt(ArgList.value(args, LlamaArgs.CTX_SIZE)).orElse(Math.min(trained, DEFAULT_CONTEXT_CAP));
        return EstimateOptions.defaults(context)
                .withCacheTypes(cacheType(args, LlamaArgs.CACHE_TYPE_K), cacheType(args, LlamaArgs.CACHE_TYPE_V))
                .withGpuLayers(gpuLayers)
                .withMicroBatch(positiveInt(ArgList.value(args, LlamaArgs.UBATCH_SIZE))
                        .orElse(EstimateOptions.DEFAULT_MICRO_BATCH));
    }

    /** {@code -ngl}: a number, or {@code auto}/{@code all}/negative for every layer. */
    private static int gpuLayers(List<String> args) {
        return ArgList.value(args, LlamaArgs.N_GPU_LAYERS)
                .flatMap(ArgList::integer)
                .filter(n -> n >= 0)
                .orElse(EstimateOptions.ALL_LAYERS);
    }

    private static GgmlType cacheType(List<String> args, LlamaArg arg) {
        return ArgList.value(args, arg).flatMap(GgmlType::byName).orElse(GgmlType.F16);
    }

    private static long projectorBytes(List<String> args, Optional<Path> mmproj) throws IOException {
        if (mmproj.isEmpty() || !Files.exists(mmproj.get()) || ArgList.isTurnedOff(args, LlamaArgs.MMPROJ_OFFLOAD)) {
            return 0;
        }
        return Files.size(mmproj.get());
    }

    private static Optional<Integer> positiveInt(Optional<String> value) {
        return value.flatMap(ArgList::integer).filter(n -> n > 0);
    }

    private GgufModel read(List<Path> shards) throws IOException {
        List<Long> stamps = new ArrayList<>();
        for (Path shard : shards) {
            stamps.add(Files.getLastModifiedTime(shard).toMillis());
            stamps.add(Files.size(shard));
        }
        Stamped cached = models.get(shards);
        if (cached != null && cached.stamps().equals(stamps)) {
            return cached.model();
        }
        List<GgufFile> headers = new ArrayList<>();
        for (Path shard : shards) {
            headers.add(GgufReader.read(shard, ESTIMATE_ARRAY_LIMIT));
        }
        GgufModel model = GgufModel.of(headers);
        models.put(shards, new Stamped(stamps, model));
        return model;
    }
}
