package dev.switchboard.core.placement;

import static dev.switchboard.core.placement.Scenario.GIB;
import static dev.switchboard.core.placement.Scenario.bytes;
import static dev.switchboard.core.placement.Scenario.fits;
import static dev.switchboard.core.placement.Scenario.gpusOf;
import static dev.switchboard.core.placement.Scenario.noFit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.switchboard.core.placement.PlanResult.NoFit.Kind;
import dev.switchboard.core.spi.MemoryEstimate;
import dev.switchboard.core.spi.Placement;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Where the planner puts a model when nothing has to be evicted, or why it cannot. */
class PlannerPlacementTest {

    @Test
    void placesAModelThatFitsOnOneGpuOnOneGpu() {
        Placement placement = fits(gpusOf(24, 24).plan("m", 8)).placement();

        assertThat(placement.gpuIds()).containsExactly(0);
        assertThat(placement.bytesPerGpu()).containsExactlyEntriesOf(Map.of(0, 8 * GIB));
        assertThat(placement.tensorSplit()).isEmpty();
    }

    @Test
    void evictsNothingWhenTheModelFits() {
        assertThat(fits(gpusOf(24, 24).idle("a", 0, 8, 60).plan("m", 14)).evict())
                .isEmpty();
    }

    @Test
    void choosesTheGpuWhereTheModelLeavesLeastMemoryUnused() {
        Scenario scenario = gpusOf(24, 24).busy("a", 0, 8).busy("b", 1, 14);

        assertThat(fits(scenario.plan("m", 8)).placement().gpuIds()).containsExactly(1);
    }

    @Test
    void placesAModelOnTheOnlyGpuWithRoomForIt() {
        Scenario scenario = gpusOf(24, 24).busy("small", 0, 8).busy("medium", 0, 14);

        assertThat(fits(scenario.plan("large", 20)).placement().gpuIds()).containsExactly(1);
    }

    @Test
    void splitsAModelLargerThanAnyGpuOverTwo() {
        Placement placement = fits(gpusOf(24, 24).plan("m", 30)).placement();

        assertThat(placement.gpuIds()).containsExactlyInAnyOrder(0, 1);
        assertThat(placement.bytesPerGpu()).containsExactlyInAnyOrderEntriesOf(Map.of(0, 15 * GIB, 1, 15 * GIB));
        assertThat(placement.tensorSplit()).containsExactly(0.5, 0.5);
    }

    @Test
    void splitsInProportionToTheRoomEachGpuHasAndPutsTheLargestShareFirst() {
        Placement placement = fits(gpusOf(24, 24).busy("a", 0, 8).plan("m", 30)).placement();

        assertThat(placement.gpuIds()).containsExactly(1, 0);
        assertThat(placement.bytesPerGpu()).containsExactlyInAnyOrderEntriesOf(Map.of(1, 18 * GIB, 0, 12 * GIB));
        assertThat(placement.tensorSplit().get(0)).isCloseTo(0.6, within(1e-9));
        assertThat(placement.tensorSplit().get(1)).isCloseTo(0.4, within(1e-9));
    }

    @Test
    void splitsOverTheFewestGpusThatHoldTheModel() {
        Placement placement = fits(gpusOf(24, 24, 24, 24).plan("m", 40)).placement();

        assertThat(placement.gpuIds()).hasSize(2);
        assertThat(placement.totalBytes()).isEqualTo(40 * GIB);
    }

    @Test
    void chargesTheOverheadOnEveryGpuOfASplit() {
        MemoryEstimate estimate = MemoryEstimate.ofBytes(26 * GIB, 2 * GIB, GIB);

        Placement placement =
                fits(gpusOf(24, 24).plan(NewModel.of("m", estimate))).placement();

        assertThat(placement.bytesPerGpu()).containsExactlyInAnyOrderEntriesOf(Map.of(0, 15 * GIB, 1, 15 * GIB));
    }

    @Test
    void reservesExactlyTheEstimateWhenSplitSharesDoNotDivideEvenly() {
        long odd = 30 * GIB + 1;

        Placement placement = fits(gpusOf(24, 24, 24)
                        .busy("a", 1, 3)
                        .plan(NewModel.of("m", MemoryEstimate.ofBytes(odd, 0, 0))))
                .placement();

        assertThat(placement.totalBytes()).isEqualTo(odd);
    }

    @Test
    void usesExactlyTheGpuCountTheEstimateAsksFor() {
        MemoryEstimate twoGpus = bytes(8).withGpuCount(2);

        Placement placement =
                fits(gpusOf(24, 24, 24).plan(NewModel.of("m", twoGpus))).placement();

        assertThat(placement.gpuIds()).hasSize(2);
    }

    @Test
    void neverFitsAModelLargerThanAllGpusTogether() {
        PlanResult.NoFit noFit = noFit(gpusOf(24, 24).plan("huge", 50), Kind.NEVER);

        assertThat(noFit.neededBytes()).isEqualTo(50 * GIB);
        assertThat(noFit.availableBytes()).isEqualTo(48 * GIB);
        assertThat(noFit.reason()).contains("huge", "50.0 GiB", "48.0 GiB", "GPUs 0, 1");
    }

    @Test
    void neverFitsWhenOtherProcessesHoldTheMemoryItNeeds() {
        PlanResult.NoFit noFit = noFit(Scenario.cpuOnly().gpu(24, 10).plan("m", 20), Kind.NEVER);

        assertThat(noFit.availableBytes()).isEqualTo(10 * GIB);
    }

