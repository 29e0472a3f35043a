package dev.switchboard.core.lifecycle.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.lifecycle.ModelState;
import dev.switchboard.core.lifecycle.internal.ModelLifecycle.Transition;
import dev.switchboard.core.spi.ModelDescriptor;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The transition table: every listed move works, every other one throws. */
class ModelLifecycleTransitionTest {

    private static ModelLifecycle in(ModelState state) {
        ModelLifecycle lifecycle =
                new ModelLifecycle(ModelDescriptor.builder("m", "fake").build());
        // walk there along legal moves only
        switch (state) {
            case UNLOADED -> {}
            case STARTING -> lifecycle.moveTo(ModelState.STARTING);
            case READY -> walk(lifecycle, ModelState.STARTING, ModelState.READY);
            case FALLING_ASLEEP -> walk(lifecycle, ModelState.STARTING, ModelState.READY, ModelState.FALLING_ASLEEP);
            case SLEEPING ->
                walk(lifecycle, ModelState.STARTING, ModelState.READY, ModelState.FALLING_ASLEEP, ModelState.SLEEPING);
            case WAKING ->
                walk(
                        lifecycle,
                        ModelState.STARTING,
                        ModelState.READY,
                        ModelState.FALLING_ASLEEP,
                        ModelState.SLEEPING,
                        ModelState.WAKING);
            case STOPPING -> walk(lifecycle, ModelState.STARTING, ModelState.READY, ModelState.STOPPING);
            case FAILED -> walk(lifecycle, ModelState.STARTING, ModelState.FAILED);
        }
        assertThat(lifecycle.state()).isEqualTo(state);
        return lifecycle;
    }

    private static void walk(ModelLifecycle lifecycle, ModelState... path) {
        for (ModelState next : path) {
            lifecycle.moveTo(next);
        }
    }

    @Test
    void everyMoveInTheTableIsAccepted() {
        for (Transition transition : Transition.values()) {
            ModelLifecycle lifecycle = in(transition.from());
            long epoch = lifecycle.epoch();

            assertThat(lifecycle.moveTo(transition.to())).isEqualTo(transition);
            assertThat(lifecycle.state()).isEqualTo(transition.to());
            assertThat(lifecycle.epoch()).isEqualTo(epoch + 1);
        }
    }

    @Test
    void everyMoveNotInTheTableThrowsAndChangesNothing() {
        int rejected = 0;
        for (ModelState from : ModelState.values()) {
            for (ModelState to : ModelState.values()) {
                boolean legal = Arrays.stream(Transition.values()).anyMatch(t -> t.from() == from && t.to() == to);
                if (legal) {
                    continue;
                }
                ModelLifecycle lifecycle = in(from);
                long epoch = lifecycle.epoch();
                assertThatThrownBy(() -> lifecycle.moveTo(to))
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessage("model 'm': illegal state transition from " + from + " to " + to);
                assertThat(lifecycle.state()).isEqualTo(from);
                assertThat(lifecycle.epoch()).isEqualTo(epoch);
                rejected++;
            }
        }
        assertThat(rejected).isEqualTo(64 - Transition.values().length);
    }

    @Test
    void aStoppedOrFailedModelHoldsNoEngineNorPlacement() {
        ModelLifecycle lifecycle = in(ModelState.READY);
        lifecycle.placement = new dev.switchboard.core.spi.Placement(
                java.util.List.of(0), java.util.List.of(), java.util.Map.of(0, 42L));

        lifecycle.moveTo(ModelState.FAILED);

        assertThat(lifecycle.placement.onGpu()).isFalse();
        assertThat(lifecycle.process).isNull();
    }
}
