package dev.switchboard.app.config.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.app.ServerSettings;
import dev.switchboard.app.config.AppConfig;
import dev.switchboard.app.config.GpuSetting;
import dev.switchboard.core.lifecycle.SchedulerConfig;
import dev.switchboard.core.spi.BackendConfig;
import dev.switchboard.core.spi.GpuInfo;
import dev.switchboard.core.spi.ModelDescriptor;
import dev.switchboard.core.spi.RequestFilters;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Represent;
import org.yaml.snakeyaml.representer.Representer;

/**
 * Writes an {@link AppConfig} as a Switchboard file that {@link SwitchboardReader} reads back to
 * the same configuration; settings at their defaults are left out.
 */
public final class SwitchboardWriter {
    private static final long KIB = 1024;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> PLAIN_MAP = new TypeReference<>() {};

    private SwitchboardWriter() {}

    public static String write(AppConfig config) {
        Map<String, Object> root = new LinkedHashMap<>();
        putUnlessEmpty(root, "server", server(config.server()));
        putUnlessEmpty(root, "scheduler", scheduler(config.gateway().scheduler()));
        if (!(config.gpus() instanceof GpuSetting.Auto)) {
            root.put("gpus", gpus(config.gpus()));
        }
        Map<String, Object> backends = new LinkedHashMap<>();
        config.gateway().backends().forEach(backend -> backends.put(backend.name(), backend(backend)));
        putUnlessEmpty(root, "backends", backends);
        Map<String, Object> models = new LinkedHashMap<>();
        config.gateway().models().forEach(model -> models.put(model.id(), model(model)));
        putUnlessEmpty(root, "models", models);
        putUnlessEmpty(root, "activity", ActivityReader.write(config.activity()));
        return yaml().dump(root);
    }

    private static Map<String, Object> server(ServerSettings server) {
        ServerSettings defaults = ServerSettings.defaults();
        Map<String, Object> map = new LinkedHashMap<>();
        putUnlessDefault(map, "host", server.host(), defaults.host());
        putUnlessDefault(map, "port", server.port(), defaults.port());
        putUnlessEmpty(map, "apiKeys", server.apiKeys());
        if (server.maxBodyBytes() != defaults.maxBodyBytes()) {
            map.put("maxBodySize", size(server.maxBodyBytes()));
        }
        putUnlessDefault(map, "webUi", server.webUi(), defaults.webUi());
        return map;
    }

    private static Map<String, Object> scheduler(SchedulerConfig scheduler) {
        SchedulerConfig defaults = SchedulerConfig.ofDefaults();
        Map<String, Object> map = new LinkedHashMap<>();
        putUnlessDefault(map, "maxLoaded", scheduler.maxLoaded(), defaults.maxLoaded());
        Map<String, Object> queue = new LinkedHashMap<>();
        putUnlessDefault(queue, "maxWaiting", scheduler.maxWaiting(), defaults.maxWaiting());
        putUnlessDefault(queue, "timeout", duration(scheduler.queueTimeout()), duration(defaults.queueTimeout()));
        putUnlessEmpty(map, "queue", queue);
        putUnlessDefault(map, "idleTtl", duration(scheduler.idleTtl()), duration(defaults.idleTtl()));
        putUnlessDefault(map, "stopTimeout", duration(scheduler.stopTimeout()), duration(defaults.stopTimeout()));
        putUnlessDefault(
                map, "restartBackoff", duration(scheduler.restartBackoff()), duration(defaults.restartBackoff()));
        putUnlessDefault(map, "autoload", scheduler.autoload(), defaults.autoload());
        Map<String, Object> groups = new LinkedHashMap<>();
        scheduler.groups().forEach((name, policy) -> {
            Map<String, Object> group = new LinkedHashMap<>();
            group.put("swap", policy.swap());
            group.put("exclusive", policy.exclusive());
            group.put("persistent", policy.persistent());
            groups.put(name, group);
        });
        putUnlessEmpty(map, "groups", groups);
        return map;
    }

    private static Object gpus(GpuSetting gpus) {
        return switch (gpus) {
            case GpuSetting.Auto auto -> "auto";
            case GpuSetting.None none -> "none";
            case GpuSetting.NvidiaSmi smi -> Map.of("nvidiaSmi", smi.command());
            case GpuSetting.Fixed fixed ->
                fixed.gpus().stream().map(SwitchboardWriter::gpu).toList();
        };
    }

