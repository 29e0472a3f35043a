package dev.switchboard.core.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlacementTest {
    private static final long MIB = 1L << 20;

    @Test
    void theTensorSplitArgumentGivesEveryProportionExactly() {
        List<Double> split = List.of(0.9350649350588875, 0.06493506494111248, 0.5, 1.0 / 3);
        Placement placement = new Placement(List.of(0, 1, 2, 3), split, Map.of());

        assertThat(Arrays.stream(placement.tensorSplitArgument().split(","))
                        .map(Double::valueOf)
                        .toList())
                .isEqualTo(split);
        assertThat(new Placement(List.of(1, 0), List.of(0.6, 0.4), Map.of()).tensorSplitArgument())
                .isEqualTo("0.6,0.4");
        assertThat(new Placement(List.of(0), List.of(), Map.of()).tensorSplitArgument())
                .isEmpty();
    }

    @Test
    void theVisibleDevicesListTheGpusMainFirst() {
        assertThat(new Placement(List.of(3, 1), List.of(0.6, 0.4), Map.of()).visibleDevices())
                .isEqualTo("3,1");
        assertThat(Placement.cpu().visibleDevices()).isEmpty();
    }

    /**
     * Two split engines the planner packed into one 24 GiB GPU to the last MiB (a 20 GiB and a
     * 14 GiB model, the shares of a run of {@code GpuPlacementEndToEndTest}): an engine that takes
     * its total times its proportion, in whole MiB, must fit in what the plan gave. With the
     * proportions rounded to four places they took 11,172 and 13,406 MiB, two more than the GPU has.
     */
    @Test
    void enginesTakingTheirProportionsFitAGpuThePlanFilled() {
        Placement big =
                new Placement(List.of(0, 1), List.of(0.5454545454587787, 0.45454545454122125), Map.of(0, 11713547171L));
        Placement next =
                new Placement(List.of(0, 1), List.of(0.9350649350588875, 0.06493506494111248), Map.of(0, 14056256605L));
        assertThat(big.bytesPerGpu().get(0) + next.bytesPerGpu().get(0)).isLessThanOrEqualTo(24 * 1024 * MIB);

        long taken = firstGpuMib(big, 20 * 1024) + firstGpuMib(next, 14 * 1024);

        assertThat(taken).isLessThanOrEqualTo(24 * 1024);
    }

    /** What an engine told {@code --tensor-split} takes on the first GPU: llama-server's simulator's rule. */
    private static long firstGpuMib(Placement placement, long totalMib) {
        double[] shares = Arrays.stream(placement.tensorSplitArgument().split(","))
                .mapToDouble(Double::parseDouble)
                .toArray();
        return Math.round(totalMib * shares[0] / Arrays.stream(shares).sum());
    }
}
