package dev.switchboard.llamacpp.preset;

import dev.switchboard.llamacpp.preset.LlamaArg.Kind;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The llama-server options this backend knows, with their names and environment variables as
 * {@code common/arg.cpp} declares them: the ones the backend reads by name are declared here, and
 * every other option of the release (table {@code llama-server-args.tsv}, generated from its {@code
 * common/arg.cpp} by {@code tools/llama-server/llama-args.py}) is known too, so that no argument
 * llama-server accepts is refused.
 */
public final class LlamaArgs {

    private static final List<LlamaArg> ALL = new ArrayList<>();

    // Model location and the options the router itself sets or owns.
    public static final LlamaArg MODEL = value("LLAMA_ARG_MODEL", "-m", "--model");
    public static final LlamaArg MODEL_URL = value("LLAMA_ARG_MODEL_URL", "-mu", "--model-url");
    public static final LlamaArg HF_REPO = value("LLAMA_ARG_HF_REPO", "-hf", "-hfr", "--hf-repo");
    public static final LlamaArg HF_FILE = value("LLAMA_ARG_HF_FILE", "-hff", "--hf-file");
    public static final LlamaArg HF_TOKEN = value("HF_TOKEN", "-hft", "--hf-token");
    public static final LlamaArg MMPROJ = value("LLAMA_ARG_MMPROJ", "-mm", "--mmproj");
    public static final LlamaArg MMPROJ_URL = value("LLAMA_ARG_MMPROJ_URL", "-mmu", "--mmproj-url");
    public static final LlamaArg ALIAS = value("LLAMA_ARG_ALIAS", "-a", "--alias");
    public static final LlamaArg TAGS = value("LLAMA_ARG_TAGS", "--tags");
    public static final LlamaArg HOST = value("LLAMA_ARG_HOST", "--host");
    public static final LlamaArg PORT = value("LLAMA_ARG_PORT", "--port");
    public static final LlamaArg API_KEY = value("LLAMA_API_KEY", "--api-key");
    public static final LlamaArg SSL_KEY_FILE = value("LLAMA_ARG_SSL_KEY_FILE", "--ssl-key-file");
    public static final LlamaArg SSL_CERT_FILE = value("LLAMA_ARG_SSL_CERT_FILE", "--ssl-cert-file");
    public static final LlamaArg MODELS_DIR = value("LLAMA_ARG_MODELS_DIR", "--models-dir");
    public static final LlamaArg MODELS_PRESET = value("LLAMA_ARG_MODELS_PRESET", "--models-preset");
    public static final LlamaArg MODELS_MAX = value("LLAMA_ARG_MODELS_MAX", "--models-max");
    public static final LlamaArg MODELS_AUTOLOAD =
            toggle("LLAMA_ARG_MODELS_AUTOLOAD", List.of("--models-autoload"), List.of("--no-models-autoload"));

    // Memory-relevant options the estimate reads.
    public static final LlamaArg CTX_SIZE = value("LLAMA_ARG_CTX_SIZE", "-c", "--ctx-size");
    public static final LlamaArg UBATCH_SIZE = value("LLAMA_ARG_UBATCH", "-ub", "--ubatch-size");
    public static final LlamaArg CACHE_TYPE_K = value("LLAMA_ARG_CACHE_TYPE_K", "-ctk", "--cache-type-k");
    public static final LlamaArg CACHE_TYPE_V = value("LLAMA_ARG_CACHE_TYPE_V", "-ctv", "--cache-type-v");
    public static final LlamaArg N_GPU_LAYERS =
            value("LLAMA_ARG_N_GPU_LAYERS", "-ngl", "--gpu-layers", "--n-gpu-layers");
    public static final LlamaArg TENSOR_SPLIT = value("LLAMA_ARG_TENSOR_SPLIT", "-ts", "--tensor-split");
    public static final LlamaArg MAIN_GPU = value("LLAMA_ARG_MAIN_GPU", "-mg", "--main-gpu");
    public static final LlamaArg MMPROJ_OFFLOAD =
            toggle("LLAMA_ARG_MMPROJ_OFFLOAD", List.of("--mmproj-offload"), List.of("--no-mmproj-offload"));

    // Options that size the child's HTTP workers (the gateway's connections to it are held within them).
    public static final LlamaArg N_PARALLEL = value("LLAMA_ARG_N_PARALLEL", "-np", "--parallel");
    public static final LlamaArg THREADS_HTTP = value("LLAMA_ARG_THREADS_HTTP", "--threads-http");

    // Options that exist only in preset files (common_params_add_preset_options).
    public static final LlamaArg LOAD_ON_STARTUP =
            add(new LlamaArg(List.of("--load-on-startup"), List.of(), "__PRESET_LOAD_ON_STARTUP", Kind.PRESET_BOOLEAN));
    public static final LlamaArg STOP_TIMEOUT =
            add(new LlamaArg(List.of("--stop-timeout"), List.of(), "__PRESET_STOP_TIMEOUT", Kind.PRESET_SECONDS));
    public static final LlamaArg DEDUP_CACHE_MODELS = add(new LlamaArg(
            List.of("--dedup-cache-models"), List.of(), "__PRESET_DEDUP_CACHE_MODELS", Kind.PRESET_BOOLEAN));

