package dev.switchboard.app.config.internal;

import dev.switchboard.app.ServerSettings;
import dev.switchboard.app.activity.ActivitySettings;
import dev.switchboard.app.config.AppConfig;
import dev.switchboard.app.config.GpuSetting;
import dev.switchboard.core.GatewayConfig;
import dev.switchboard.core.lifecycle.GroupPolicy;
import dev.switchboard.core.lifecycle.SchedulerConfig;
import dev.switchboard.core.resilience.ResilienceConfig;
import dev.switchboard.core.spi.BackendConfig;
import dev.switchboard.core.spi.GpuInfo;
import dev.switchboard.core.spi.ModelDescriptor;
import dev.switchboard.tools.ToolsConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Binds a Switchboard configuration file to an {@link AppConfig}:
 *
 * <pre>{@code
 * server:    { host, port, apiKeys: [...] (see ApiKeyReader), maxBodySize, webUi, cors: { origins, methods, headers, credentials } }
 * scheduler: { maxLoaded, queue: { maxWaiting, timeout }, idleTtl, stopTimeout, restartBackoff, autoload,
 *              groups: { NAME: { swap, exclusive, persistent } } }
 * gpus:      auto | none | [{ id, memory, name }, ...] | { nvidiaSmi: [command...] }
 * backends:  { NAME: { type, ...options } }
 * models:    { ID: { backend, source, ... } }        (see ModelReader)
 * activity:  { enabled, size, capture, captureSize }  (see ActivityReader)
 * resilience: { failureRateThreshold, ..., models: { ID: {...} } }  (see ResilienceReader)
 * tools:     { enabled, runtime, mcpServers, mcpServersConfig, roots, allowRuntimes }   (see ToolsReader)
 * }</pre>
 */
final class SwitchboardReader {
    private static final List<String> TOP_LEVEL =
            List.of("server", "scheduler", "gpus", "backends", "models", "activity", "resilience", "tools");
    private static final List<String> SERVER = List.of("host", "port", "apiKeys", "maxBodySize", "webUi", "cors");
    private static final List<String> SCHEDULER =
            List.of("maxLoaded", "queue", "idleTtl", "stopTimeout", "restartBackoff", "autoload", "groups");
    private static final List<String> GROUP = List.of("swap", "exclusive", "persistent");
    private static final List<String> QUEUE = List.of("maxWaiting", "timeout");
    private static final List<String> GPU = List.of("id", "memory", "name");

    private SwitchboardReader() {}

    /** The top-level keys only Switchboard files have; their presence tells the format apart. */
    static Set<String> distinctiveKeys() {
        Set<String> keys = new HashSet<>(TOP_LEVEL);
        keys.remove("models");
        return keys;
    }

    /**
     * @param baseDirectory the directory relative paths in backend options are resolved against
     */
    static AppConfig read(YamlNode root, Path baseDirectory) {
        root.allowOnly(TOP_LEVEL);
        List<BackendConfig> backends =
                root.get("backends").map(node -> backends(node, baseDirectory)).orElse(List.of());
        List<ModelDescriptor> models = root.get("models")
                .map(node -> ModelReader.read(
                        node, backends.stream().map(BackendConfig::name).toList()))
                .orElse(List.of());
        SchedulerConfig scheduler =
                root.get("scheduler").map(SwitchboardReader::scheduler).orElse(SchedulerConfig.ofDefaults());
        return new AppConfig(
                new GatewayConfig(
                        scheduler,
                        backends,
                        models,
                        root.get("resilience").map(ResilienceReader::read).orElse(ResilienceConfig.ofDefaults())),
                root.get("server").map(node -> server(node, baseDirectory)).orElse(ServerSettings.defaults()),
                root.get("gpus").map(SwitchboardReader::gpus).orElse(new GpuSetting.Auto()),
                List.of(),
                root.get("activity").map(ActivityReader::read).orElse(ActivitySettings.defaults()),
                root.get("tools")
                        .map(node -> ToolsReader.read(node, baseDirectory))
                        .orElse(ToolsConfig.disabled()));
    }

