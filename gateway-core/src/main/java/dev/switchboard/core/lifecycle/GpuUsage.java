package dev.switchboard.core.lifecycle;

import dev.switchboard.core.spi.GpuInfo;
import java.util.Map;

/**
 * One GPU as the gateway sees it: what the device reports, and what the gateway's models hold.
 *
 * @param gpu the device reading (total, used and free memory)
 * @param reservedBytes memory the gateway's models are placed to take on it
 * @param models bytes per model id placed on it
 */
public record GpuUsage(GpuInfo gpu, long reservedBytes, Map<String, Long> models) {
    public GpuUsage {
        models = Map.copyOf(models);
    }
}