    @Test
    void neverFitsAModelNeedingMoreGpusThanPresent() {
        PlanResult result = gpusOf(80, 80).plan(NewModel.of("tp4", MemoryEstimate.ofFraction(0.9, 4)));

        assertThat(noFit(result, Kind.NEVER).reason()).contains("needs 4 GPUs but only 2 are present");
    }

    @Test
    void placesAPinnedModelOnItsGpuRatherThanTheBestFit() {
        Scenario scenario = gpusOf(24, 24).busy("a", 0, 14);

        Placement placement =
                fits(scenario.plan(new NewModel("m", bytes(8), List.of(1)))).placement();

        assertThat(placement.gpuIds()).containsExactly(1);
    }

    @Test
    void placesAModelPinnedToSeveralGpusOnAllOfThem() {
        Placement placement = fits(gpusOf(24, 24, 24).plan(new NewModel("m", bytes(8), List.of(0, 2))))
                .placement();

        assertThat(placement.gpuIds()).containsExactlyInAnyOrder(0, 2);
        assertThat(placement.totalBytes()).isEqualTo(8 * GIB);
    }

    @Test
    void aPinnedModelWaitsForItsGpuEvenWhenAnotherIsFree() {
        Scenario scenario = gpusOf(24, 24).busy("a", 1, 20);

        PlanResult result = scenario.plan(new NewModel("m", bytes(8), List.of(1)));

        assertThat(noFit(result, Kind.WAIT).reason()).contains("GPU 1", "busy: a");
    }

    @Test
    void neverFitsAModelPinnedToAnAbsentGpu() {
        PlanResult result = gpusOf(24, 24).plan(new NewModel("m", bytes(8), List.of(3)));

        assertThat(noFit(result, Kind.NEVER).reason()).contains("[3]", "[0, 1]");
    }

    @Test
    void placesAPinnedModelOfUnknownSizeOnItsGpuReservingNothing() {
        Placement placement = fits(gpusOf(24, 24).plan(new NewModel("m", MemoryEstimate.none(), List.of(1))))
                .placement();

        assertThat(placement.gpuIds()).containsExactly(1);
        assertThat(placement.totalBytes()).isZero();
    }

    @Test
    void runsAModelOfUnknownSizeOnTheCpu() {
        PlanResult result = gpusOf(24).busy("a", 0, 24).plan(NewModel.of("m", MemoryEstimate.none()));

        assertThat(fits(result).placement()).isEqualTo(Placement.cpu());
    }

    @Test
    void runsEveryModelOnTheCpuWhenThereIsNoGpu() {
        PlanResult result = Scenario.cpuOnly().plan("m", 500);

        assertThat(fits(result).placement()).isEqualTo(Placement.cpu());
    }

    @Test
    void twoModelsAtFortyFivePercentShareOneGpu() {
        MemoryEstimate share = MemoryEstimate.ofFraction(0.45, 0);
        Scenario scenario =
                gpusOf(80).with(Scenario.model("vllm-a", Map.of(0, fraction(0.45, 80)), true, 0, 0, Duration.ZERO));

        Placement placement = fits(scenario.plan(NewModel.of("vllm-b", share))).placement();

        assertThat(placement.bytesPerGpu()).containsExactlyEntriesOf(Map.of(0, fraction(0.45, 80)));
    }

    @Test
    void twoModelsAtSixtyPercentDoNotShareOneGpu() {
        MemoryEstimate share = MemoryEstimate.ofFraction(0.6, 0);
        Scenario scenario =
                gpusOf(80).with(Scenario.model("vllm-a", Map.of(0, fraction(0.6, 80)), true, 0, 0, Duration.ZERO));

        noFit(scenario.plan(NewModel.of("vllm-b", share)), Kind.WAIT);
    }

    @Test
    void takesTheFractionOfEachGpuItRunsOn() {
        Placement placement = fits(gpusOf(80, 40).plan(NewModel.of("m", MemoryEstimate.ofFraction(0.5, 2))))
                .placement();

        assertThat(placement.bytesPerGpu()).containsExactlyInAnyOrderEntriesOf(Map.of(0, 40 * GIB, 1, 20 * GIB));
    }

    @Test
    void neverOverbooksMemoryReservedByAStartInProgress() {
        // the starting model has not allocated yet, so the GPU still reads all free
        Scenario scenario = gpusOf(24)
                .with(Scenario.model("starting", Map.of(0, 20 * GIB), true, 0, 0, Duration.ZERO))
                .reserved(0, 20 * GIB);

        PlanResult.NoFit noFit = noFit(scenario.plan("m", 8), Kind.WAIT);

        assertThat(noFit.availableBytes()).isEqualTo(4 * GIB);
    }

    @Test
    void subtractsReservationsFromWhatTheGpuReportsFree() {
        // readings show the loaded model and 4 GiB held by another process, not yet the start
        Scenario scenario = Scenario.cpuOnly()
                .gpu(24, 10)
                .busy("loaded", 0, 10)
                .busy("starting", 0, 6)
                .reserved(0, 6 * GIB);

        assertThat(noFit(scenario.plan("m", 6), Kind.WAIT).availableBytes()).isEqualTo(4 * GIB);
    }

    @Test
    void searchesLargeMachinesWithoutTryingEveryGpuSet() {
        long[] gpus = new long[24];
        Arrays.fill(gpus, 10);

        Placement placement = fits(gpusOf(gpus).plan("m", 115)).placement();

        assertThat(placement.gpuIds()).hasSize(12);
    }

    /** What a fraction estimate takes on a GPU of {@code totalGib}, rounded up as the planner does. */
    private static long fraction(double share, long totalGib) {
        return (long) Math.ceil(share * (totalGib * GIB));
    }
}
