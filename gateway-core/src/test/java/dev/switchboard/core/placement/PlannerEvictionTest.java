package dev.switchboard.core.placement;

import static dev.switchboard.core.placement.Scenario.GIB;
import static dev.switchboard.core.placement.Scenario.fits;
import static dev.switchboard.core.placement.Scenario.gpusOf;
import static dev.switchboard.core.placement.Scenario.model;
import static dev.switchboard.core.placement.Scenario.noFit;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.placement.PlanResult.NoFit.Kind;
import dev.switchboard.core.spi.Placement;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which models the planner stops to make room, and when it waits instead. */
class PlannerEvictionTest {

    @Test
    void evictsAnIdleModelToMakeRoom() {
        PlanResult.Fits fits = fits(gpusOf(24).idle("old", 0, 20, 60).plan("m", 8));

        assertThat(fits.evict()).containsExactly("old");
        assertThat(fits.placement().gpuIds()).containsExactly(0);
    }

    @Test
    void neverEvictsABusyModel() {
        PlanResult.NoFit noFit = noFit(gpusOf(24).busy("serving", 0, 20).plan("m", 8), Kind.WAIT);

        assertThat(noFit.neededBytes()).isEqualTo(8 * GIB);
        assertThat(noFit.availableBytes()).isEqualTo(4 * GIB);
        assertThat(noFit.reason()).contains("'m'", "8.0 GiB", "4.0 GiB", "busy: serving");
    }

    @Test
    void evictsTheIdleModelBesideABusyOne() {
        Scenario scenario = gpusOf(24).busy("serving", 0, 12).idle("idle", 0, 10, 60);

        assertThat(fits(scenario.plan("m", 10)).evict()).containsExactly("idle");
    }

    @Test
    void waitsWhenEvictingEveryIdleModelIsNotEnough() {
        Scenario scenario = gpusOf(24).busy("serving", 0, 12).idle("idle", 0, 4, 60);

        PlanResult.NoFit noFit = noFit(scenario.plan("m", 16), Kind.WAIT);

        assertThat(noFit.availableBytes()).isEqualTo(12 * GIB);
    }

    @Test
    void prefersAGpuWithRoomOverEvicting() {
        Scenario scenario = gpusOf(24, 24).idle("a", 0, 20, 600).idle("b", 1, 10, 1);

        PlanResult.Fits fits = fits(scenario.plan("m", 12));

        assertThat(fits.evict()).isEmpty();
        assertThat(fits.placement().gpuIds()).containsExactly(1);
    }

    @Test
    void evictsRatherThanSplittingAModelOneGpuCanHold() {
        Scenario scenario = gpusOf(24, 24).idle("a", 0, 14, 60).idle("b", 1, 14, 30);

        PlanResult.Fits fits = fits(scenario.plan("m", 16));

        assertThat(fits.evict()).containsExactly("a");
        assertThat(fits.placement().gpuIds()).containsExactly(0);
    }

    @Test
    void splitsAndEvictsWhenNoGpuCanHoldTheModel() {
        Scenario scenario = gpusOf(24, 24).idle("eight", 0, 8, 60).idle("fourteen", 1, 14, 30);

        PlanResult.Fits fits = fits(scenario.plan("m", 30));

        assertThat(fits.evict()).containsExactly("eight");
        assertThat(fits.placement().gpuIds()).containsExactlyInAnyOrder(0, 1);
    }

    @Test
    void evictsOnTheGpuWhereLosingAModelCostsLeast() {
        Scenario scenario = gpusOf(24, 24).idle("recent", 0, 20, 5).idle("stale", 1, 20, 600);

        PlanResult.Fits fits = fits(scenario.plan("m", 20));

        assertThat(fits.evict()).containsExactly("stale");
        assertThat(fits.placement().gpuIds()).containsExactly(1);
    }

    @Test
    void evictsASmallQuickModelBeforeALargeSlowOneUsedLongerAgo() {
        Scenario scenario = gpusOf(24)
                .with(model("large-slow", Map.of(0, 16 * GIB), false, 60, 0, Duration.ofMinutes(1)))
                .with(model("small-quick", Map.of(0, 6 * GIB), false, 5, 0, Duration.ofSeconds(2)));

        assertThat(fits(scenario.plan("m", 6)).evict()).containsExactly("small-quick");
    }

    @Test
    void evictsALowerPriorityModelBeforeAnyHigherPriorityOne() {
        Scenario scenario = gpusOf(24)
                .with(model("kept", Map.of(0, 10 * GIB), false, 3600, 1, Duration.ofSeconds(1)))
                .with(model("expendable", Map.of(0, 10 * GIB), false, 1, 0, Duration.ofMinutes(5)));

        assertThat(fits(scenario.plan("m", 10)).evict()).containsExactly("expendable");
    }

    @Test
    void doesNotEvictModelsWhoseMemoryIsNotNeeded() {
        // least recently used first would take "small" too, but "large" alone frees enough
        Scenario scenario = gpusOf(24).idle("small", 0, 4, 100).idle("large", 0, 16, 50);

        assertThat(fits(scenario.plan("m", 18)).evict()).containsExactly("large");
    }

