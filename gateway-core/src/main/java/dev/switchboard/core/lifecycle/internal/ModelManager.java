package dev.switchboard.core.lifecycle.internal;

import static dev.switchboard.core.lifecycle.ModelState.FALLING_ASLEEP;
import static dev.switchboard.core.lifecycle.ModelState.READY;
import static dev.switchboard.core.lifecycle.ModelState.SLEEPING;
import static dev.switchboard.core.lifecycle.ModelState.STARTING;
import static dev.switchboard.core.lifecycle.ModelState.STOPPING;
import static dev.switchboard.core.lifecycle.ModelState.UNLOADED;
import static dev.switchboard.core.lifecycle.ModelState.WAKING;

import dev.switchboard.core.GatewayException;
import dev.switchboard.core.event.EventBus;
import dev.switchboard.core.event.GatewayEvent;
import dev.switchboard.core.lifecycle.GpuUsage;
import dev.switchboard.core.lifecycle.Lease;
import dev.switchboard.core.lifecycle.ModelState;
import dev.switchboard.core.lifecycle.ModelStatus;
import dev.switchboard.core.lifecycle.SchedulerConfig;
import dev.switchboard.core.lifecycle.internal.ModelLifecycle.Failure;
import dev.switchboard.core.lifecycle.internal.ModelLifecycle.Transition;
import dev.switchboard.core.placement.GpuInventory;
import dev.switchboard.core.placement.PlanResult;
import dev.switchboard.core.placement.Planner;
import dev.switchboard.core.process.LogBuffer;
import dev.switchboard.core.process.internal.EngineLauncher;
import dev.switchboard.core.process.internal.EngineProcess;
import dev.switchboard.core.process.internal.StartFailure;
import dev.switchboard.core.spi.Backend;
import dev.switchboard.core.spi.ChildSignal;
import dev.switchboard.core.spi.LaunchSpec;
import dev.switchboard.core.spi.ModelDescriptor;
import dev.switchboard.core.spi.Placement;
import dev.switchboard.core.spi.WarmTier;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single writer of model state: admits requests (a FIFO queue with one entry per model), asks
 * the planner where a model goes and what must make room, and drives each model's {@link
 * ModelLifecycle}. Every transition happens under one lock; slow work (readiness and stopping in
 * the {@link EngineRunner}, sleeping and waking in {@link WarmTiers}) runs on virtual threads and
 * re-enters the lock to record its outcome, which applies only if the model did not move
 * meanwhile. Futures complete after the lock is released.
 *
 * <ul>
 *   <li>Single flight: one start per model; every request waiting for it shares the outcome.
 *   <li>Capacity is reserved when a start is decided, so concurrent cold requests never overbook.
 *   <li>A full queue gives 429, a wait past the queue timeout 503; a waiter that leaves causes no
 *       eviction.
 *   <li>Only idle models are evicted; a model just started for waiting requests is leased to them
 *       before anyone else can see it idle. A stopping model takes no new requests.
 * </ul>
 */