    private static Map<String, Object> gpu(GpuInfo gpu) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("id", gpu.index());
        map.put("memory", size(gpu.totalBytes()));
        map.put("name", gpu.name());
        return map;
    }

    private static Map<String, Object> backend(BackendConfig backend) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("type", backend.type());
        map.putAll(backend.options());
        return map;
    }

    private static Map<String, Object> model(ModelDescriptor model) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("backend", model.backend());
        putUnlessDefault(map, "source", model.source(), "");
        putUnlessEmpty(map, "aliases", model.aliases());
        putUnlessEmpty(map, "tags", model.tags());
        putUnlessEmpty(map, "args", model.args());
        putUnlessEmpty(map, "env", model.env());
        putUnlessEmpty(map, "metadata", model.metadata());
        if (model.ttl() != null) {
            map.put("ttl", duration(model.ttl()));
        }
        putUnlessEmpty(map, "gpus", model.gpus());
        putUnlessDefault(map, "priority", model.priority(), 0);
        if (model.group() != null) {
            map.put("group", model.group());
        }
        putUnlessDefault(map, "unlisted", model.unlisted(), false);
        putUnlessDefault(map, "loadOnStartup", model.loadOnStartup(), false);
        if (model.stopTimeout() != null) {
            map.put("stopTimeout", duration(model.stopTimeout()));
        }
        Map<String, Object> options = new LinkedHashMap<>(model.options());
        putUnlessDefault(options, "concurrencyLimit", model.concurrencyLimit(), 0);
        if (!model.filters().isEmpty()) {
            options.put("filters", filters(model.filters()));
        }
        if (model.fallback() != null) {
            options.put("fallback", model.fallback());
        }
        for (String key : ModelReader.COMMAND_KEYS) {
            if (options.get(key) instanceof String value) {
                map.put(key, value);
                options.remove(key);
            }
        }
        putUnlessEmpty(map, "options", options);
        return map;
    }

    private static Map<String, Object> filters(RequestFilters filters) {
        Map<String, Object> map = new LinkedHashMap<>();
        putUnlessEmpty(map, "stripParams", filters.strip().stream().sorted().toList());
        putUnlessEmpty(map, "setParams", JSON.convertValue(filters.set(), PLAIN_MAP));
        return map;
    }

    /** The largest unit that states the duration exactly: 90s stays 90s, 120s becomes 2m. */
    private static String duration(Duration duration) {
        long millis = duration.toMillis();
        if (millis % 1000 != 0) {
            return millis + "ms";
        }
        long seconds = millis / 1000;
        if (seconds == 0 || seconds % 60 != 0) {
            return seconds + "s";
        }
        return seconds % 3600 == 0 ? seconds / 3600 + "h" : seconds / 60 + "m";
    }

    /** The largest binary unit that states the size exactly. */
    private static String size(long bytes) {
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        String text = Long.toString(bytes);
        long value = bytes;
        for (String unit : units) {
            if (value == 0 || value % KIB != 0) {
                break;
            }
            value /= KIB;
            text = value + unit;
        }
        return text;
    }

    private static void putUnlessDefault(Map<String, Object> map, String key, Object value, Object fallback) {
        if (!value.equals(fallback)) {
            map.put(key, value);
        }
    }

    private static void putUnlessEmpty(Map<String, Object> map, String key, Object value) {
        boolean empty = value instanceof Map<?, ?> m ? m.isEmpty() : ((List<?>) value).isEmpty();
        if (!empty) {
            map.put(key, value);
        }
    }

    private static Yaml yaml() {
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setIndent(2);
        options.setIndicatorIndent(2);
        options.setIndentWithIndicator(true);
        options.setSplitLines(false);
        return new Yaml(new LiteralBlocks(options), options);
    }

    /** Writes multi-line strings (commands, mostly) as {@code |} blocks, as people write them. */
    private static final class LiteralBlocks extends Representer {
        LiteralBlocks(DumperOptions options) {
            super(options);
            Represent plain = representers.get(String.class);
            representers.put(String.class, data -> {
                String text = (String) data;
                return text.contains("\n")
                        ? representScalar(Tag.STR, text, DumperOptions.ScalarStyle.LITERAL)
                        : plain.representData(data);
            });
        }
    }
}