    @Test
    void evictsTheLeastRecentlyUsedModelWhenMaxLoadedIsReached() {
        Scenario scenario = gpusOf(80)
                .idle("b", 0, 20, 10)
                .idle("a", 0, 2, 30)
                .idle("c", 0, 8, 20)
                .maxLoaded(3);

        assertThat(fits(scenario.plan("m", 8)).evict()).containsExactly("a");
    }

    @Test
    void evictsAsManyLeastRecentlyUsedModelsAsMaxLoadedRequiresOldestFirst() {
        Scenario scenario = Scenario.cpuOnly()
                .idle("b", 0, 0, 10)
                .idle("a", 0, 0, 30)
                .idle("c", 0, 0, 20)
                .maxLoaded(2);

        assertThat(fits(scenario.plan("m", 8)).evict()).containsExactly("a", "c");
    }

    @Test
    void evictsTheLeastRecentlyUsedModelWhenReloadCostsDifferOnlyByJitter() {
        // the same engine measured at 1.1 s and 0.9 s to start: that must not outrank last use
        Scenario scenario = Scenario.cpuOnly()
                .with(model("older", Map.of(), false, 20, 0, Duration.ofMillis(1100)))
                .with(model("newer", Map.of(), false, 19, 0, Duration.ofMillis(900)))
                .maxLoaded(2);

        assertThat(fits(scenario.plan("m", 1)).evict()).containsExactly("older");
    }

    @Test
    void evictsTheLeastRecentlyUsedModelWhenWholeSecondReloadCostsStraddleASecond() {
        Scenario scenario = Scenario.cpuOnly()
                .with(model("older", Map.of(), false, 3, 0, Duration.ofSeconds(2)))
                .with(model("newer", Map.of(), false, 2, 0, Duration.ofSeconds(1)))
                .maxLoaded(2);

        assertThat(fits(scenario.plan("m", 1)).evict()).containsExactly("older");
    }

    @Test
    void keepsAMinuteLongReloadOverAOneSecondOneUsedMoreRecently() {
        Scenario scenario = Scenario.cpuOnly()
                .with(model("slow", Map.of(), false, 20, 0, Duration.ofMinutes(1)))
                .with(model("quick", Map.of(), false, 10, 0, Duration.ofSeconds(1)))
                .maxLoaded(2);

        assertThat(fits(scenario.plan("m", 1)).evict()).containsExactly("quick");
    }

    @Test
    void breaksTiesInLastUseByModelId() {
        Scenario scenario =
                Scenario.cpuOnly().idle("y", 0, 0, 10).idle("x", 0, 0, 10).maxLoaded(2);

        assertThat(fits(scenario.plan("m", 1)).evict()).containsExactly("x");
    }

    @Test
    void letsOneEvictionSatisfyBothMaxLoadedAndMemory() {
        Scenario scenario =
                gpusOf(24).idle("old-small", 0, 4, 100).idle("large", 0, 16, 50).maxLoaded(2);

        assertThat(fits(scenario.plan("m", 16)).evict()).containsExactly("large");
    }

    @Test
    void evictsForMaxLoadedEvenWhenMemoryIsPlentiful() {
        Scenario scenario =
                gpusOf(24, 24).idle("old", 0, 4, 100).idle("recent", 1, 20, 5).maxLoaded(2);

        PlanResult.Fits fits = fits(scenario.plan("m", 10));

        assertThat(fits.evict()).containsExactly("old");
        assertThat(fits.placement().gpuIds()).containsExactly(0);
    }

    @Test
    void waitsWhenMaxLoadedIsReachedAndEveryModelIsBusy() {
        Scenario scenario = gpusOf(24).busy("serving", 0, 4).maxLoaded(1);

        PlanResult.NoFit noFit = noFit(scenario.plan("m", 4), Kind.WAIT);

        assertThat(noFit.reason()).contains("maxLoaded 1", "busy: serving");
    }

    @Test
    void countsEveryLoadedModelAgainstMaxLoadedOnTheCpu() {
        Scenario scenario =
                Scenario.cpuOnly().idle("a", 0, 0, 30).busy("b", 0, 0).maxLoaded(2);

        PlanResult.Fits fits = fits(scenario.plan("m", 1));

        assertThat(fits.evict()).containsExactly("a");
        assertThat(fits.placement()).isEqualTo(Placement.cpu());
    }

    @Test
    void freesAMultiGpuModelOnEveryGpuItHeld() {
        Scenario scenario = gpusOf(24, 24)
                .with(model("split", Map.of(0, 20 * GIB, 1, 20 * GIB), false, 60, 0, Duration.ofSeconds(10)));

        PlanResult.Fits fits = fits(scenario.plan("m", 44));

        assertThat(fits.evict()).containsExactly("split");
        assertThat(fits.placement().totalBytes()).isEqualTo(44 * GIB);
    }
}
