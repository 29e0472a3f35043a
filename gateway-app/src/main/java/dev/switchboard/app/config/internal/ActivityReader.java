package dev.switchboard.app.config.internal;

import dev.switchboard.app.activity.ActivitySettings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code activity:} section: {@code enabled} (default true), {@code size} (requests kept,
 * default 200), {@code capture} (keep request and response bodies, default false) and {@code
 * captureSize} (per body, default 32KiB).
 */
final class ActivityReader {
    private static final List<String> KEYS = List.of("enabled", "size", "capture", "captureSize");
    private static final int MAX_CAPTURE = 16 * 1024 * 1024;

    private ActivityReader() {}

    static ActivitySettings read(YamlNode node) {
        node.allowOnly(KEYS);
        ActivitySettings defaults = ActivitySettings.defaults();
        return new ActivitySettings(
                node.get("enabled").map(YamlNode::bool).orElse(defaults.enabled()),
                node.get("size").map(n -> n.integer(1, 100_000)).orElse(defaults.capacity()),
                node.get("capture").map(YamlNode::bool).orElse(defaults.capture()),
                node.get("captureSize").map(ActivityReader::captureSize).orElse(defaults.captureBytes()));
    }

    private static int captureSize(YamlNode node) {
        long bytes = node.byteSize();
        if (bytes < 0 || bytes > MAX_CAPTURE) {
            throw node.error("must lie between 0 and 16MiB, got " + bytes + " bytes");
        }
        return (int) bytes;
    }

    /** The settings that differ from the defaults, for {@link SwitchboardWriter}. */
    static Map<String, Object> write(ActivitySettings settings) {
        ActivitySettings defaults = ActivitySettings.defaults();
        Map<String, Object> map = new LinkedHashMap<>();
        if (settings.enabled() != defaults.enabled()) {
            map.put("enabled", settings.enabled());
        }
        if (settings.capacity() != defaults.capacity()) {
            map.put("size", settings.capacity());
        }
        if (settings.capture() != defaults.capture()) {
            map.put("capture", settings.capture());
        }
        if (settings.captureBytes() != defaults.captureBytes()) {
            map.put("captureSize", settings.captureBytes());
        }
        return map;
    }
}