    static {
        // common
        value("LLAMA_ARG_THREADS", "-t", "--threads");
        value("LLAMA_ARG_THREADS_BATCH", "-tb", "--threads-batch");
        value("LLAMA_ARG_N_PREDICT", "-n", "--predict", "--n-predict");
        value("LLAMA_ARG_BATCH", "-b", "--batch-size");
        value(null, "--keep");
        flag("LLAMA_ARG_SWA_FULL", "--swa-full");
        value("LLAMA_ARG_FLASH_ATTN", "-fa", "--flash-attn");
        value("LLAMA_ARG_ROPE_SCALING_TYPE", "--rope-scaling");
        value("LLAMA_ARG_ROPE_SCALE", "--rope-scale");
        value("LLAMA_ARG_ROPE_FREQ_BASE", "--rope-freq-base");
        value("LLAMA_ARG_ROPE_FREQ_SCALE", "--rope-freq-scale");
        value("LLAMA_ARG_YARN_ORIG_CTX", "--yarn-orig-ctx");
        toggle("LLAMA_ARG_KV_OFFLOAD", List.of("-kvo", "--kv-offload"), List.of("-nkvo", "--no-kv-offload"));
        flag("LLAMA_ARG_MLOCK", "--mlock");
        toggle("LLAMA_ARG_MMAP", List.of("--mmap"), List.of("--no-mmap"));
        value("LLAMA_ARG_NUMA", "--numa");
        value("LLAMA_ARG_DEVICE", "-dev", "--device");
        value("LLAMA_ARG_OVERRIDE_TENSOR", "-ot", "--override-tensor");
        flag("LLAMA_ARG_CPU_MOE", "-cmoe", "--cpu-moe");
        value("LLAMA_ARG_N_CPU_MOE", "-ncmoe", "--n-cpu-moe");
        value("LLAMA_ARG_SPLIT_MODE", "-sm", "--split-mode");
        value("LLAMA_ARG_FIT", "-fit", "--fit");
        value(null, "--lora");
        value(null, "--lora-scaled");
        value("LLAMA_ARG_LOG_FILE", "--log-file");
        value("LLAMA_ARG_LOG_COLORS", "--log-colors");
        flag(null, "-v", "--verbose", "--log-verbose");
        value("LLAMA_ARG_LOG_VERBOSITY", "-lv", "--verbosity", "--log-verbosity");
        flag("LLAMA_ARG_LOG_PREFIX", "--log-prefix");
        flag("LLAMA_ARG_LOG_TIMESTAMPS", "--log-timestamps");
        flag("LLAMA_ARG_OFFLINE", "--offline");
        // sampling
        value(null, "--samplers");
        value(null, "-s", "--seed");
        value(null, "--temp");
        value(null, "--top-k");
        value(null, "--top-p");
        value(null, "--min-p");
        value(null, "--typical");
        value(null, "--repeat-last-n");
        value(null, "--repeat-penalty");
        value(null, "--presence-penalty");
        value(null, "--frequency-penalty");
        value(null, "--dry-multiplier");
        flag(null, "--ignore-eos");
        value(null, "--grammar-file");
        // server
        value("LLAMA_ARG_CACHE_RAM", "-cram", "--cache-ram");
        flag("LLAMA_ARG_KV_UNIFIED", "-kvu", "--kv-unified");
        toggle("LLAMA_ARG_CONTEXT_SHIFT", List.of("--context-shift"), List.of("--no-context-shift"));
        flag(null, "-sp", "--special");
        toggle(null, List.of("--warmup"), List.of("--no-warmup"));
        value("LLAMA_ARG_POOLING", "--pooling");
        toggle("LLAMA_ARG_CONT_BATCHING", List.of("-cb", "--cont-batching"), List.of("-nocb", "--no-cont-batching"));
        toggle("LLAMA_ARG_MMPROJ_AUTO", List.of("--mmproj-auto"), List.of("--no-mmproj", "--no-mmproj-auto"));
        value("LLAMA_ARG_STATIC_PATH", "--path");
        value("LLAMA_ARG_API_PREFIX", "--api-prefix");
        toggle("LLAMA_ARG_WEBUI", List.of("--webui"), List.of("--no-webui"));
        flag("LLAMA_ARG_EMBEDDINGS", "--embedding", "--embeddings");
        flag("LLAMA_ARG_RERANKING", "--rerank", "--reranking");
        value(null, "--api-key-file");
        value("LLAMA_ARG_CHAT_TEMPLATE_KWARGS", "--chat-template-kwargs");
        value("LLAMA_ARG_TIMEOUT", "-to", "--timeout");
        value("LLAMA_ARG_CACHE_REUSE", "--cache-reuse");
        flag("LLAMA_ARG_ENDPOINT_METRICS", "--metrics");
        flag("LLAMA_ARG_ENDPOINT_PROPS", "--props");
        toggle("LLAMA_ARG_ENDPOINT_SLOTS", List.of("--slots"), List.of("--no-slots"));
        value(null, "--slot-save-path");
        toggle("LLAMA_ARG_JINJA", List.of("--jinja"), List.of("--no-jinja"));
        value("LLAMA_ARG_THINK", "--reasoning-format");
        value("LLAMA_ARG_THINK_BUDGET", "--reasoning-budget");
        value("LLAMA_ARG_CHAT_TEMPLATE", "--chat-template");
        value("LLAMA_ARG_CHAT_TEMPLATE_FILE", "--chat-template-file");
        value(null, "--sleep-idle-seconds");
        // speculative decoding
        value("LLAMA_ARG_MODEL_DRAFT", "-md", "--model-draft");
        value("LLAMA_ARG_HFD_REPO", "-hfd", "-hfrd", "--hf-repo-draft");
        value("LLAMA_ARG_N_GPU_LAYERS_DRAFT", "-ngld", "--gpu-layers-draft", "--n-gpu-layers-draft");
        value(null, "-devd", "--device-draft");
        value("LLAMA_ARG_DRAFT_MAX", "--draft", "--draft-n", "--draft-max");
        value("LLAMA_ARG_DRAFT_MIN", "--draft-min", "--draft-n-min");
    }

