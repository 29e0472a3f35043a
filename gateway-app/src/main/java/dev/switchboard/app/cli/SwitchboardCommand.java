package dev.switchboard.app.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Unmatched;

/** The options of {@code switchboard}, bound by picocli; see {@link ServeOptions} for their meaning. */
@Command(
        name = "switchboard",
        sortOptions = false,
        versionProvider = Version.class,
        subcommands = ConvertCommand.class,
        description = {
            "One OpenAI-compatible endpoint in front of many local inference engines.",
            "Without --config it behaves like llama-server in router mode: models from the Hugging Face"
                    + " cache, --models-dir and --models-preset; other llama-server arguments go to every child."
        },
        footer = {
            "",
            "Without --config or --demo, llama-server's variables apply: LLAMA_API_KEY, LLAMA_ARG_MODELS_DIR,"
                    + " LLAMA_ARG_MODELS_PRESET, LLAMA_ARG_MODELS_MAX, LLAMA_ARG_MODELS_AUTOLOAD."
        })
final class SwitchboardCommand {
    @Option(names = "--config", paramLabel = "FILE", description = "Switchboard or llama-swap YAML configuration")
    Path config;

    @Option(names = "--host", paramLabel = "HOST", description = "address to listen on (default: 127.0.0.1)")
    String host;

    @Option(names = "--port", paramLabel = "PORT", description = "port to listen on (default: 8080, 0 = any)")
    Integer port;

    @Option(names = "--demo", description = "serve simulated engines from the built-in demo configuration")
    boolean demo;

    @Option(names = "--models-dir", paramLabel = "PATH", description = "directory with GGUF models")
    Path modelsDir;

    @Option(names = "--models-preset", paramLabel = "PATH", description = "INI file with model presets")
    Path modelsPreset;

    @Option(
            names = "--models-max",
            paramLabel = "N",
            description = "maximum models loaded at once (default: 4, 0 = unlimited)")
    Integer modelsMax;

    @Option(names = "--models-autoload", description = "load models on request (default)")
    boolean modelsAutoload;

    @Option(names = "--no-models-autoload", description = "do not load models on request")
    boolean noModelsAutoload;

    @Option(names = "--api-key", paramLabel = "KEY", description = "accepted API key; repeat or separate with commas")
    List<String> apiKeys = new ArrayList<>();

    @Option(
            names = "--api-key-file",
            paramLabel = "FILE",
            description = "file of accepted API keys, one a line (as llama-server reads it)")
    Path apiKeyFile;

    @Option(names = "--llama-server", paramLabel = "PATH", description = "llama-server binary (default: on PATH)")
    String llamaServer;

    @Mixin
    ServerFlags serverFlags = new ServerFlags();

    @Mixin
    ToolsFlags tools = new ToolsFlags();

    @Option(names = "--help", usageHelp = true, description = "show this help and exit")
    boolean help;

    @Option(names = "--version", versionHelp = true, description = "show the version and exit")
    boolean version;

    @Unmatched
    List<String> llamaServerArgs = new ArrayList<>();

    /**
     * The options, with llama-server's environment variables filling what the command line left
     * out when no configuration file is used.
     *
     * @throws IllegalArgumentException naming the offending option
     */
    ServeOptions toOptions(Map<String, String> env) {
        if (demo && config != null) {
            throw new IllegalArgumentException("--demo and --config cannot be used together");
        }
        boolean routerMode = config == null && !demo;
        if (!routerMode) {
            rejectRouterOnly();
        }
        // llama-server's variables only where Switchboard stands in for llama-server
        Map<String, String> fromEnv = routerMode ? env : Map.of();
        Integer max = modelsMax != null ? modelsMax : variable(fromEnv, "LLAMA_ARG_MODELS_MAX", Integer::valueOf);
        if (max != null && max < 0) {
            throw new IllegalArgumentException("--models-max must be 0 (unlimited) or more, got " + max);
        }
        if (port != null && (port < 0 || port > 65535)) {
            throw new IllegalArgumentException("--port must lie in 0..65535, got " + port);
        }
        List<String> keys = new ArrayList<>(
                apiKeys.isEmpty() && fromEnv.containsKey("LLAMA_API_KEY")
                        ? List.of(fromEnv.get("LLAMA_API_KEY"))
                        : apiKeys);
        if (apiKeyFile != null) {
            keys.addAll(keysIn(apiKeyFile));
        }
        return new ServeOptions(
                config,
                demo,
                host,
                port,
                modelsDir != null ? modelsDir : variable(fromEnv, "LLAMA_ARG_MODELS_DIR", Path::of),
                modelsPreset != null ? modelsPreset : variable(fromEnv, "LLAMA_ARG_MODELS_PRESET", Path::of),
                max,
                autoload(fromEnv),
                splitKeys(keys),
                llamaServer,
                llamaServerArgs,
                serverFlags.withEnv(fromEnv),
                tools.toOverrides(fromEnv));
    }

    private void rejectRouterOnly() {
        String mode = demo ? "--demo" : "--config";
        if (modelsDir != null) {
            throw new IllegalArgumentException("--models-dir cannot be used with " + mode);
        }
        if (modelsPreset != null) {
            throw new IllegalArgumentException("--models-preset cannot be used with " + mode);
        }
        if (llamaServer != null) {
            throw new IllegalArgumentException("--llama-server cannot be used with " + mode);
        }
        if (serverFlags.hfRepo() != null) {
            throw new IllegalArgumentException("--hf-repo cannot be used with " + mode);
        }
        if (!llamaServerArgs.isEmpty()) {
            throw new IllegalArgumentException("unknown option '" + llamaServerArgs.getFirst()
                    + "' (llama-server arguments are passed to engines only without --config or --demo)");
        }
    }

    private Boolean autoload(Map<String, String> env) {
        if (noModelsAutoload) {
            return false;
        }
        if (modelsAutoload) {
            return true;
        }
        return variable(env, "LLAMA_ARG_MODELS_AUTOLOAD", value -> switch (value.toLowerCase(Locale.ROOT)) {
            // llama.cpp's spellings of booleans in environment variables
            case "true", "1", "on", "enabled" -> true;
            case "false", "0", "off", "disabled" -> false;
            default -> throw new IllegalArgumentException(value);
        });
    }

    /** An environment variable's value, parsed; null when it is unset or empty. */
    private static <T> T variable(Map<String, String> env, String name, Function<String, T> parser) {
        String value = env.getOrDefault(name, "").trim();
        if (value.isEmpty()) {
            return null;
        }
        try {
            return parser.apply(value);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                    "environment variable " + name + " has an unusable value '" + value + "'");
        }
    }

    /** llama-server's {@code --api-key-file}: one key a line, blank lines skipped. */
    private static List<String> keysIn(Path file) {
        try {
            return Files.readAllLines(file).stream()
                    .map(String::strip)
                    .filter(line -> !line.isEmpty())
                    .toList();
        } catch (IOException e) {
            throw new IllegalArgumentException("--api-key-file: cannot read '" + file + "': " + e.getMessage());
        }
    }

    /** llama-server accepts several keys in one argument, separated by commas. */
    private static List<String> splitKeys(List<String> keys) {
        return keys.stream()
                .flatMap(key -> Arrays.stream(key.split(",")))
                .map(String::trim)
                .filter(key -> !key.isEmpty())
                .toList();
    }
}
