package dev.switchboard.core.lifecycle.internal;

import static dev.switchboard.core.lifecycle.ModelState.FAILED;
import static dev.switchboard.core.lifecycle.ModelState.FALLING_ASLEEP;
import static dev.switchboard.core.lifecycle.ModelState.READY;
import static dev.switchboard.core.lifecycle.ModelState.SLEEPING;
import static dev.switchboard.core.lifecycle.ModelState.STARTING;
import static dev.switchboard.core.lifecycle.ModelState.STOPPING;
import static dev.switchboard.core.lifecycle.ModelState.UNLOADED;
import static dev.switchboard.core.lifecycle.ModelState.WAKING;

import dev.switchboard.core.lifecycle.ModelState;
import dev.switchboard.core.lifecycle.ModelStatus;
import dev.switchboard.core.process.LogBuffer;
import dev.switchboard.core.process.internal.EngineProcess;
import dev.switchboard.core.spi.LaunchSpec;
import dev.switchboard.core.spi.ModelDescriptor;
import dev.switchboard.core.spi.Placement;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * One model's life: its state, the engine serving it, and what went wrong last. The legal moves are
 * the {@link Transition} table; any other move is a bug and throws. Every move bumps the {@link
 * #epoch()}, so work begun in one state (a start, a sleep, a stop) applies its outcome only if
 * nothing moved the model meanwhile. Not thread-safe: the manager's lock guards it.
 */
final class ModelLifecycle {
    static final int LOG_LINES = 500;
    /** Lines of output a failure keeps for the status page. */
    static final int FAILURE_LINES = 20;
    /** Back-off doubles per consecutive failed start up to this. */
    static final Duration MAX_BACKOFF = Duration.ofMinutes(5);

    /** Every legal move. */
    enum Transition {
        UNLOADED_TO_STARTING(UNLOADED, STARTING),
        FAILED_TO_STARTING(FAILED, STARTING),
        STARTING_TO_READY(STARTING, READY),
        STARTING_TO_FAILED(STARTING, FAILED),
        READY_TO_FALLING_ASLEEP(READY, FALLING_ASLEEP),
        READY_TO_STOPPING(READY, STOPPING),
        READY_TO_FAILED(READY, FAILED),
        FALLING_ASLEEP_TO_SLEEPING(FALLING_ASLEEP, SLEEPING),
        FALLING_ASLEEP_TO_STOPPING(FALLING_ASLEEP, STOPPING),
        FALLING_ASLEEP_TO_FAILED(FALLING_ASLEEP, FAILED),
        SLEEPING_TO_WAKING(SLEEPING, WAKING),
        SLEEPING_TO_STOPPING(SLEEPING, STOPPING),
        SLEEPING_TO_FAILED(SLEEPING, FAILED),
        WAKING_TO_READY(WAKING, READY),
        WAKING_TO_FAILED(WAKING, FAILED),
        STOPPING_TO_UNLOADED(STOPPING, UNLOADED);

        private final ModelState from;
        private final ModelState to;

        Transition(ModelState from, ModelState to) {
            this.from = from;
            this.to = to;
        }

        ModelState from() {
            return from;
        }

        ModelState to() {
            return to;
        }

        /** @throws IllegalStateException when the table has no such move */
        static Transition between(String model, ModelState from, ModelState to) {
            return Arrays.stream(values())
                    .filter(t -> t.from == from && t.to == to)
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException(
                            "model '" + model + "': illegal state transition from " + from + " to " + to));
        }
    }

    /**
     * Why the last run ended badly.
     *
     * @param exitCode the engine's exit code, when it exited
     * @param lastLines the last lines the engine printed
     */
    /** @param hung whether the engine never became ready within its start timeout */
    record Failure(String message, Integer exitCode, List<String> lastLines, boolean hung) {
        Failure {
            lastLines = List.copyOf(lastLines);
        }

        Failure(String message, Integer exitCode, List<String> lastLines) {
            this(message, exitCode, lastLines, false);
        }
    }

    private ModelDescriptor model;
    private ModelState state = UNLOADED;
    private long epoch;
    int leases;
    Instant lastUsed = Instant.EPOCH;
    LaunchSpec spec;
    EngineProcess process;
    Placement placement = Placement.cpu();
    LogBuffer output = new LogBuffer(LOG_LINES);
    double progress = -1;
    /** What the engine said about its model when it became ready (llama.cpp's {@code meta}). */
    Map<String, Object> engineInfo = Map.of();

    long startedAt;
    Duration reloadCost = Duration.ofSeconds(10);
    /** The stop under way, while {@link ModelState#STOPPING}. */
    Stop stop;

    /** A stop: requests drain, then the engine is told to exit; {@code done} when it has. */
    static final class Stop {
        final String reason;
        final CompletableFuture<Void> done = new CompletableFuture<>();
        boolean exitRequested;
        Runnable cancelDrainTimeout = () -> {};

        Stop(String reason) {
            this.reason = reason;
        }
    }

    private Failure failure;
    private Integer lastExitCode;
    private int failedStarts;
    private long retryAt;

    ModelLifecycle(ModelDescriptor model) {
        this.model = model;
    }

    ModelDescriptor model() {
        return model;
    }

    String id() {
        return model.id();
    }

    /** Picks up a reloaded catalog entry; only while no engine runs the old one. */
    void model(ModelDescriptor value) {
        if (!state.holdsEngine()) {
            model = value;
        }
    }

    ModelState state() {
        return state;
    }

    boolean is(ModelState value) {
        return state == value;
    }

    /** Counts moves: an outcome computed at one epoch applies only while it is still current. */
    long epoch() {
        return epoch;
    }

    /**
     * Moves to another state.
     *
     * @throws IllegalStateException when the move is not in the table
     */
    Transition moveTo(ModelState to) {
        Transition transition = Transition.between(model.id(), state, to);
        state = to;
        epoch++;
        if (to != STOPPING) {
            stop = null;
        }
        if (!to.holdsEngine()) {
            process = null;
            placement = Placement.cpu();
        }
        return transition;
    }

    /** A cold start begins: a fresh output buffer and placement. */
    Transition starting(Placement where, long now) {
        Transition transition = moveTo(STARTING);
        output = new LogBuffer(LOG_LINES);
        progress = -1;
        engineInfo = Map.of();
        placement = where;
        startedAt = now;
        return transition;
    }

    /** The engine serves: the failure streak ends. */
    Transition ready(long now) {
        Transition transition = moveTo(READY);
        if (transition == Transition.STARTING_TO_READY) {
            // whole seconds, so that start-up jitter never reorders models that cost the same to load
            reloadCost = Duration.ofSeconds(Duration.ofNanos(now - startedAt).toSeconds());
        }
        failure = null;
        failedStarts = 0;
        progress = 1;
        return transition;
    }

    /**
     * The engine failed. A failed start backs off exponentially from {@code backoff}; an engine
     * that crashed after it was ready is restarted by the next request at once.
     */
    Transition failed(Failure why, long now, Duration backoff) {
        boolean atStart = state == STARTING;
        Transition transition = moveTo(FAILED);
        failure = why;
        if (why.exitCode() != null) {
            lastExitCode = why.exitCode();
        }
        if (atStart) {
            failedStarts++;
            Duration wait = backoff.multipliedBy(1L << Math.min(failedStarts - 1, 20));
            retryAt = now + (wait.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : wait).toNanos();
        } else {
            retryAt = now;
        }
        return transition;
    }

    /** The engine exited, as asked. */
    void exited(Integer code) {
        if (code != null) {
            lastExitCode = code;
        }
    }

    Failure failure() {
        return failure;
    }

    int failedStarts() {
        return failedStarts;
    }

    /** How long until a failed model may start again; zero when it may now. */
    Duration backoffLeft(long now) {
        return state == FAILED && retryAt > now ? Duration.ofNanos(retryAt - now) : Duration.ZERO;
    }

    /** The GPU memory of a sleeping engine is free; it keeps its GPU ids to wake on. */
    void releaseMemory() {
        placement = new Placement(placement.gpuIds(), placement.tensorSplit(), Map.of());
    }

    ModelStatus status() {
        return new ModelStatus(
                model,
                state,
                leases,
                placement,
                spec == null ? List.of() : spec.command(),
                failure != null,
                lastExitCode,
                failure == null ? null : failure.message(),
                failure == null ? List.of() : failure.lastLines(),
                lastUsed.equals(Instant.EPOCH) ? null : lastUsed,
                progress,
                engineInfo,
                "closed");
    }
}
