package dev.switchboard.core.lifecycle;

import dev.switchboard.core.GatewayException;
import dev.switchboard.core.event.EventBus;
import dev.switchboard.core.event.GatewayEvent;
import dev.switchboard.core.placement.FootprintLedger;
import dev.switchboard.core.placement.GpuInventory;
import dev.switchboard.core.placement.LoadedModel;
import dev.switchboard.core.placement.NewModel;
import dev.switchboard.core.placement.PlanRequest;
import dev.switchboard.core.placement.PlanResult;
import dev.switchboard.core.placement.Planner;
import dev.switchboard.core.process.ChildProcess;
import dev.switchboard.core.process.LogBuffer;
import dev.switchboard.core.process.StartFailure;
import dev.switchboard.core.process.Supervisor;
import dev.switchboard.core.spi.Backend;
import dev.switchboard.core.spi.ByteSizes;
import dev.switchboard.core.spi.ChildSignal;
import dev.switchboard.core.spi.GpuInfo;
import dev.switchboard.core.spi.LaunchContext;
import dev.switchboard.core.spi.LaunchSpec;
import dev.switchboard.core.spi.MemoryEstimate;
import dev.switchboard.core.spi.ModelDescriptor;
import dev.switchboard.core.spi.Placement;
import dev.switchboard.core.spi.WarmTier;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single writer of model state. Every transition happens under one lock; slow work (spawning,
 * readiness, stopping) runs on virtual threads and re-enters the lock to record its outcome.
 *
 * <ul>
 *   <li>Single flight: one start per model; every request waiting for it shares the outcome.
 *   <li>Capacity is reserved when a start is decided, so concurrent cold requests never overbook
 *       the loaded limit.
 *   <li>Waiting requests form a bounded FIFO queue with one entry per model; a full queue gives 429,
 *       a wait past the queue timeout 503. A waiter that leaves causes no eviction.
 *   <li>Only idle models are evicted, least recently used first; a model just started for waiting
 *       requests is leased to them before anyone else can see it idle.
 *   <li>A stopping model takes no new requests: they wait for its next start.
 * </ul>
 */
