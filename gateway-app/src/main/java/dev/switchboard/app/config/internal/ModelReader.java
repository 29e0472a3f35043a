package dev.switchboard.app.config.internal;

import dev.switchboard.core.command.CommandLine;
import dev.switchboard.core.spi.ModelDescriptor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Binds the {@code models:} map of a Switchboard file. Each entry:
 *
 * <pre>{@code
 * ID:
 *   backend: NAME            # may be left out when exactly one backend is configured
 *   source: ...              # what the engine loads: a file, a Hugging Face repo, a remote name
 *   aliases: [...]
 *   tags: [...]
 *   args: [...] | "..."      # a string is split like a shell command line
 *   env: {K: V} | ["K=V"]
 *   metadata: {...}
 *   ttl: 10m                 # 0 = never unload
 *   gpus: [0, 1]
 *   priority: 0
 *   group: NAME
 *   unlisted: false
 *   loadOnStartup: false
 *   stopTimeout: 30s
 *   cmd, proxy, checkEndpoint, cmdStop, useModelName, memory   # command-backend settings
 *   options: {...}           # concurrencyLimit, filters {stripParams, setParams}, fallback,
 *                            # and any other backend-specific setting
 * }</pre>
 */
final class ModelReader {
    /** Settings of the command backend, accepted at the model's top level for llama-swap likeness. */
    static final List<String> COMMAND_KEYS =
            List.of("cmd", "proxy", "checkEndpoint", "cmdStop", "useModelName", "memory");

    private static final List<String> KEYS = List.of(
            "backend",
            "source",
            "aliases",
            "tags",
            "args",
            "env",
            "metadata",
            "ttl",
            "gpus",
            "priority",
            "group",
            "unlisted",
            "loadOnStartup",
            "stopTimeout",
            "cmd",
            "proxy",
            "checkEndpoint",
            "cmdStop",
            "useModelName",
            "memory",
            "options");

    private ModelReader() {}

    static List<ModelDescriptor> read(YamlNode models, List<String> backends) {
        List<ModelDescriptor> result = new ArrayList<>();
        models.entries().forEach((id, model) -> result.add(model(id, model, backends)));
        return result;
    }

    private static ModelDescriptor model(String id, YamlNode node, List<String> backends) {
        node.allowOnly(KEYS);
        ModelDescriptor.Builder model = ModelDescriptor.builder(id, backend(node, backends));
        node.get("source").ifPresent(n -> model.source(n.string()));
        node.get("aliases").ifPresent(n -> model.aliases(n.strings()));
        node.get("tags").ifPresent(n -> model.tags(n.strings()));
        node.get("args").ifPresent(n -> model.args(args(n)));
        node.get("env").ifPresent(n -> model.env(env(n)));
        node.get("metadata").ifPresent(n -> model.metadata(n.plainMap()));
        node.get("ttl").ifPresent(n -> model.ttl(n.duration()));
        node.get("gpus")
                .ifPresent(n -> model.gpus(n.items().stream()
                        .map(gpu -> gpu.integer(0, Integer.MAX_VALUE))
                        .toList()));
        node.get("priority").ifPresent(n -> model.priority(n.integer()));
        node.get("group").ifPresent(n -> model.group(n.nonEmptyString()));
        node.get("unlisted").ifPresent(n -> model.unlisted(n.bool()));
        node.get("loadOnStartup").ifPresent(n -> model.loadOnStartup(n.bool()));
        node.get("stopTimeout").ifPresent(n -> model.stopTimeout(n.positiveDuration()));
        model.options(options(node));
        node.get("options")
                .ifPresent(options ->
                        ModelOptionsReader.read(options, model, id, UnaryOperator.identity(), Function.identity()));
        return model.build();
    }

    private static String backend(YamlNode model, List<String> backends) {
        if (model.get("backend").isEmpty() && backends.size() == 1) {
            return backends.getFirst();
        }
        YamlNode node = model.require("backend");
        String name = node.string();
        if (!backends.contains(name)) {
            throw node.error("no backend named '" + name + "' (configured: "
                    + (backends.isEmpty() ? "none" : String.join(", ", backends)) + ")");
        }
        return name;
    }

    private static List<String> args(YamlNode node) {
        if (!node.isScalar()) {
            return node.strings();
        }
        try {
            return CommandLine.split(node.string());
        } catch (IllegalArgumentException e) {
            throw node.error(e.getMessage());
        }
    }

    /** A map of names to values, or llama-swap's list of {@code NAME=value} texts. */
    private static Map<String, String> env(YamlNode node) {
        if (node.isList()) {
            return node.assignments();
        }
        Map<String, String> env = new LinkedHashMap<>();
        node.entries().forEach((name, value) -> env.put(name, value.string()));
        return env;
    }

    private static Map<String, Object> options(YamlNode node) {
        Map<String, Object> options =
                node.get("options").map(YamlNode::plainMap).orElseGet(LinkedHashMap::new);
        ModelOptionsReader.KEYS.forEach(options::remove); // typed, read on their own
        for (String key : COMMAND_KEYS) {
            node.get(key).ifPresent(value -> {
                if (options.containsKey(key)) {
                    throw value.error("is also set under options; keep one");
                }
                if (key.equals("memory")) {
                    value.byteSize(); // fail here, with a line number, rather than when the model starts
                }
                options.put(key, value.string());
            });
        }
        return options;
    }
}