    static {
        addReleaseTable();
    }

    private static final Map<String, LlamaArg> BY_PRESET_KEY = index(true);
    private static final Map<String, LlamaArg> BY_COMMAND_LINE_NAME = index(false);

    private LlamaArgs() {}

    /** Every known option. */
    public static List<LlamaArg> all() {
        return Collections.unmodifiableList(ALL);
    }

    /**
     * The option a preset key names: a name without dashes ({@code ctx-size}, {@code c}, {@code
     * no-mmap}) or an environment name ({@code LLAMA_ARG_CTX_SIZE}).
     */
    public static Optional<LlamaArg> byPresetKey(String key) {
        return Optional.ofNullable(BY_PRESET_KEY.get(key));
    }

    /** The option a command-line token names, such as {@code -c} or {@code --no-mmap}. */
    public static Optional<LlamaArg> byCommandLineName(String name) {
        return Optional.ofNullable(BY_COMMAND_LINE_NAME.get(name));
    }

    private static Map<String, LlamaArg> index(boolean presetKeys) {
        Map<String, LlamaArg> index = new HashMap<>();
        for (LlamaArg arg : ALL) {
            List<String> keys = presetKeys ? arg.presetKeys() : commandLineNames(arg);
            for (String key : keys) {
                if (index.putIfAbsent(key, arg) != null) {
                    throw new IllegalStateException("two options claim '" + key + "'");
                }
            }
        }
        return Map.copyOf(index);
    }

    /** Preset-only options are not command-line arguments. */
    private static List<String> commandLineNames(LlamaArg arg) {
        return arg.presetOnly()
                ? List.of()
                : Stream.concat(arg.names().stream(), arg.negatedNames().stream())
                        .toList();
    }

    /**
     * Adds the options of the release's table that are not declared above; where a declared option
     * has fewer spellings than the release ({@code --temperature} for {@code --temp}), the other
     * spellings become an option of their own.
     */
    private static void addReleaseTable() {
        Set<String> names = new HashSet<>();
        Set<String> keys = new HashSet<>();
        for (LlamaArg arg : ALL) {
            names.addAll(commandLineNames(arg));
            names.addAll(arg.names());
            keys.addAll(arg.presetKeys());
        }
        Predicate<String> free = name -> !names.contains(name) && !keys.contains(LlamaArg.stripDashes(name));
        String resource = "llama-server-args.tsv";
        try (InputStream in = LlamaArgs.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] fields = line.split("\t");
                List<String> own = split(fields[1]).stream().filter(free).toList();
                List<String> negated = split(fields[2]).stream().filter(free).toList();
                if (own.isEmpty()) {
                    continue; // a declared option has every spelling that matters
                }
                String env = fields[3].equals("-") || keys.contains(fields[3]) ? null : fields[3];
                LlamaArg arg = add(new LlamaArg(own, negated, env, Kind.valueOf(fields[0])));
                names.addAll(commandLineNames(arg));
                keys.addAll(arg.presetKeys());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> split(String field) {
        return field.equals("-") ? List.of() : List.of(field.split(","));
    }

    private static LlamaArg value(String env, String... names) {
        return add(new LlamaArg(List.of(names), List.of(), env, Kind.VALUE));
    }

    private static LlamaArg flag(String env, String... names) {
        return add(new LlamaArg(List.of(names), List.of(), env, Kind.FLAG));
    }

    private static LlamaArg toggle(String env, List<String> names, List<String> negatedNames) {
        return add(new LlamaArg(names, negatedNames, env, Kind.FLAG));
    }

    private static LlamaArg add(LlamaArg arg) {
        ALL.add(arg);
        return arg;
    }
}
