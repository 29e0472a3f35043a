package dev.switchboard.core.placement;

import dev.switchboard.core.spi.GpuInfo;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Everything the {@link Planner} looks at, as one snapshot.
 *
 * <p>What a GPU can give is the smaller of two views: what it reports free minus the reservations
 * it does not show yet, and its total minus what the loaded models hold. The first view sees other
 * processes; the second keeps a {@linkplain GpuInventory#fixed fixed} inventory (which reports
 * everything free) honest. So every start in progress appears twice: in {@code loaded}, busy, with
 * its placement, and in {@code reservedBytes} until its memory shows in the readings.
 *
 * @param gpus the GPUs as last read; empty means CPU mode
 * @param reservedBytes per device index, memory promised to starts in progress
 * @param loaded every model that is ready, sleeping or starting
 * @param maxLoaded how many models may be loaded at once, the new one included; 0 is unlimited
 * @param model the model to place; it must not be loaded already
 * @param now the time of the snapshot, against which {@link LoadedModel#lastUsed()} is aged
 */
public record PlanRequest(
        List<GpuInfo> gpus,
        Map<Integer, Long> reservedBytes,
        List<LoadedModel> loaded,
        int maxLoaded,
        NewModel model,
        Instant now) {

    public PlanRequest {
        gpus = List.copyOf(gpus);
        reservedBytes = Map.copyOf(reservedBytes);
        loaded = List.copyOf(loaded);
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(now, "now");
        if (maxLoaded < 0) {
            throw new IllegalArgumentException("maxLoaded must not be negative, got " + maxLoaded);
        }
        if (gpus.stream().map(GpuInfo::index).distinct().count() != gpus.size()) {
            throw new IllegalArgumentException("GPU indexes repeat: " + gpus);
        }
        if (reservedBytes.values().stream().anyMatch(bytes -> bytes < 0)) {
            throw new IllegalArgumentException("negative reservation: " + reservedBytes);
        }
        Set<String> ids = new HashSet<>();
        for (LoadedModel m : loaded) {
            if (!ids.add(m.id())) {
                throw new IllegalArgumentException("model " + m.id() + " is listed twice as loaded");
            }
        }
        if (ids.contains(model.id())) {
            throw new IllegalArgumentException("model " + model.id() + " is already loaded");
        }
    }
}