    private static ServerSettings server(YamlNode node, Path baseDirectory) {
        node.allowOnly(SERVER);
        ServerSettings defaults = ServerSettings.defaults();
        return new ServerSettings(
                node.get("host").map(YamlNode::nonEmptyString).orElse(defaults.host()),
                node.get("port").map(port -> port.integer(0, 65535)).orElse(defaults.port()),
                node.get("apiKeys").map(ApiKeyReader::fullScope).orElse(List.of()),
                node.get("maxBodySize").map(SwitchboardReader::positiveSize).orElse(defaults.maxBodyBytes()),
                node.get("webUi").map(YamlNode::bool).orElse(defaults.webUi()),
                node.get("cors").map(CorsReader::cors).orElse(defaults.cors()),
                false,
                node.get("apiKeys")
                        .map(keys -> ApiKeyReader.scoped(keys, baseDirectory))
                        .orElse(List.of()));
    }

    private static SchedulerConfig scheduler(YamlNode node) {
        node.allowOnly(SCHEDULER);
        SchedulerConfig.Builder builder = SchedulerConfig.custom();
        node.get("maxLoaded").ifPresent(n -> builder.maxLoaded(n.integer(0, Integer.MAX_VALUE)));
        node.get("queue").ifPresent(queue -> {
            queue.allowOnly(QUEUE);
            queue.get("maxWaiting").ifPresent(n -> builder.maxWaiting(n.integer(1, Integer.MAX_VALUE)));
            queue.get("timeout").ifPresent(n -> builder.queueTimeout(n.positiveDuration()));
        });
        node.get("idleTtl").ifPresent(n -> builder.idleTtl(n.duration()));
        node.get("stopTimeout").ifPresent(n -> builder.stopTimeout(n.positiveDuration()));
        node.get("restartBackoff").ifPresent(n -> builder.restartBackoff(n.duration()));
        node.get("autoload").ifPresent(n -> builder.autoload(n.bool()));
        node.get("groups")
                .ifPresent(groups -> groups.entries().forEach((name, group) -> {
                    group.allowOnly(GROUP);
                    builder.group(
                            name,
                            new GroupPolicy(
                                    group.get("swap").map(YamlNode::bool).orElse(true),
                                    group.get("exclusive").map(YamlNode::bool).orElse(true),
                                    group.get("persistent").map(YamlNode::bool).orElse(false)));
                }));
        return builder.build();
    }

    private static GpuSetting gpus(YamlNode node) {
        if (node.isScalar()) {
            return switch (node.string()) {
                case "auto" -> new GpuSetting.Auto();
                case "none" -> new GpuSetting.None();
                default ->
                    throw node.error("must be auto, none, a list of GPUs or {nvidiaSmi: [command...]}, got '"
                            + node.string() + "'");
            };
        }
        if (node.isMap()) {
            node.allowOnly(List.of("nvidiaSmi"));
            YamlNode command = node.require("nvidiaSmi");
            List<String> words = command.strings();
            if (words.isEmpty()) {
                throw command.error("must name the nvidia-smi command");
            }
            return new GpuSetting.NvidiaSmi(words);
        }
        List<GpuInfo> gpus = new ArrayList<>();
        Set<Integer> ids = new HashSet<>();
        for (YamlNode gpu : node.items()) {
            gpu.allowOnly(GPU);
            YamlNode idNode = gpu.require("id");
            int id = idNode.integer(0, Integer.MAX_VALUE);
            if (!ids.add(id)) {
                throw idNode.error("GPU " + id + " is listed twice");
            }
            String name = gpu.get("name").map(YamlNode::string).orElse("GPU " + id);
            gpus.add(GpuSetting.Fixed.gpu(id, name, positiveSize(gpu.require("memory"))));
        }
        return new GpuSetting.Fixed(gpus);
    }

    private static List<BackendConfig> backends(YamlNode node, Path baseDirectory) {
        List<BackendConfig> backends = new ArrayList<>();
        node.entries().forEach((name, backend) -> {
            String type = backend.require("type").nonEmptyString();
            Map<String, Object> options = new LinkedHashMap<>();
            backend.entries().forEach((key, value) -> {
                if (!key.equals("type")) {
                    options.put(key, value.plain());
                }
            });
            backends.add(new BackendConfig(name, type, options, baseDirectory));
        });
        return backends;
    }

    private static long positiveSize(YamlNode node) {
        long bytes = node.byteSize();
        if (bytes <= 0) {
            throw node.error("must be larger than 0");
        }
        return bytes;
    }
}
