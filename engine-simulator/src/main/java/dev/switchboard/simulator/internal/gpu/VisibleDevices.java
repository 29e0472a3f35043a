package dev.switchboard.simulator.internal.gpu;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The GPUs a process may use, in the order CUDA numbers them for it. */
public final class VisibleDevices {

    private VisibleDevices() {}

    /**
     * Reads {@code CUDA_VISIBLE_DEVICES} like the CUDA runtime: unset means every GPU; otherwise a comma-separated
     * list of indices or UUIDs (a unique UUID prefix will do), read up to the first entry that names no GPU.
     */
    public static List<Gpu> of(Optional<String> cudaVisibleDevices, List<Gpu> gpus) {
        if (cudaVisibleDevices.isEmpty()) {
            return gpus;
        }
        List<Gpu> visible = new ArrayList<>();
        for (String entry : cudaVisibleDevices.get().split(",")) {
            Optional<Gpu> gpu = find(entry.strip(), gpus);
            if (gpu.isEmpty() || visible.contains(gpu.get())) {
                break;
            }
            visible.add(gpu.get());
        }
        return visible;
    }

    private static Optional<Gpu> find(String entry, List<Gpu> gpus) {
        if (entry.startsWith("GPU-")) {
            List<Gpu> matches =
                    gpus.stream().filter(gpu -> gpu.uuid().startsWith(entry)).toList();
            return matches.size() == 1 ? Optional.of(matches.getFirst()) : Optional.empty();
        }
        try {
            int index = Integer.parseInt(entry);
            return gpus.stream().filter(gpu -> gpu.index() == index).findFirst();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