public final class ModelManager implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ModelManager.class);
    private static final Duration GPU_CHECK = Duration.ofMillis(250);

    private final Map<String, Backend> backends;
    private final EngineLauncher launcher;
    private final SchedulerConfig config;
    private final EventBus events;
    private final SchedulerClock clock;
    private final GpuReadings gpus;
    private final GroupRules groups;
    private final IdlePolicy idle;
    private final WarmTiers warmTiers;
    private final BiConsumer<String, String> startFailures;
    /** Told an engine's base URI just before the engine is asked to exit. */
    private final Consumer<URI> exiting;

    private final EngineRunner runner;
    private final IdleTimer idleTimer;

    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, ModelLifecycle> models = new HashMap<>();
    /** Futures to complete once the lock is released, so no caller's callback runs under it. */
    private final List<Runnable> completions = new ArrayList<>();

    private final WaitQueue queue = new WaitQueue(completions);
    private boolean closed;
    private boolean pumping;
    private boolean repump;

    public ModelManager(
            Map<String, Backend> backends,
            EngineLauncher launcher,
            Supplier<HttpClient> http,
            SchedulerConfig config,
            EventBus events,
            IntSupplier gatewayPort,
            GpuInventory inventory,
            SchedulerClock clock,
            BiConsumer<String, String> startFailures,
            Consumer<URI> exiting) {
        this.backends = Map.copyOf(backends);
        this.launcher = launcher;
        this.config = config;
        this.events = events;
        this.clock = clock;
        this.gpus = new GpuReadings(inventory, this.backends, clock);
        this.groups = new GroupRules(config.groups());
        this.idle = new IdlePolicy(config.idleTtl());
        this.warmTiers = new WarmTiers(this.backends);
        this.startFailures = startFailures;
        this.exiting = exiting;
        this.idleTimer = new IdleTimer(clock, this::unloadIdleModels);
        this.runner = new EngineRunner(http, gatewayPort, gpus, config.stopTimeout(), this::launched);
        // GPU memory frees some time after an engine exits: while anything waits or moves, re-read
        // it and retry waiting starts; when all is settled, nothing is read
        clock.every("gpu-readings", GPU_CHECK, this::refreshGpus);
    }

    public SchedulerConfig config() {
        return config;
    }

    /**
     * Leases the model for one request, loading it first when needed. The future completes when the
     * model is ready for this request, or fails with a {@link GatewayException}. Cancelling it
     * (the client went away) takes the request out of the queue.
     *
     * @param autoload whether an unloaded model may be loaded for this request
     */
    public CompletableFuture<Lease> acquire(ModelDescriptor model, boolean autoload) {
        try {
            gpus.estimate(model); // may read model files: done before taking the lock
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(GatewayException.startFailed(
                    "model '" + model.id() + "': cannot estimate its memory: " + e.getMessage()));
        }
        boolean remote;
        lock.lock();
        try {
            ModelLifecycle known = models.get(model.id());
            if (known != null && known.is(READY)) {
                return admit(model, autoload);
            }
            remote = known != null && known.spec != null && !known.spec.hasProcess();
        } finally {
            unlock();
        }
        if (!remote) {
            launcher.prepare(); // its engine may have to be started
        }
        gpus.read(false); // it may have to be placed: read the devices, outside the lock
        lock.lock();
        try {
            return admit(model, autoload);
        } finally {
            unlock();
        }
    }

    private CompletableFuture<Lease> admit(ModelDescriptor model, boolean autoload) {
        if (closed) {
            return CompletableFuture.failedFuture(GatewayException.unavailable("the gateway is shutting down", null));
        }
        ModelLifecycle lifecycle = lifecycle(model);
        if (lifecycle.is(READY)) {
            int limit = model.concurrencyLimit();
            if (limit > 0 && lifecycle.leases >= limit) {
                return CompletableFuture.failedFuture(new GatewayException(
                        429,
                        "rate_limit_error",
                        "model '" + model.id() + "' is serving its limit of " + limit + " concurrent requests",
                        Duration.ofSeconds(1)));
            }
            return CompletableFuture.completedFuture(lease(lifecycle));
        }
        if (!autoload && !lifecycle.state().holdsEngine()) {
            return CompletableFuture.failedFuture(GatewayException.unavailable(
                    "model '" + model.id() + "' is not loaded and autoload is disabled", null));
        }
        Duration backoff = lifecycle.backoffLeft(clock.nanoTime());
        if (!backoff.isZero()) {
            return CompletableFuture.failedFuture(
                    GatewayException.unavailable(lifecycle.failure().message() + "; retrying shortly", backoff));
        }
        if (queue.waiting() >= config.maxWaiting()) {
            return CompletableFuture.failedFuture(
                    GatewayException.queueFull(config.maxWaiting(), Duration.ofSeconds(1)));
        }
        WaitQueue.Waiter waiter = queue.join(model.id());
        waiter.cancelTimeout = clock.schedule(config.queueTimeout(), () -> timeOut(waiter));
        waiter.future.whenComplete((lease, error) -> {
            waiter.cancelTimeout.run();
            if (waiter.future.isCancelled()) {
                leave(waiter);
            }
        });
        pump();
        return waiter.future;
    }

    /**
     * Loads a model without a request (llama.cpp's {@code POST /models/load}). Returns at once; the
     * future completes when the model is ready.
     *
     * @throws GatewayException 400 when the model is already loaded or loading
     */
    public CompletableFuture<Void> load(ModelDescriptor model) {
        lock.lock();
        try {
            ModelLifecycle lifecycle = lifecycle(model);
            if (lifecycle.is(READY) || lifecycle.is(STARTING)) {
                throw GatewayException.invalidRequest("model is already loaded");
            }
        } finally {
            unlock();
        }
        return acquire(model, true).thenAccept(Lease::close);
    }

    /**
     * Unloads a model: new requests wait for its next start, in-flight requests drain (bounded by
     * the stop timeout), then its engine stops.
     *
     * @return completes when the engine has exited
     * @throws GatewayException 400 when the model is not loaded
     */
    public CompletableFuture<Void> unload(String modelId, String reason) {
        lock.lock();
        try {
            ModelLifecycle lifecycle = models.get(modelId);
            if (lifecycle == null || !stoppable(lifecycle)) {
                throw GatewayException.invalidRequest("model is not loaded");
            }
            return stop(lifecycle, reason);
        } finally {
            unlock();
        }
    }

    /**
     * Puts an idle ready model to sleep in its engine's warm tier (vLLM sleep mode, SGLang memory
     * release): its GPU memory is freed, its process kept, and the next request wakes it.
     *
     * @return completes once it sleeps; fails when the engine could not sleep (it is then stopped)
     * @throws GatewayException 400 when its backend has no warm tier, 409 when it is not ready or is
     *     serving requests
     */
    public CompletableFuture<Void> sleep(ModelDescriptor model, String reason) {
        if (warmTiers.of(model).isEmpty()) {
            throw GatewayException.invalidRequest("model '" + model.id() + "' has no warm tier to sleep in"
                    + " (its backend does not offer one, or sleep is not enabled for it)");
        }
        lock.lock();
        try {
            ModelLifecycle lifecycle = models.get(model.id());
            if (lifecycle == null || !lifecycle.is(READY) || lifecycle.spec == null) {
                ModelState state = lifecycle == null ? UNLOADED : lifecycle.state();
                throw new GatewayException(
                        409,
                        "invalid_request_error",
                        "model '" + model.id() + "' is " + state.name().toLowerCase(Locale.ROOT)
                                + "; only a ready model can sleep");
            }
            if (lifecycle.leases > 0) {
                throw new GatewayException(
                        409,
                        "invalid_request_error",
                        "model '" + model.id() + "' is serving " + lifecycle.leases
                                + " request(s); it can sleep once idle");
            }
            return fallAsleep(lifecycle, warmTiers.of(lifecycle.model()).orElseThrow(), reason);
        } finally {
            unlock();
        }
    }

    /**
     * The engine behind the lease refused its request, or dropped it before answering. When that
     * engine has exited (or exits within a moment), the crash is recorded at once, the lease goes
     * back, and the returned future gives a lease on a fresh start of the model: a request that
     * reached no engine is restarted once, transparently. Empty when the engine still runs, was
     * stopped on purpose, or is an upstream the gateway does not run.
     */
    public Optional<CompletableFuture<Lease>> restartDeadEngine(Lease lease) throws InterruptedException {
        EngineProcess process = lease instanceof EngineLease granted ? granted.process() : null;
        if (process == null || !runner.awaitExit(process)) {
            return Optional.empty();
        }
        ModelDescriptor model = lease.model();
        lock.lock();
        try {
            ModelLifecycle lifecycle = models.get(model.id());
            onExit(lifecycle, process, process.exit().join()); // unless its exit callback was first
            if (lifecycle.is(STOPPING) || lifecycle.is(UNLOADED)) {
                return Optional.empty(); // it was stopped on purpose: not for this request to undo
            }
            log.info("model '{}': its engine died before the request reached it; restarting it", model.id());
        } finally {
            unlock();
        }
        lease.close();
        return Optional.of(acquire(model, true));
    }

    /**
     * Reads the memory estimates of these models on a background thread, one after the other, so a
     * model's first request does not wait for its file's header. A failure is left for that request
     * to report.
     */
    public void estimateInBackground(Collection<ModelDescriptor> catalog) {
        Thread.ofPlatform().daemon().name("memory-estimates").start(() -> {
            for (ModelDescriptor model : catalog) {
                try {
                    gpus.estimate(model);
                } catch (RuntimeException e) {
                    log.debug("model '{}': no memory estimate yet: {}", model.id(), e.getMessage());
                }
            }
        });
    }

    /** A snapshot of every model the manager has seen. */
    public Map<String, ModelStatus> statuses() {
        lock.lock();
        try {
            Map<String, ModelStatus> result = new HashMap<>();
            models.forEach((id, lifecycle) -> result.put(id, lifecycle.status()));
            return result;
        } finally {
            unlock();
        }
    }

    /** The status of one model, if the manager has seen it. */
    public Optional<ModelStatus> status(String modelId) {
        lock.lock();
        try {
            return Optional.ofNullable(models.get(modelId)).map(ModelLifecycle::status);
        } finally {
            unlock();
        }
    }

    /**
     * How a ready model's engine process was launched (where it listens, the headers it expects),
     * for reading the engine's own state, its metrics say; empty for a remote upstream, which is
     * not the gateway's to inspect.
     */
    public Optional<LaunchSpec> engine(String modelId) {
        lock.lock();
        try {
            ModelLifecycle lifecycle = models.get(modelId);
            return lifecycle == null || !lifecycle.is(READY) || lifecycle.spec == null || !lifecycle.spec.hasProcess()
                    ? Optional.empty()
                    : Optional.of(lifecycle.spec);
        } finally {
            unlock();
        }
    }

    /** The output buffer of a model's engine (current or last run). */
    public Optional<LogBuffer> logs(String modelId) {
        lock.lock();
        try {
            return Optional.ofNullable(models.get(modelId)).map(lifecycle -> lifecycle.output);
        } finally {
            unlock();
        }
    }

    /** Every GPU with the memory the gateway's models hold on it, read now (through a short cache). */
    public List<GpuUsage> gpuUsage() {
        gpus.read(false);
        lock.lock();
        try {
            return gpus.usage(models.values());
        } finally {
            unlock();
        }
    }

    /** Requests waiting for a model now. */
    public int waitingRequests() {
        lock.lock();
        try {
            return queue.waiting();
        } finally {
            unlock();
        }
    }

    /**
     * Stops accepting requests, fails the waiting ones, and stops every engine: in-flight requests
     * get up to the stop timeout to finish.
     */
    @Override
    public void close() {
        List<CompletableFuture<Void>> stops = new ArrayList<>();
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            queue.failEverything(GatewayException.unavailable("the gateway is shutting down", null));
            for (ModelLifecycle lifecycle : models.values()) {
                if (stoppable(lifecycle)) {
                    stops.add(stop(lifecycle, "shutdown"));
                } else if (lifecycle.is(STOPPING)) {
                    stops.add(lifecycle.stop.done);
                }
            }
        } finally {
            unlock();
        }
        stops.forEach(CompletableFuture::join); // bounded: each stop's drain times out on the clock
        clock.close();
        // engines still starting or waking are not stoppable yet: take them down with the rest
        launcher.stopAll(config.stopTimeout());
    }

    /**
     * Releases the lock; the outermost release re-arms the idle check, then completes the futures
     * decided under it. A callback that re-enters the manager (a fallback acquiring another model,
     * say) then finds the queue consistent instead of modifying it mid-iteration.
     */
    private void unlock() {
        List<Runnable> due = List.of();
        if (lock.getHoldCount() == 1) {
            idleTimer.arm(closed ? Optional.empty() : idle.next(models.values(), queue::wanted));
            due = List.copyOf(completions);
            completions.clear();
        }
        lock.unlock();
        due.forEach(Runnable::run);
    }

    // ---- admission, under the lock ----

    private ModelLifecycle lifecycle(ModelDescriptor model) {
        ModelLifecycle lifecycle = models.computeIfAbsent(model.id(), id -> new ModelLifecycle(model));
        lifecycle.model(model); // a reloaded catalog entry applies from the next start
        return lifecycle;
    }

    private static boolean stoppable(ModelLifecycle lifecycle) {
        return lifecycle.is(READY) || lifecycle.is(FALLING_ASLEEP) || lifecycle.is(SLEEPING);
    }

    private Lease lease(ModelLifecycle lifecycle) {
        lifecycle.leases++;
        lifecycle.lastUsed = clock.now();
        return new EngineLease(lifecycle.model(), lifecycle.spec, lifecycle.process, () -> release(lifecycle));
    }

    private void release(ModelLifecycle lifecycle) {
        lock.lock();
        try {
            lifecycle.leases--;
            lifecycle.lastUsed = clock.now();
            if (lifecycle.leases == 0) {
                if (lifecycle.is(STOPPING)) {
                    exitEngine(lifecycle); // drained
                }
                pump();
            }
        } finally {
            unlock();
        }
    }

    private void leave(WaitQueue.Waiter waiter) {
        lock.lock();
        try {
            if (queue.leave(waiter)) {
                pump();
            }
        } finally {
            unlock();
        }
    }

    private void timeOut(WaitQueue.Waiter waiter) {
        lock.lock();
        try {
            if (waiter.waiting()) {
                waiter.fail(GatewayException.waitTimedOut(
                        waiter.demand.modelId, config.queueTimeout(), Duration.ofSeconds(5)));
            }
        } finally {
            unlock();
        }
    }

    /**
     * Serves the queue in arrival order: grants leases for ready models, starts or wakes models
     * that fit, makes room for the first demand that does not fit, and stops at the first demand
     * that must wait. Re-entrant calls (a lease handed back while granting) run once more after.
     */
    private void pump() {
        if (pumping) {
            repump = true;
            return;
        }
        pumping = true;
        try {
            do {
                repump = false;
                pumpOnce();
            } while (repump);
        } finally {
            pumping = false;
        }
    }

    private void pumpOnce() {
        Iterator<WaitQueue.Demand> it = queue.iterator();
        while (it.hasNext()) {
            WaitQueue.Demand demand = it.next();
            ModelLifecycle lifecycle = models.get(demand.modelId);
            if (lifecycle.is(READY)) {
                it.remove();
                List.copyOf(demand.waiters).forEach(waiter -> waiter.grant(lease(lifecycle)));
                continue;
            }
            if (lifecycle.state().inTransit()) {
                continue; // its own start, wake, sleep or stop is under way
            }
            if (demand.waiters.isEmpty()) {
                it.remove();
                continue;
            }
            if (!lifecycle.is(SLEEPING)) {
                List<ModelLifecycle> conflicts = groups.conflicts(lifecycle, models.values());
                if (!conflicts.isEmpty()) {
                    if (!anyIn(STOPPING, FALLING_ASLEEP) && conflicts.stream().noneMatch(this::busy)) {
                        String reason = "group rules: '" + lifecycle.id() + "' of group '"
                                + lifecycle.model().group() + "' is starting";
                        conflicts.forEach(conflict -> stop(conflict, reason));
                    }
                    return; // group rules say these go first; wait until they can
                }
            }
            PlanResult plan =
                    Planner.plan(gpus.planRequest(lifecycle, models.values(), queue::wanted, config.maxLoaded()));
            if (plan instanceof PlanResult.NoFit noFit) {
                if (noFit.kind() == PlanResult.NoFit.Kind.WAIT || gpus.recentlyReleased() || anyIn(STARTING, WAKING)) {
                    // busy models are in the way, or GPU readings are in flux (memory just released
                    // does not show yet; a starting engine's claim may show as well as its
                    // reservation): only a settled "never" fails the request
                    return;
                }
                it.remove();
                List.copyOf(demand.waiters)
                        .forEach(waiter -> waiter.fail(new GatewayException(507, "server_error", noFit.reason())));
                continue;
            }
            PlanResult.Fits fits = (PlanResult.Fits) plan;
            if (!fits.evict().isEmpty()) {
                if (!anyIn(STOPPING, FALLING_ASLEEP)) { // never make room twice for one start
                    fits.evict().forEach(victim -> evict(models.get(victim), lifecycle.id()));
                }
                return; // start once the room is really free
            }
            demand.started = true;
            if (lifecycle.is(SLEEPING)) {
                wake(lifecycle, fits.placement());
            } else {
                start(lifecycle, fits.placement());
            }
        }
    }

    /** In use, or about to be: not a model to stop now. */
    private boolean busy(ModelLifecycle lifecycle) {
        return lifecycle.is(STARTING) || lifecycle.leases > 0 || queue.wanted(lifecycle.id());
    }

    private boolean anyIn(ModelState first, ModelState second) {
        return models.values().stream().anyMatch(m -> m.is(first) || m.is(second));
    }

    /** Whether the engine count is what is short: then sleeping frees nothing and the engine must stop. */
    private boolean atLoadedLimit() {
        int max = config.maxLoaded();
        return max > 0
                && models.values().stream().filter(m -> m.state().holdsEngine()).count() >= max;
    }

    // ---- driving lifecycles, under the lock ----

    private void moved(ModelLifecycle lifecycle, Transition transition, String reason) {
        events.publish(
                new GatewayEvent.StateChanged(lifecycle.id(), transition.from(), transition.to(), reason, clock.now()));
    }

    /** Whether work begun at {@code epoch} may still record its outcome. */
    private static boolean current(ModelLifecycle lifecycle, long epoch) {
        return lifecycle.epoch() == epoch;
    }

    private void start(ModelLifecycle lifecycle, Placement placement) {
        moved(lifecycle, lifecycle.starting(placement, clock.nanoTime()), "request");
        log.info("starting model '{}'", lifecycle.id());
        Backend backend = backends.get(lifecycle.model().backend());
        if (backend == null) {
            failed(
                    lifecycle,
                    new Failure(
                            "model '" + lifecycle.id() + "' names backend '"
                                    + lifecycle.model().backend() + "', which is not configured",
                            null,
                            List.of()));
            return;
        }
        long epoch = lifecycle.epoch();
        runner.start(lifecycle, backend, () -> ready(lifecycle, epoch), failure -> failed(lifecycle, epoch, failure));
    }

    /**
     * A start's launch is built: recorded, and its engine spawned under the lock so that close()
     * either sees this engine or prevents it (the runner's {@link EngineRunner.Spawner}).
     */
    private EngineProcess launched(ModelLifecycle lifecycle, LaunchSpec spec) throws StartFailure, IOException {
        lock.lock();
        try {
            lifecycle.spec = spec;
            if (!spec.hasProcess()) {
                return null;
            }
            if (closed) {
                throw new StartFailure(
                        "model '" + lifecycle.id() + "' not started: the gateway is shutting down", null, List.of());
            }
            EngineProcess process =
                    launcher.start(lifecycle.id(), spec, lifecycle.output, signal -> onSignal(lifecycle, signal));
            lifecycle.process = process;
            process.exit().thenAccept(code -> onExit(lifecycle, process, code));
            return process;
        } finally {
            unlock();
        }
    }

    /** A start or wake finished: the engine serves, its waiters get their leases first. */
    private void ready(ModelLifecycle lifecycle, long epoch) {
        lock.lock();
        try {
            if (!current(lifecycle, epoch)) {
                return;
            }
            EngineProcess process = lifecycle.process;
            if (process != null && process.exit().isDone()) {
                Integer code = process.exit().getNow(null);
                failed(
                        lifecycle,
                        new Failure(
                                "model '" + lifecycle.id() + "' failed to start: engine exited with code " + code,
                                code,
                                lifecycle.output.tail(ModelLifecycle.FAILURE_LINES)));
                return;
            }
            moved(lifecycle, lifecycle.ready(clock.nanoTime()), "engine ready");
            log.info("model '{}' is ready", lifecycle.id());
            pump(); // leases go to its waiters before anyone can see it idle
            if (closed) {
                stop(lifecycle, "shutdown");
            }
        } finally {
            unlock();
        }
    }

    private void failed(ModelLifecycle lifecycle, long epoch, Failure failure) {
        lock.lock();
        try {
            if (current(lifecycle, epoch)) {
                failed(lifecycle, failure);
            }
        } finally {
            unlock();
        }
    }

    /**
     * The engine failed. The requests waiting on a failed start or wake fail with it; an engine
     * that crashed after it served is restarted for whoever waits.
     */
    private void failed(ModelLifecycle lifecycle, Failure failure) {
        Transition transition = lifecycle.failed(failure, clock.nanoTime(), config.restartBackoff());
        moved(lifecycle, transition, failure.message());
        log.warn(failure.message());
        if (transition == Transition.STARTING_TO_FAILED || transition == Transition.WAKING_TO_FAILED) {
            // one outcome per start attempt, told before its waiters hear of it
            completions.add(() -> startFailures.accept(lifecycle.id(), failure.message()));
            // an engine that hung past its start timeout is unavailable for now (503), not broken (500)
            queue.failAll(
                    lifecycle.id(),
                    failure.hung()
                            ? GatewayException.unavailable(failure.message(), config.restartBackoff())
                            : GatewayException.startFailed(failure.message()));
        }
        gpus.released();
        pump();
    }

    private void onSignal(ModelLifecycle lifecycle, ChildSignal signal) {
        if (signal instanceof ChildSignal.Ready ready && !ready.info().isEmpty()) {
            lock.lock();
            try {
                lifecycle.engineInfo = ready.info(); // a wake-up from sleep says nothing new
            } finally {
                unlock();
            }
        }
        if (signal instanceof ChildSignal.Loading loading) {
            lock.lock();
            try {
                lifecycle.progress = loading.progress();
            } finally {
                unlock();
            }
            events.publish(
                    new GatewayEvent.LoadProgress(lifecycle.id(), loading.progress(), loading.detail(), clock.now()));
        }
    }

    /**
     * An engine exited. Expected when stopping; reported by the start or wake under way when
     * starting or waking; a crash otherwise.
     */
    private void onExit(ModelLifecycle lifecycle, EngineProcess process, int code) {
        lock.lock();
        try {
            if (lifecycle.process != process) {
                return; // an engine of an earlier run
            }
            lifecycle.exited(code);
            if (lifecycle.state().holdsEngine() && !lifecycle.state().inTransit() || lifecycle.is(FALLING_ASLEEP)) {
                failed(
                        lifecycle,
                        new Failure(
                                "model '" + lifecycle.id() + "' engine exited unexpectedly with code " + code,
                                code,
                                lifecycle.output.tail(ModelLifecycle.FAILURE_LINES)));
            }
        } finally {
            unlock();
        }
    }

    /**
     * Makes room: when GPU memory is short, an idle engine with a warm tier falls asleep (its GPU
     * memory freed, its process kept, so the next request wakes it in seconds); a sleeping one, one
     * without a warm tier, or any engine when the loaded limit is what is short, stops.
     */
    private void evict(ModelLifecycle lifecycle, String forModel) {
        String reason = "evicted to make room for '" + forModel + "'";
        Optional<WarmTier> tier = lifecycle.is(READY) && lifecycle.spec != null && !atLoadedLimit()
                ? warmTiers.of(lifecycle.model())
                : Optional.empty();
        if (tier.isEmpty()) {
            stop(lifecycle, reason);
            return;
        }
        fallAsleep(lifecycle, tier.get(), reason);
    }

    /** Moves a ready model to FALLING_ASLEEP; the future completes once it sleeps. */
    private CompletableFuture<Void> fallAsleep(ModelLifecycle lifecycle, WarmTier tier, String reason) {
        moved(lifecycle, lifecycle.moveTo(FALLING_ASLEEP), reason);
        log.info("putting model '{}' to sleep (reason: {})", lifecycle.id(), reason);
        long epoch = lifecycle.epoch();
        CompletableFuture<Void> done = new CompletableFuture<>();
        warmTiers.sleep(
                lifecycle.id(),
                tier,
                lifecycle.spec.baseUri(),
                failure -> asleep(lifecycle, epoch, failure, reason, done));
        return done;
    }

    private void asleep(
            ModelLifecycle lifecycle, long epoch, String failure, String reason, CompletableFuture<Void> done) {
        lock.lock();
        try {
            if (!current(lifecycle, epoch)) {
                // stopped, unloaded or crashed while falling asleep: that outcome stands
                log.info("model '{}' finished falling asleep after it moved on; ignored", lifecycle.id());
                completions.add(() -> done.completeExceptionally(GatewayException.unavailable(
                        "model '" + lifecycle.id() + "' was stopped while falling asleep", null)));
                return;
            }
            if (failure == null) {
                gpus.released();
                lifecycle.releaseMemory();
                moved(lifecycle, lifecycle.moveTo(SLEEPING), reason);
                log.info("model '{}' is asleep", lifecycle.id());
                completions.add(() -> done.complete(null));
            } else {
                log.warn("model '{}' could not sleep ({}); stopping it", lifecycle.id(), failure);
                stop(lifecycle, reason);
                completions.add(() -> done.completeExceptionally(
                        GatewayException.badGateway("model '" + lifecycle.id() + "' could not sleep: " + failure)));
            }
            pump();
        } finally {
            unlock();
        }
    }

    /** Wakes a sleeping engine on its GPUs; much faster than a cold start. */
    private void wake(ModelLifecycle lifecycle, Placement placement) {
        WarmTier tier = warmTiers.of(lifecycle.model()).orElseThrow();
        moved(lifecycle, lifecycle.moveTo(WAKING), "wake for request");
        lifecycle.placement = placement;
        long startedAt = clock.nanoTime();
        long epoch = lifecycle.epoch();
        EngineProcess process = lifecycle.process;
        log.info("waking model '{}'", lifecycle.id());
        warmTiers.wake(lifecycle.id(), tier, lifecycle.spec.baseUri(), failure -> {
            if (failure == null) {
                log.info(
                        "model '{}' woke in {} ms",
                        lifecycle.id(),
                        Duration.ofNanos(clock.nanoTime() - startedAt).toMillis());
                ready(lifecycle, epoch);
            } else {
                runner.stopQuietly(process);
                failed(
                        lifecycle,
                        epoch,
                        new Failure(
                                "model '" + lifecycle.id() + "' failed to wake: " + failure,
                                null,
                                lifecycle.output.tail(ModelLifecycle.FAILURE_LINES)));
            }
        });
    }

    /**
     * Moves a model to STOPPING: its in-flight requests drain (bounded by the stop timeout), then
     * its engine is told to exit.
     */
    private CompletableFuture<Void> stop(ModelLifecycle lifecycle, String reason) {
        moved(lifecycle, lifecycle.moveTo(STOPPING), reason);
        log.info("stopping model '{}' (reason: {})", lifecycle.id(), reason);
        ModelLifecycle.Stop stop = new ModelLifecycle.Stop(reason);
        lifecycle.stop = stop;
        if (lifecycle.leases == 0) {
            exitEngine(lifecycle);
        } else {
            long epoch = lifecycle.epoch();
            Duration timeout = stopTimeout(lifecycle);
            stop.cancelDrainTimeout = clock.schedule(timeout, () -> drainTimedOut(lifecycle, epoch, timeout));
        }
        return stop.done;
    }

    private Duration stopTimeout(ModelLifecycle lifecycle) {
        return lifecycle.model().stopTimeout() != null ? lifecycle.model().stopTimeout() : config.stopTimeout();
    }

    private void drainTimedOut(ModelLifecycle lifecycle, long epoch, Duration timeout) {
        lock.lock();
        try {
            if (current(lifecycle, epoch)) {
                log.warn(
                        "model '{}' still has {} requests in flight after {}s; stopping anyway",
                        lifecycle.id(),
                        lifecycle.leases,
                        timeout.toSeconds());
                exitEngine(lifecycle);
            }
        } finally {
            unlock();
        }
    }

    /** Tells a stopping model's engine to exit, once; on a virtual thread. */
    private void exitEngine(ModelLifecycle lifecycle) {
        ModelLifecycle.Stop stop = lifecycle.stop;
        if (stop.exitRequested) {
            return;
        }
        stop.exitRequested = true;
        stop.cancelDrainTimeout.run();
        EngineProcess process = lifecycle.process;
        long epoch = lifecycle.epoch();
        if (lifecycle.spec != null) {
            exiting.accept(lifecycle.spec.baseUri());
        }
        runner.stop(lifecycle.id(), process, stopTimeout(lifecycle), () -> stopped(lifecycle, epoch, process));
    }

    private void stopped(ModelLifecycle lifecycle, long epoch, EngineProcess process) {
        lock.lock();
        try {
            if (!current(lifecycle, epoch)) {
                return;
            }
            ModelLifecycle.Stop stop = lifecycle.stop;
            if (process != null) {
                lifecycle.exited(process.exit().getNow(null));
            }
            gpus.released();
            moved(lifecycle, lifecycle.moveTo(UNLOADED), stop.reason);
            log.info("model '{}' stopped", lifecycle.id());
            completions.add(() -> stop.done.complete(null));
            pump();
        } finally {
            unlock();
        }
    }

    // ---- periodic tasks ----

    private void unloadIdleModels() {
        lock.lock();
        try {
            idleTimer.fired(); // the next unlock arms the check after this one
            for (ModelLifecycle lifecycle : models.values()) {
                if (idle.expired(lifecycle, queue.wanted(lifecycle.id()), clock.now())) {
                    stop(lifecycle, "idle for " + idle.ttl(lifecycle).toSeconds() + "s");
                }
            }
        } finally {
            unlock();
        }
    }

    /** Re-reads the GPUs and retries waiting starts, only while something waits or moves. */
    private void refreshGpus() {
        boolean starting;
        lock.lock();
        try {
            starting = anyIn(STARTING, WAKING);
            if (queue.isEmpty() && !starting && !anyIn(STOPPING, FALLING_ASLEEP)) {
                return;
            }
        } finally {
            unlock();
        }
        gpus.read(starting);
        lock.lock();
        try {
            pump();
        } finally {
            unlock();
        }
    }
}
