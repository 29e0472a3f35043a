package dev.switchboard.simulator.internal.engine;

import dev.switchboard.simulator.internal.gpu.Gpu;
import dev.switchboard.simulator.internal.gpu.GpuClaim;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/** Ways an engine spreads its memory over the GPUs it was given. */
public final class MemoryPlans {

    private MemoryPlans() {}

    /** {@code totalMib} split over {@code gpus} in proportion to {@code weights} (evenly when there are none). */
    public static List<GpuClaim> split(List<Gpu> gpus, long totalMib, List<Double> weights) {
        List<Double> shares = new ArrayList<>();
        for (int i = 0; i < gpus.size(); i++) {
            shares.add(i < weights.size() ? weights.get(i) : (weights.isEmpty() ? 1.0 : 0.0));
        }
        double sum = shares.stream().mapToDouble(Double::doubleValue).sum();
        List<GpuClaim> claims = new ArrayList<>();
        for (int i = 0; i < gpus.size(); i++) {
            long mib = sum <= 0 ? 0 : Math.round(totalMib * shares.get(i) / sum);
            if (mib > 0) {
                claims.add(new GpuClaim(gpus.get(i).index(), mib));
            }
        }
        return claims;
    }

    /**
     * {@code fraction} of each GPU's total memory, as vLLM and SGLang size themselves, unless {@code totalMib} (from
     * {@code --sim-memory-mb}) says how much to split evenly over them.
     */
    public static List<GpuClaim> fractionUnlessSized(List<Gpu> gpus, OptionalLong totalMib, double fraction) {
        return totalMib.isPresent() ? split(gpus, totalMib.getAsLong(), List.of()) : fractionOfEach(gpus, fraction);
    }

    /** {@code fraction} of each GPU's total memory. */
    public static List<GpuClaim> fractionOfEach(List<Gpu> gpus, double fraction) {
        return gpus.stream()
                .map(gpu -> new GpuClaim(gpu.index(), (long) Math.floor(gpu.totalMib() * fraction)))
                .toList();
    }
}