public final class ModelManager implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ModelManager.class);
    private static final int LOG_LINES = 500;
    private static final Duration RELEASE_SETTLE = Duration.ofSeconds(5);

    private final Map<String, Backend> backends;
    private final Supervisor supervisor;
    private final HttpClient http;
    private final SchedulerConfig config;
    private final EventBus events;
    private final IntSupplier gatewayPort;
    private final GpuInventory inventory;
    private final FootprintLedger footprints = new FootprintLedger();
    private final Map<String, MemoryEstimate> estimates = new ConcurrentHashMap<>();
    private volatile List<GpuInfo> gpus = List.of();

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Map<String, Slot> slots = new HashMap<>();
    private final ArrayDeque<Demand> queue = new ArrayDeque<>();
    private final ScheduledExecutorService timers;
    private int waiting;
    private boolean closed;
    private boolean pumping;
    /** Futures to complete once the lock is released, so no caller's callback runs under it. */
    private final List<Runnable> completions = new ArrayList<>();

    private volatile long lastRelease = System.nanoTime() - RELEASE_SETTLE.toNanos();
    private volatile long lastReading;
    /** Whether an engine is starting, so the timer also reads memory per process. */
    private volatile boolean starting;

    private Map<Long, Long> memoryByPid = Map.of();
    private boolean repump;

    public ModelManager(
            Map<String, Backend> backends,
            Supervisor supervisor,
            HttpClient http,
            SchedulerConfig config,
            EventBus events,
            IntSupplier gatewayPort,
            GpuInventory inventory) {
        this.backends = Map.copyOf(backends);
        this.supervisor = supervisor;
        this.http = http;
        this.config = config;
        this.events = events;
        this.gatewayPort = gatewayPort;
        this.inventory = inventory;
        this.gpus = readGpus();
        this.timers = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "switchboard-timers");
            thread.setDaemon(true);
            return thread;
        });
        timers.scheduleWithFixedDelay(this::unloadIdleModels, 1, 1, TimeUnit.SECONDS);
        // GPU memory frees some time after an engine exits: re-read it and retry waiting starts.
        timers.scheduleWithFixedDelay(this::refreshGpus, 250, 250, TimeUnit.MILLISECONDS);
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
            estimate(model); // may read model files: done before taking the lock
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(GatewayException.startFailed(
                    "model '" + model.id() + "': cannot estimate its memory: " + e.getMessage()));
        }
        lock.lock();
        try {
            if (closed) {
                return CompletableFuture.failedFuture(
                        GatewayException.unavailable("the gateway is shutting down", null));
            }
            Slot slot = slot(model);
            if (slot.state == ModelState.READY) {
                int limit = concurrencyLimit(model);
                if (limit > 0 && slot.leases >= limit) {
                    return CompletableFuture.failedFuture(new GatewayException(
                            429,
                            "rate_limit_error",
                            "model '" + model.id() + "' is serving its limit of " + limit + " concurrent requests",
                            Duration.ofSeconds(1)));
                }
                return CompletableFuture.completedFuture(lease(slot));
            }
            if (!autoload && !slot.state.holdsEngine()) {
                return CompletableFuture.failedFuture(GatewayException.unavailable(
                        "model '" + model.id() + "' is not loaded and autoload is disabled", null));
            }
            if (slot.state == ModelState.FAILED && slot.inBackoff(config.restartBackoff())) {
                return CompletableFuture.failedFuture(
                        GatewayException.unavailable(slot.failure + "; retrying shortly", config.restartBackoff()));
            }
            if (waiting >= config.maxWaiting()) {
                return CompletableFuture.failedFuture(
                        GatewayException.queueFull(config.maxWaiting(), Duration.ofSeconds(1)));
            }
            Demand demand = demandFor(model.id());
            Waiter waiter = new Waiter(demand);
            demand.waiters.add(waiter);
            waiting++;
            waiter.future.whenComplete((lease, error) -> {
                if (waiter.future.isCancelled()) {
                    leave(waiter);
                }
            });
            timers.schedule(() -> timeOut(waiter), config.queueTimeout().toMillis(), TimeUnit.MILLISECONDS);
            pump();
            return waiter.future;
        } finally {
            unlock();
        }
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
            Slot slot = slot(model);
            if (slot.state == ModelState.READY || slot.state == ModelState.STARTING) {
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
            Slot slot = slots.get(modelId);
            if (slot == null || !(slot.state == ModelState.READY || slot.state == ModelState.SLEEPING)) {
                throw GatewayException.invalidRequest("model is not loaded");
            }
            return stop(slot, reason);
        } finally {
            unlock();
        }
    }

    /** A snapshot of every model the manager has seen. */
    public Map<String, ModelStatus> statuses() {
        lock.lock();
        try {
            Map<String, ModelStatus> result = new HashMap<>();
            slots.forEach((id, slot) -> result.put(id, slot.status()));
            return result;
        } finally {
            unlock();
        }
    }

    /** The status of one model, if the manager has seen it. */
    public Optional<ModelStatus> status(String modelId) {
        lock.lock();
        try {
            return Optional.ofNullable(slots.get(modelId)).map(Slot::status);
        } finally {
            unlock();
        }
    }

    /** The output buffer of a model's engine (current or last run). */
    public Optional<LogBuffer> logs(String modelId) {
        lock.lock();
        try {
            return Optional.ofNullable(slots.get(modelId)).map(slot -> slot.output);
        } finally {
            unlock();
        }
    }

    /** Every GPU with the memory the gateway's models hold on it. */
    public List<GpuUsage> gpuUsage() {
        lock.lock();
        try {
            List<GpuUsage> usage = new ArrayList<>();
            for (GpuInfo gpu : gpus) {
                Map<String, Long> models = new java.util.TreeMap<>();
                for (Slot slot : slots.values()) {
                    Long bytes = slot.placement.bytesPerGpu().get(gpu.index());
                    if (bytes != null && slot.state.holdsEngine()) {
                        models.put(slot.model.id(), bytes);
                    }
                }
                long reserved =
                        models.values().stream().mapToLong(Long::longValue).sum();
                usage.add(new GpuUsage(gpu, reserved, models));
            }
            return usage;
        } finally {
            unlock();
        }
    }

    /** Requests waiting for a model now. */
    public int waitingRequests() {
        lock.lock();
        try {
            return waiting;
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
            for (Demand demand : queue) {
                for (Waiter waiter : List.copyOf(demand.waiters)) {
                    waiter.fail(GatewayException.unavailable("the gateway is shutting down", null));
                }
            }
            queue.clear();
            for (Slot slot : slots.values()) {
                if (slot.state == ModelState.READY || slot.state == ModelState.SLEEPING) {
                    stops.add(stop(slot, "shutdown"));
                } else if (slot.stopping != null) {
                    stops.add(slot.stopping);
                }
            }
        } finally {
            unlock();
        }
        timers.shutdownNow();
        for (CompletableFuture<Void> stop : stops) {
            stop.join();
        }
        // Engines still starting are not in a stoppable state yet: take them down with the rest.
        supervisor.stopAll(config.stopTimeout());
    }

    /**
     * Releases the lock; the outermost release then completes the futures decided under it. A
     * callback that re-enters the manager (a fallback acquiring another model, say) then finds
     * the queue consistent instead of modifying it mid-iteration.
     */
    private void unlock() {
        List<Runnable> due = List.of();
        if (lock.getHoldCount() == 1 && !completions.isEmpty()) {
            due = List.copyOf(completions);
            completions.clear();
        }
        lock.unlock();
        due.forEach(Runnable::run);
    }

    // ---- transitions, all under the lock ----

    private Slot slot(ModelDescriptor model) {
        Slot slot = slots.computeIfAbsent(model.id(), id -> new Slot(model));
        if (!slot.state.holdsEngine()) {
            slot.model = model; // pick up a reloaded catalog entry for the next start
        }
        return slot;
    }

    private Demand demandFor(String modelId) {
        for (Demand demand : queue) {
            if (demand.modelId.equals(modelId)) {
                return demand;
            }
        }
        Demand demand = new Demand(modelId);
        queue.addLast(demand);
        return demand;
    }

    private Lease lease(Slot slot) {
        slot.leases++;
        slot.lastUsed = Instant.now();
        LaunchSpec spec = slot.spec;
        return new Lease(slot.model, spec, () -> release(slot));
    }

    private void release(Slot slot) {
        lock.lock();
        try {
            slot.leases--;
            slot.lastUsed = Instant.now();
            if (slot.leases == 0) {
                changed.signalAll();
                pump();
            }
        } finally {
            unlock();
        }
    }

    private void leave(Waiter waiter) {
        lock.lock();
        try {
            if (waiter.demand.waiters.remove(waiter)) {
                waiting--;
                if (waiter.demand.waiters.isEmpty() && !waiter.demand.started) {
                    queue.remove(waiter.demand); // nobody wants it any more: no start, no eviction
                }
                pump();
            }
        } finally {
            unlock();
        }
    }

    private void timeOut(Waiter waiter) {
        if (waiter.future.isDone()) {
            return;
        }
        lock.lock();
        try {
            if (waiter.demand.waiters.contains(waiter)) {
                waiter.fail(GatewayException.waitTimedOut(
                        waiter.demand.modelId, config.queueTimeout(), Duration.ofSeconds(5)));
            }
        } finally {
            unlock();
        }
    }

    /**
     * Serves the queue in arrival order: grants leases for ready models, starts models that fit,
     * evicts idle models for the first demand that does not fit, and stops at the first demand that
     * must wait. Re-entrant calls (a lease handed back while granting) run once more afterwards.
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
        Iterator<Demand> it = queue.iterator();
        while (it.hasNext()) {
            Demand demand = it.next();
            Slot slot = slots.get(demand.modelId);
            if (slot.state == ModelState.READY) {
                it.remove();
                for (Waiter waiter : List.copyOf(demand.waiters)) {
                    waiter.grant(lease(slot));
                }
            } else if (!slot.state.holdsEngine() || (slot.state == ModelState.SLEEPING && !slot.sleepInProgress)) {
                if (demand.waiters.isEmpty()) {
                    it.remove();
                    continue;
                }
                if (slot.state != ModelState.SLEEPING) {
                    List<Slot> conflicts = groupConflicts(slot);
                    if (!conflicts.isEmpty()) {
                        if (stopsUnderWay() || conflicts.stream().anyMatch(this::busy)) {
                            return; // group rules say these must go first; wait until they can
                        }
                        for (Slot conflict : conflicts) {
                            stop(
                                    conflict,
                                    "group rules: '" + slot.model.id() + "' of group '" + slot.model.group()
                                            + "' is starting");
                        }
                        return;
                    }
                }
                PlanResult plan = Planner.plan(planRequest(slot));
                if (plan instanceof PlanResult.NoFit noFit) {
                    if (noFit.kind() == PlanResult.NoFit.Kind.WAIT || recentlyReleased() || startsUnderWay()) {
                        // busy models are in the way, or GPU readings are in flux (memory just
                        // released does not show yet; a starting engine's claim may show as well as
                        // its reservation): only a settled "never" fails the request
                        return;
                    }
                    it.remove();
                    for (Waiter waiter : List.copyOf(demand.waiters)) {
                        waiter.fail(new GatewayException(507, "server_error", noFit.reason()));
                    }
                    continue;
                }
                PlanResult.Fits fits = (PlanResult.Fits) plan;
                if (!fits.evict().isEmpty()) {
                    if (stopsUnderWay()) {
                        return; // room is being made already: never evict twice for one start
                    }
                    for (String victim : fits.evict()) {
                        evict(slots.get(victim), "evicted to make room for '" + slot.model.id() + "'");
                    }
                    return; // start once the room is really free
                }
                demand.started = true;
                if (slot.state == ModelState.SLEEPING) {
                    wake(slot, fits.placement());
                } else {
                    start(slot, fits.placement(), "request");
                }
            }
            // STARTING, STOPPING, or falling asleep: its own transition is under way
        }
    }

    /**
     * GPU memory shows free some time after an engine exits or sleeps: for a bounded while after a
     * release, a model that does not fit waits for fresh readings instead of failing.
     */
    private boolean recentlyReleased() {
        return System.nanoTime() - lastRelease < RELEASE_SETTLE.toNanos();
    }

    /**
     * The running models the candidate's group policy says must stop before it starts: the rest of
     * its group when the group swaps, every other non-persistent model when it is exclusive.
     */
    private List<Slot> groupConflicts(Slot candidate) {
        String group = candidate.model.group();
        GroupPolicy policy = group == null ? null : config.groups().get(group);
        if (policy == null) {
            return List.of();
        }
        List<Slot> conflicts = new ArrayList<>();
        for (Slot other : slots.values()) {
            if (other == candidate || !other.state.holdsEngine()) {
                continue;
            }
            boolean sameGroup = group.equals(other.model.group());
            GroupPolicy otherPolicy =
                    other.model.group() == null ? null : config.groups().get(other.model.group());
            if (sameGroup ? policy.swap() : policy.exclusive() && (otherPolicy == null || !otherPolicy.persistent())) {
                conflicts.add(other);
            }
        }
        return conflicts;
    }

    /** In use, or about to be: not a model to stop now. */
    private boolean busy(Slot slot) {
        return slot.state == ModelState.STARTING || slot.leases > 0 || wanted(slot);
    }

    private boolean startsUnderWay() {
        return slots.values().stream().anyMatch(s -> s.state == ModelState.STARTING);
    }

    private boolean stopsUnderWay() {
        return slots.values().stream().anyMatch(s -> s.state == ModelState.STOPPING || s.sleepInProgress);
    }

    /** The planner's view: GPUs, what holds them, and the model to place. */
    private PlanRequest planRequest(Slot candidate) {
        Map<Integer, Long> reserved = new HashMap<>();
        List<LoadedModel> loaded = new ArrayList<>();
        for (Slot s : slots.values()) {
            if (!s.state.holdsEngine() || s == candidate) {
                continue;
            }
            if (s.state == ModelState.STARTING) {
                double unseen = unseenShare(s);
                s.placement
                        .bytesPerGpu()
                        .forEach((gpu, bytes) -> reserved.merge(gpu, (long) (bytes * unseen), Long::sum));
            }
            boolean busy = s.state != ModelState.READY || s.leases > 0 || wanted(s);
            loaded.add(new LoadedModel(
                    s.model.id(), s.placement.bytesPerGpu(), busy, s.lastUsed, s.model.priority(), s.reloadCost));
        }
        MemoryEstimate need = estimates.getOrDefault(candidate.model.id(), MemoryEstimate.none());
        // a sleeping engine wakes on the GPUs it slept on
        List<Integer> pins =
                candidate.state == ModelState.SLEEPING ? candidate.placement.gpuIds() : candidate.model.gpus();
        if (!pins.isEmpty() && need.gpuCount() == 0) {
            need = need.withGpuCount(pins.size());
        }
        return new PlanRequest(
                gpus,
                reserved,
                loaded,
                config.maxLoaded(),
                new NewModel(candidate.model.id(), need, pins),
                Instant.now());
    }

    /** The backend's estimate, or what the engine really took last time. */
    private MemoryEstimate estimate(ModelDescriptor model) {
        return estimates.computeIfAbsent(model.id(), id -> {
            Backend backend = backends.get(model.backend());
            MemoryEstimate estimate = backend == null ? MemoryEstimate.none() : backend.estimate(model);
            if (estimate.isFraction()) {
                return estimate;
            }
            int count = Math.max(1, estimate.gpuCount());
            return footprints
                    .learnedBytes(id, count)
                    .map(bytes -> MemoryEstimate.ofBytes(bytes, 0, 0).withGpuCount(estimate.gpuCount()))
                    .orElse(estimate);
        });
    }

    private List<GpuInfo> readGpus() {
        try {
            return inventory.gpus();
        } catch (RuntimeException e) {
            log.warn("cannot read GPU memory: {}", e.getMessage());
            return gpus;
        }
    }

    private void refreshGpus() {
        if (lastRelease > lastReading) {
            inventory.refresh();
        }
        long readAt = System.nanoTime();
        List<GpuInfo> fresh = readGpus();
        Map<Long, Long> byPid = starting ? readMemoryByPid() : Map.of();
        lastReading = readAt;
        lock.lock();
        try {
            gpus = fresh;
            memoryByPid = byPid;
            if (!queue.isEmpty()) {
                pump();
            }
        } finally {
            unlock();
        }
    }

    private Map<Long, Long> readMemoryByPid() {
        try {
            return inventory.memoryByPid();
        } catch (RuntimeException e) {
            return Map.of();
        }
    }

    /**
     * The share of a starting engine's reservation that the GPU readings do not show yet. Engines
     * claim memory while they load: once a reading attributes memory to the engine's processes, the
     * reported free memory already excludes it, and reserving it as well would count it twice.
     */
    private double unseenShare(Slot slot) {
        long placed = slot.placement.totalBytes();
        if (placed == 0 || slot.child == null || memoryByPid.isEmpty()) {
            return 1;
        }
        long seen = slot.child.pids().stream()
                .mapToLong(pid -> memoryByPid.getOrDefault(pid, 0L))
                .sum();
        return Math.max(0, placed - seen) / (double) placed;
    }

    /** After a start: remember what the engine really takes on its GPUs, for the next placement. */
    private void learnFootprint(Slot slot, ChildProcess child, Placement placement) {
        if (!placement.onGpu()) {
            return;
        }
        try {
            inventory.refresh();
            footprints
                    .recordProcesses(slot.model.id(), placement.gpuIds().size(), child.pids(), inventory.memoryByPid())
                    .ifPresent(bytes -> {
                        estimates.remove(slot.model.id());
                        log.info(
                                "model '{}' uses {} on GPUs {}",
                                slot.model.id(),
                                ByteSizes.format(bytes),
                                placement.gpuIds());
                    });
        } catch (RuntimeException e) {
            log.debug("cannot read the footprint of '{}': {}", slot.model.id(), e.getMessage());
        }
    }

    /** A model someone is queued for is not idle, whatever its lease count says. */
    private boolean wanted(Slot slot) {
        return queue.stream().anyMatch(d -> d.modelId.equals(slot.model.id()) && !d.waiters.isEmpty());
    }

    private void start(Slot slot, Placement placement, String reason) {
        Backend backend = backends.get(slot.model.backend());
        if (backend == null) {
            fail(
                    slot,
                    "model '" + slot.model.id() + "' names backend '" + slot.model.backend()
                            + "', which is not configured",
                    null);
            return;
        }
        transition(slot, ModelState.STARTING, reason);
        slot.progress = -1;
        slot.engineInfo = Map.of();
        slot.output = new LogBuffer(LOG_LINES);
        slot.placement = placement;
        slot.startedAt = System.nanoTime();
        ModelDescriptor model = slot.model;
        LogBuffer output = slot.output;
        log.info("starting model '{}' (reason: {})", model.id(), reason);
        Thread.ofVirtual().name("start-" + model.id()).start(() -> runStart(slot, backend, model, placement, output));
    }

    private void runStart(Slot slot, Backend backend, ModelDescriptor model, Placement placement, LogBuffer output) {
        ChildProcess child = null;
        try {
            LaunchSpec spec =
                    backend.launch(model, placement, new LaunchContext(Supervisor.freePort(), gatewayPort.getAsInt()));
            lock.lock();
            try {
                slot.spec = spec;
            } finally {
                unlock();
            }
            if (spec.hasProcess()) {
                lock.lock();
                try {
                    if (closed) {
                        throw new StartFailure(
                                "model '" + model.id() + "' not started: the gateway is shutting down",
                                null,
                                List.of());
                    }
                    // spawned under the lock so that close() either sees this child or prevents it
                    child = supervisor.start(model.id(), spec, output, signal -> onSignal(slot, signal));
                    slot.child = child;
                } finally {
                    unlock();
                }
                ChildProcess started = child;
                child.exit().thenAccept(code -> onExit(slot, started, code));
                child.awaitReady(http);
                learnFootprint(slot, child, placement);
            }
            ready(slot);
        } catch (StartFailure failure) {
            stopQuietly(child);
            for (String line : failure.lastLines()) {
                log.warn("[{}] {}", model.id(), line);
            }
            fail(
                    slot,
                    failure.getMessage(),
                    failure.exitCode().isPresent() ? failure.exitCode().getAsInt() : null,
                    failure.timedOut());
        } catch (InterruptedException e) {
            stopQuietly(child);
            fail(slot, "model '" + model.id() + "' start was interrupted", null);
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            stopQuietly(child);
            log.warn("model '{}' could not be launched", model.id(), e);
            fail(slot, "model '" + model.id() + "' failed to start: " + e.getMessage(), null);
        }
    }

    private void stopQuietly(ChildProcess child) {
        if (child == null) {
            return;
        }
        try {
            child.stop(config.stopTimeout());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void ready(Slot slot) {
        lock.lock();
        try {
            slot.failed = false;
            slot.failure = null;
            slot.progress = 1;
            if (!slot.waking) {
                // a wake says nothing of what a cold start costs; whole seconds, so that start-up
                // jitter never reorders models that cost the same to load
                slot.reloadCost = Duration.ofSeconds(
                        Duration.ofNanos(System.nanoTime() - slot.startedAt).toSeconds());
            }
            slot.waking = false;
            transition(slot, ModelState.READY, "engine ready");
            log.info("model '{}' is ready", slot.model.id());
            pump(); // leases go to its waiters before anyone can see it idle
            if (closed) {
                stop(slot, "shutdown");
            }
        } finally {
            unlock();
        }
    }

    private void fail(Slot slot, String message, Integer exitCode) {
        fail(slot, message, exitCode, false);
    }

    /** @param hung whether the engine hung past its start timeout: its waiters get 503, not 500 */
    private void fail(Slot slot, String message, Integer exitCode, boolean hung) {
        lock.lock();
        try {
            slot.failed = true;
            slot.failure = message;
            slot.exitCode = exitCode;
            slot.failedAt = System.nanoTime();
            slot.child = null;
            slot.placement = Placement.cpu();
            transition(slot, ModelState.FAILED, message);
            log.warn(message);
            Iterator<Demand> it = queue.iterator();
            while (it.hasNext()) {
                Demand demand = it.next();
                if (demand.modelId.equals(slot.model.id())) {
                    for (Waiter waiter : List.copyOf(demand.waiters)) {
                        waiter.fail(
                                hung
                                        ? GatewayException.unavailable(message, config.restartBackoff())
                                        : GatewayException.startFailed(message));
                    }
                    it.remove();
                }
            }
            pump();
        } finally {
            unlock();
        }
    }

    private void onSignal(Slot slot, ChildSignal signal) {
        if (signal instanceof ChildSignal.Ready ready && !ready.info().isEmpty()) {
            lock.lock();
            try {
                slot.engineInfo = ready.info(); // a wake-up from sleep says nothing new
            } finally {
                unlock();
            }
        }
        if (signal instanceof ChildSignal.Loading loading) {
            lock.lock();
            try {
                slot.progress = loading.progress();
            } finally {
                unlock();
            }
            events.publish(new GatewayEvent.LoadProgress(
                    slot.model.id(), loading.progress(), loading.detail(), Instant.now()));
        }
    }

    /** An engine exited: expected when stopping, a crash otherwise. */
    private void onExit(Slot slot, ChildProcess child, int code) {
        lock.lock();
        try {
            slot.exitCode = code;
            if (slot.child != child || slot.state == ModelState.STOPPING || slot.state == ModelState.STARTING) {
                return; // a stop we asked for, or a start failure that runStart reports
            }
            slot.child = null;
            slot.placement = Placement.cpu();
            slot.failed = true;
            slot.failure = "model '" + slot.model.id() + "' engine exited unexpectedly with code " + code;
            slot.failedAt = System.nanoTime();
            log.warn(slot.failure);
            transition(slot, ModelState.UNLOADED, "engine exited with code " + code);
            pump();
        } finally {
            unlock();
        }
    }

    /**
     * Makes room: when GPU memory is short, an idle engine with a warm tier falls asleep (its GPU
     * memory freed, its process kept, so the next request wakes it in seconds); a sleeping one, one
     * without a warm tier, or any engine when the loaded limit is what is short, stops.
     */
    private void evict(Slot slot, String reason) {
        Optional<WarmTier> warm = slot.state == ModelState.READY && slot.spec != null && !atLoadedLimit()
                ? backends.get(slot.model.backend()).warmTier(slot.model)
                : Optional.empty();
        if (warm.isEmpty()) {
            stop(slot, reason);
            return;
        }
        transition(slot, ModelState.SLEEPING, reason);
        slot.sleepInProgress = true;
        log.info("putting model '{}' to sleep (reason: {})", slot.model.id(), reason);
        java.net.URI engine = slot.spec.baseUri();
        Thread.ofVirtual().name("sleep-" + slot.model.id()).start(() -> {
            String failure = null;
            try {
                warm.get().sleep(engine);
            } catch (Exception e) {
                failure = e.getMessage();
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
            }
            lock.lock();
            try {
                slot.sleepInProgress = false;
                if (failure == null) {
                    lastRelease = System.nanoTime();
                    // the memory is free now; keep the GPU ids to wake on
                    slot.placement = new Placement(slot.placement.gpuIds(), slot.placement.tensorSplit(), Map.of());
                    log.info("model '{}' is asleep", slot.model.id());
                } else {
                    log.warn("model '{}' could not sleep ({}); stopping it", slot.model.id(), failure);
                    stop(slot, reason);
                }
                pump();
            } finally {
                unlock();
            }
        });
    }

    /** llama-swap's {@code concurrencyLimit}: in-flight requests one model takes; 0 for no limit. */
    private static int concurrencyLimit(ModelDescriptor model) {
        Object limit = model.options().get("concurrencyLimit");
        return limit == null ? 0 : Integer.parseInt(limit.toString().trim());
    }

    /** Whether the engine count is what is short: then sleeping frees nothing and the engine must stop. */
    private boolean atLoadedLimit() {
        int max = config.maxLoaded();
        return max > 0
                && slots.values().stream().filter(s -> s.state.holdsEngine()).count() >= max;
    }

    /** Wakes a sleeping engine on its GPUs; much faster than a cold start. */
    private void wake(Slot slot, Placement placement) {
        WarmTier warm = backends.get(slot.model.backend()).warmTier(slot.model).orElseThrow();
        transition(slot, ModelState.STARTING, "wake for request");
        slot.waking = true;
        slot.placement = placement;
        slot.startedAt = System.nanoTime();
        java.net.URI engine = slot.spec.baseUri();
        log.info("waking model '{}'", slot.model.id());
        Thread.ofVirtual().name("wake-" + slot.model.id()).start(() -> {
            try {
                warm.wake(engine);
                long millis =
                        Duration.ofNanos(System.nanoTime() - slot.startedAt).toMillis();
                log.info("model '{}' woke in {} ms", slot.model.id(), millis);
                ready(slot);
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                ChildProcess child;
                lock.lock();
                try {
                    child = slot.child;
                } finally {
                    unlock();
                }
                stopQuietly(child);
                fail(slot, "model '" + slot.model.id() + "' failed to wake: " + e.getMessage(), null);
            }
        });
    }

    /** Moves a model to STOPPING now and stops its engine on a virtual thread. */
    private CompletableFuture<Void> stop(Slot slot, String reason) {
        transition(slot, ModelState.STOPPING, reason);
        log.info("stopping model '{}' (reason: {})", slot.model.id(), reason);
        CompletableFuture<Void> done = new CompletableFuture<>();
        slot.stopping = done;
        ChildProcess child = slot.child;
        Duration timeout = slot.model.stopTimeout() != null ? slot.model.stopTimeout() : config.stopTimeout();
        Thread.ofVirtual().name("stop-" + slot.model.id()).start(() -> {
            try {
                awaitDrained(slot, timeout);
                if (child != null) {
                    child.stop(timeout);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                stopped(slot, reason);
                done.complete(null);
            }
        });
        return done;
    }

    private void awaitDrained(Slot slot, Duration timeout) throws InterruptedException {
        lock.lock();
        try {
            long remaining = timeout.toNanos();
            while (slot.leases > 0 && remaining > 0) {
                remaining = changed.awaitNanos(remaining);
            }
            if (slot.leases > 0) {
                log.warn(
                        "model '{}' still has {} requests in flight after {}s; stopping anyway",
                        slot.model.id(),
                        slot.leases,
                        timeout.toSeconds());
            }
        } finally {
            unlock();
        }
    }

    private void stopped(Slot slot, String reason) {
        lock.lock();
        try {
            slot.child = null;
            slot.stopping = null;
            slot.placement = Placement.cpu();
            lastRelease = System.nanoTime();
            transition(slot, ModelState.UNLOADED, reason);
            log.info("model '{}' stopped", slot.model.id());
            pump();
        } finally {
            unlock();
        }
    }

    private void transition(Slot slot, ModelState to, String reason) {
        ModelState from = slot.state;
        slot.state = to;
        starting = startsUnderWay();
        changed.signalAll();
        events.publish(new GatewayEvent.StateChanged(slot.model.id(), from, to, reason, Instant.now()));
    }

    private void unloadIdleModels() {
        lock.lock();
        try {
            Instant now = Instant.now();
            for (Slot slot : slots.values()) {
                Duration ttl = slot.model.ttl() != null ? slot.model.ttl() : config.idleTtl();
                if (slot.state == ModelState.READY
                        && slot.leases == 0
                        && !ttl.isZero()
                        && !wanted(slot)
                        && slot.lastUsed.plus(ttl).isBefore(now)) {
                    stop(slot, "idle for " + ttl.toSeconds() + "s");
                }
            }
        } finally {
            unlock();
        }
    }

    /** One model's runtime state; guarded by the manager's lock. */
    private static final class Slot {
        ModelDescriptor model;
        ModelState state = ModelState.UNLOADED;
        int leases;
        Instant lastUsed = Instant.EPOCH;
        LaunchSpec spec;
        ChildProcess child;
        Placement placement = Placement.cpu();
        LogBuffer output = new LogBuffer(LOG_LINES);
        CompletableFuture<Void> stopping;
        boolean sleepInProgress;
        boolean waking;
        boolean failed;
        String failure;
        Integer exitCode;
        long failedAt;
        double progress = -1;
        Map<String, Object> engineInfo = Map.of();
        long startedAt;
        Duration reloadCost = Duration.ofSeconds(10);

        Slot(ModelDescriptor model) {
            this.model = model;
        }

        boolean inBackoff(Duration backoff) {
            return System.nanoTime() - failedAt < backoff.toNanos();
        }

        ModelStatus status() {
            return new ModelStatus(
                    model,
                    state,
                    leases,
                    placement,
                    spec == null ? List.of() : spec.command(),
                    failed,
                    exitCode,
                    failure,
                    lastUsed.equals(Instant.EPOCH) ? null : lastUsed,
                    progress,
                    engineInfo);
        }
    }

    /** The requests waiting for one model: one queue entry however many they are. */
    private static final class Demand {
        final String modelId;
        final List<Waiter> waiters = new ArrayList<>();
        boolean started;

        Demand(String modelId) {
            this.modelId = modelId;
        }
    }

    private final class Waiter {
        final Demand demand;
        final CompletableFuture<Lease> future = new CompletableFuture<>();

        Waiter(Demand demand) {
            this.demand = demand;
        }

        /** Hands a lease over; if the client already left, the lease goes straight back. */
        void grant(Lease lease) {
            demand.waiters.remove(this);
            waiting--;
            completions.add(() -> {
                if (!future.complete(lease)) {
                    lease.close();
                }
            });
        }

        void fail(GatewayException error) {
            if (demand.waiters.remove(this)) {
                waiting--;
            }
            completions.add(() -> future.completeExceptionally(error));
        }
    }
}
