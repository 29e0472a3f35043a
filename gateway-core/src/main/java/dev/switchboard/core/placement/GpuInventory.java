package dev.switchboard.core.placement;

import dev.switchboard.core.placement.internal.FixedGpuInventory;
import dev.switchboard.core.placement.internal.NvidiaSmiInventory;
import dev.switchboard.core.spi.GpuInfo;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The GPUs of this machine and what is using their memory. Readings may be cached for a short
 * time; {@link #refresh()} makes the next call read the devices again. Implementations are
 * thread-safe.
 */
public interface GpuInventory {

    /** How long {@link #nvidiaSmi()} reuses a reading. */
    Duration DEFAULT_CACHE_TTL = Duration.ofMillis(500);

    /**
     * The GPUs in device index order, with their memory.
     *
     * @throws GpuInventoryException when the GPUs cannot be read
     */
    List<GpuInfo> gpus();

    /**
     * GPU memory in use per process id, in bytes (summed over GPUs); processes without GPU memory
     * are absent.
     *
     * @throws GpuInventoryException when the GPUs cannot be read
     */
    Map<Long, Long> memoryByPid();

    /** Forgets cached readings, so the next call reads the devices again. */
    void refresh();

    /** No GPU: every model runs on the CPU. */
    static GpuInventory none() {
        return fixed(List.of());
    }

    /**
     * GPUs declared in configuration rather than measured. Their readings never change, so list
     * them with nothing used ({@code usedBytes} 0, {@code freeBytes} equal to {@code totalBytes});
     * the planner subtracts what the loaded models take.
     */
    static GpuInventory fixed(List<GpuInfo> gpus) {
        return new FixedGpuInventory(gpus);
    }

    /** Reads {@code nvidia-smi} from the {@code PATH}, caching for {@link #DEFAULT_CACHE_TTL}. */
    static GpuInventory nvidiaSmi() {
        return nvidiaSmi(List.of("nvidia-smi"), DEFAULT_CACHE_TTL);
    }

    /**
     * Reads the GPUs by running {@code commandPrefix} followed by nvidia-smi's query options (the
     * prefix is usually {@code ["nvidia-smi"]}, or a full path, or a wrapper such as {@code
     * ["ssh", "host", "nvidia-smi"]}).
     *
     * @param cacheTtl how long a reading is reused; zero reads the devices on every call
     */
    static GpuInventory nvidiaSmi(List<String> commandPrefix, Duration cacheTtl) {
        return new NvidiaSmiInventory(commandPrefix, cacheTtl);
    }
}
