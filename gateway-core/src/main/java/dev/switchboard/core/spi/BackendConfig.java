package dev.switchboard.core.spi;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The configuration of one backend instance: its name (what models refer to), its type (which
 * factory builds it) and its type-specific options as read from YAML or the command line.
 *
 * @param name the backend's name, unique in one gateway
 * @param type the factory type, see {@link BackendFactory#type()}
 * @param options type-specific options; values are strings, numbers, booleans, lists or maps
 * @param baseDirectory the directory relative paths in options are resolved against
 */
public record BackendConfig(String name, String type, Map<String, Object> options, Path baseDirectory) {

    public BackendConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        options = Map.copyOf(options);
        baseDirectory = baseDirectory == null ? Path.of("") : baseDirectory;
    }

    public static BackendConfig of(String name, String type, Map<String, Object> options) {
        return new BackendConfig(name, type, options, Path.of(""));
    }

    public Optional<String> string(String key) {
        Object value = options.get(key);
        return value == null ? Optional.empty() : Optional.of(value.toString());
    }

    public String string(String key, String fallback) {
        return string(key).orElse(fallback);
    }

    public boolean bool(String key, boolean fallback) {
        Object value = options.get(key);
        if (value == null) {
            return fallback;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        return switch (value.toString().toLowerCase(java.util.Locale.ROOT)) {
            case "true", "on", "yes", "1", "enabled" -> true;
            case "false", "off", "no", "0", "disabled" -> false;
            default -> throw invalid(key, value, "a boolean");
        };
    }

    public int integer(String key, int fallback) {
        Object value = options.get(key);
        if (value == null) {
            return fallback;
        }
        if (value instanceof Number n) {
            return n.intValue();
        }
        try {
            return Integer.parseInt(value.toString().trim());
        } catch (NumberFormatException e) {
            throw invalid(key, value, "an integer");
        }
    }

    public Optional<Path> path(String key) {
        return string(key).map(p -> baseDirectory.resolve(expandHome(p)).normalize());
    }

    public Optional<Duration> duration(String key) {
        return string(key).map(v -> {
            try {
                return Durations.parse(v);
            } catch (IllegalArgumentException e) {
                throw invalid(key, v, "a duration such as 30s, 5m or 1h");
            }
        });
    }

    /** A list option; a single scalar is read as a one-element list. */
    public List<String> list(String key) {
        Object value = options.get(key);
        if (value == null) {
            return List.of();
        }
        if (value instanceof List<?> list) {
            return list.stream().map(String::valueOf).toList();
        }
        return List.of(value.toString());
    }

    private IllegalArgumentException invalid(String key, Object value, String expected) {
        return new IllegalArgumentException(
                "backend '" + name + "': option '" + key + "' must be " + expected + ", got '" + value + "'");
    }

    private static String expandHome(String path) {
        if (path.equals("~") || path.startsWith("~/")) {
            return System.getProperty("user.home") + path.substring(1);
        }
        return path;
    }
}
