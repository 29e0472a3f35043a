package dev.switchboard.core.placement.internal;

import dev.switchboard.core.placement.GpuInventory;
import dev.switchboard.core.spi.GpuInfo;
import java.util.List;
import java.util.Map;

/** A GPU list that never changes (from configuration, or empty for a CPU-only machine). */
public record FixedGpuInventory(List<GpuInfo> gpus) implements GpuInventory {

    public FixedGpuInventory {
        gpus = List.copyOf(gpus);
    }

    /** Nothing is measured, so no process is known to use GPU memory. */
    @Override
    public Map<Long, Long> memoryByPid() {
        return Map.of();
    }

    @Override
    public void refresh() {
        // a fixed list has nothing to re-read
    }
}
