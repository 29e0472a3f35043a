package dev.switchboard.app.config.internal;

import dev.switchboard.app.ServerSettings;
import dev.switchboard.app.config.AppConfig;
import dev.switchboard.app.config.GpuSetting;
import dev.switchboard.core.GatewayConfig;
import dev.switchboard.core.command.CommandBackendFactory;
import dev.switchboard.core.lifecycle.GroupPolicy;
import dev.switchboard.core.lifecycle.SchedulerConfig;
import dev.switchboard.core.spi.BackendConfig;
import dev.switchboard.core.spi.ModelDescriptor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Reads a llama-swap {@code config.yaml} as it is. Every model becomes a model of one {@code
 * command} backend named {@value #BACKEND}, keeping llama-swap's {@code cmd}, {@code proxy},
 * {@code checkEndpoint}, {@code cmdStop} and {@code useModelName} as its options and {@code
 * concurrencyLimit} and {@code filters} as typed model settings; user macros and {@code ${MODEL_ID}} are substituted here, while
 * {@code ${PORT}} (and {@code ${PID}} in {@code cmdStop}) are left for the gateway.
 *
 * <p>Mapping of the rest: {@code healthCheckTimeout} → the backend's {@code startTimeout}; {@code
 * globalTTL} → {@code scheduler.idleTtl}; {@code unloadTimeout} → {@code scheduler.stopTimeout}
 * (per model: {@code stopTimeout}); {@code apiKeys} → {@code server.apiKeys}; {@code
 * hooks.on_startup.preload} → {@code loadOnStartup}; {@code name}, {@code description} and {@code
 * metadata} → metadata. Groups become {@code scheduler.groups} with the same swap, exclusive and
 * persistent rules, which the gateway enforces; models in no group join llama-swap's implicit
 * {@value #DEFAULT_GROUP} group, which swaps and is exclusive, so one model runs at a time as in
 * llama-swap; {@code scheduler.maxLoaded} is unlimited (the groups decide), and members of
 * persistent groups get priority 1 so memory pressure evicts them last. GPUs are
 * {@code none}: llama-swap commands choose their own devices. Documented keys Switchboard does not
 * support produce warnings; undocumented keys are errors.
 */
final class LlamaSwapReader {
    /** The name of the command backend that runs the models. */
    public static final String BACKEND = "llama-swap";

    /** llama-swap's implicit group of the models no group names. */
    static final String DEFAULT_GROUP = "(default)";

    private static final List<String> TOP_LEVEL = List.of(
            "healthCheckTimeout", "globalTTL", "unloadTimeout", "macros", "apiKeys", "models", "groups", "hooks");
    private static final List<String> TOP_LEVEL_IGNORED = List.of(
            "logLevel",
            "logTimeFormat",
            "logToStdout",
            "logRequests",
            "metricsMaxInMemory",
            "captureBuffer",
            "startPort",
            "sendLoadingState",
            "includeAliasesInList",
            "matrix",
            "peers",
            "profiles",
            "performance",
            "store",
            "ui",
            "upstream",
            "selectors",
            "tailcat");
    private static final List<String> MODEL = List.of(
            "cmd",
            "cmdStop",
            "proxy",
            "aliases",
            "env",
            "checkEndpoint",
            "ttl",
            "unlisted",
            "useModelName",
            "name",
            "description",
            "concurrencyLimit",
            "filters",
            "macros",
            "metadata",
            "unloadTimeout");
    private static final List<String> MODEL_IGNORED = List.of("sendLoadingState", "timeouts", "compat");
    private static final List<String> ALIAS = List.of("id", "name", "unlisted");
    private static final List<String> GROUP = List.of("swap", "exclusive", "persistent", "members");
    private static final int DEFAULT_HEALTH_CHECK_SECONDS = 120;
    private static final int MIN_HEALTH_CHECK_SECONDS = 15;
    private static final int PERSISTENT_PRIORITY = 1;

    private final List<String> warnings = new ArrayList<>();

    private LlamaSwapReader() {}

    /** The top-level keys only llama-swap files have; their presence tells the format apart. */
    static Set<String> distinctiveKeys() {
        Set<String> keys = new HashSet<>(TOP_LEVEL);
        keys.addAll(TOP_LEVEL_IGNORED);
        keys.remove("models");
        return keys;
    }

    /**
     * @param baseDirectory the directory the backend resolves relative paths against
     */
    static AppConfig read(YamlNode root, Path baseDirectory) {
        return new LlamaSwapReader().config(root, baseDirectory);
    }

    private AppConfig config(YamlNode root, Path baseDirectory) {
        allowOnly(root, TOP_LEVEL, TOP_LEVEL_IGNORED);
        LlamaSwapMacros macros = root.get("macros").map(LlamaSwapMacros::read).orElse(LlamaSwapMacros.none());
        Map<String, YamlNode> modelNodes = root.require("models").entries();
        Map<String, Group> groupOf = root.get("groups")
                .map(node -> groups(node, modelNodes.keySet()))
                .orElse(Map.of());

        Map<String, String> names = new HashMap<>();
        modelNodes.keySet().forEach(id -> names.put(id, id));
        List<ModelDescriptor> models = new ArrayList<>();
        modelNodes.forEach((id, node) -> {
            ModelDescriptor model = model(id, node, macros, groupOf.get(id));
            for (String alias : model.aliases()) {
                String taken = names.putIfAbsent(alias, id);
                if (taken != null && !taken.equals(id)) {
                    throw node.error("alias '" + alias + "' is already a name of model '" + taken + "'");
                }
            }
            models.add(model);
        });
        Set<String> preload =
                root.get("hooks").map(node -> preload(node, names)).orElse(Set.of());
        List<ModelDescriptor> loaded = models.stream()
                .map(m -> preload.contains(m.id())
                        ? m.toBuilder().loadOnStartup(true).build()
                        : m)
                .toList();

        SchedulerConfig.Builder scheduler = SchedulerConfig.custom().maxLoaded(0);
        groupOf.values().stream()
                .distinct()
                .forEach(group -> scheduler.group(
                        group.name(), new GroupPolicy(group.swap(), group.exclusive(), group.persistent())));
        if (loaded.stream().anyMatch(m -> DEFAULT_GROUP.equals(m.group()))) {
            scheduler.group(DEFAULT_GROUP, GroupPolicy.LLAMA_SWAP_DEFAULT);
        }
        root.get("globalTTL").ifPresent(n -> scheduler.idleTtl(seconds(n.integer(0, Integer.MAX_VALUE))));
        root.get("unloadTimeout").ifPresent(n -> scheduler.stopTimeout(seconds(n.integer(1, Integer.MAX_VALUE))));
        int healthCheck = root.get("healthCheckTimeout").map(YamlNode::integer).orElse(DEFAULT_HEALTH_CHECK_SECONDS);
        BackendConfig backend = new BackendConfig(
                BACKEND,
                CommandBackendFactory.TYPE,
                Map.of("startTimeout", Math.max(healthCheck, MIN_HEALTH_CHECK_SECONDS) + "s"),
                baseDirectory);
        List<String> apiKeys = root.get("apiKeys")
                .map(keys -> keys.items().stream().map(YamlNode::nonEmptyString).toList())
                .orElse(List.of());
        ServerSettings defaults = ServerSettings.defaults();
        return new AppConfig(
                new GatewayConfig(scheduler.build(), List.of(backend), loaded),
                new ServerSettings(
                        defaults.host(), defaults.port(), apiKeys, defaults.maxBodyBytes(), defaults.webUi()),
                new GpuSetting.None(),
                warnings);
    }

    private ModelDescriptor model(String id, YamlNode node, LlamaSwapMacros global, Group group) {
        allowOnly(node, MODEL, MODEL_IGNORED);
        LlamaSwapMacros macros = global.forModel(
                id, node.get("macros").map(LlamaSwapMacros::read).orElse(LlamaSwapMacros.none()));
        ModelDescriptor.Builder model = ModelDescriptor.builder(id, BACKEND)
                .options(options(node, macros))
                .aliases(aliases(id, node, macros))
                .metadata(metadata(node, macros));
        ModelOptionsReader.read(node, model, id, macros::expand, macros::expandAll);
        node.get("env").ifPresent(n -> model.env(n.assignments()));
        node.get("ttl").ifPresent(n -> {
            int ttl = n.integer(-1, Integer.MAX_VALUE);
            model.ttl(ttl < 0 ? null : seconds(ttl)); // -1: use globalTTL; 0: never unload
        });
        node.get("unlisted").ifPresent(n -> model.unlisted(n.bool()));
        node.get("unloadTimeout")
                .map(n -> n.integer(0, Integer.MAX_VALUE))
                .filter(timeout -> timeout > 0) // 0: use the global unloadTimeout
                .ifPresent(timeout -> model.stopTimeout(seconds(timeout)));
        if (group != null) {
            model.group(group.name());
            model.priority(group.persistent() ? PERSISTENT_PRIORITY : 0);
        } else {
            model.group(DEFAULT_GROUP);
        }
        return model.build();
    }

    /** The command backend's settings of one model, macros expanded. */
    private static Map<String, Object> options(YamlNode node, LlamaSwapMacros macros) {
        Map<String, Object> options = new LinkedHashMap<>();
        YamlNode cmd = node.require("cmd");
        String command = macros.expandSetting(cmd, Set.of("PORT"));
        if (command.isBlank()) {
            throw cmd.error("must not be empty");
        }
        options.put("cmd", command);
        node.get("proxy").ifPresent(n -> options.put("proxy", macros.expandSetting(n, Set.of("PORT"))));
        node.get("checkEndpoint").ifPresent(n -> options.put("checkEndpoint", macros.expandSetting(n, Set.of())));
        node.get("cmdStop").ifPresent(n -> options.put("cmdStop", macros.expandSetting(n, Set.of("PORT", "PID"))));
        node.get("useModelName")
                .map(YamlNode::string)
                .filter(name -> !name.isEmpty())
                .ifPresent(name -> options.put("useModelName", name));
        return options;
    }

    /** The model's aliases, and every {@code setParamsByID} key, which llama-swap also serves as one. */
    private static List<String> aliases(String id, YamlNode node, LlamaSwapMacros macros) {
        List<String> aliases = new ArrayList<>(node.get("aliases")
                .map(n -> n.items().stream().map(alias -> alias(alias, macros)).toList())
                .orElse(List.of()));
        node.get("filters")
                .flatMap(f -> f.get("setParamsByID"))
                .ifPresent(byId -> byId.entries().keySet().stream()
                        .map(macros::expand)
                        .filter(key -> !key.equals(id) && !aliases.contains(key))
                        .forEach(aliases::add));
        return aliases;
    }

    private static String alias(YamlNode alias, LlamaSwapMacros macros) {
        if (!alias.isMap()) {
            return macros.expand(alias.nonEmptyString());
        }
        alias.allowOnly(ALIAS); // name and unlisted only shape llama-swap's own listing
        return macros.expand(alias.require("id").nonEmptyString());
    }

    private static Map<String, Object> metadata(YamlNode node, LlamaSwapMacros macros) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        for (String key : List.of("name", "description")) {
            node.get(key)
                    .map(YamlNode::string)
                    .filter(text -> !text.isEmpty())
                    .ifPresent(text -> metadata.put(key, macros.expand(text)));
        }
        node.get("metadata").ifPresent(n -> metadata.putAll(macros.expandAll(n.plainMap())));
        return metadata;
    }

    private Map<String, Group> groups(YamlNode node, Set<String> modelIds) {
        Map<String, Group> groupOf = new LinkedHashMap<>();
        node.entries().forEach((name, group) -> {
            group.allowOnly(GROUP);
            List<String> members = new ArrayList<>();
            for (YamlNode member : group.get("members").map(YamlNode::items).orElse(List.of())) {
                String id = member.string();
                if (!modelIds.contains(id)) {
                    throw member.error("no model named '" + id + "'");
                }
                Group previous = groupOf.get(id);
                if (previous != null || members.contains(id)) {
                    throw member.error("model '" + id + "' is already in group '"
                            + (previous != null ? previous.name() : name) + "'");
                }
                members.add(id);
            }
            Group value = new Group(
                    name,
                    group.get("swap").map(YamlNode::bool).orElse(true),
                    group.get("exclusive").map(YamlNode::bool).orElse(true),
                    group.get("persistent").map(YamlNode::bool).orElse(false),
                    members);
            members.forEach(id -> groupOf.put(id, value));
        });
        return groupOf;
    }

    private Set<String> preload(YamlNode hooks, Map<String, String> names) {
        hooks.allowOnly(List.of("on_startup"));
        YamlNode onStartup = hooks.get("on_startup").orElse(null);
        if (onStartup == null) {
            return Set.of();
        }
        allowOnly(onStartup, List.of("preload"), List.of("profile"));
        Set<String> ids = new HashSet<>();
        for (YamlNode item : onStartup.get("preload").map(YamlNode::items).orElse(List.of())) {
            String name = item.string().trim();
            if (names.containsKey(name)) {
                ids.add(names.get(name));
            } else if (!name.isEmpty()) {
                warnings.add(item.warning("no model named '" + name + "'; not preloaded"));
            }
        }
        return ids;
    }

    /** Fails on unknown keys; warns about documented keys Switchboard does not honour. */
    private void allowOnly(YamlNode node, List<String> supported, List<String> ignored) {
        node.allowOnly(Stream.concat(supported.stream(), ignored.stream()).toList());
        node.entries().forEach((key, value) -> {
            if (ignored.contains(key)) {
                warnings.add(value.warning("not supported by Switchboard; ignored"));
            }
        });
    }

    private static Duration seconds(int seconds) {
        return Duration.ofSeconds(seconds);
    }

    /** A llama-swap group with its defaults applied. */
    private record Group(String name, boolean swap, boolean exclusive, boolean persistent, List<String> members) {
        Group {
            members = List.copyOf(members);
        }
    }
}
