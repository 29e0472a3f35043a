package dev.switchboard.core;

import dev.switchboard.core.backend.BackendRegistry;
import dev.switchboard.core.catalog.internal.Catalog;
import dev.switchboard.core.event.EventBus;
import dev.switchboard.core.event.GatewayEvent;
import dev.switchboard.core.event.GatewayListener;
import dev.switchboard.core.forward.ClientGoneException;
import dev.switchboard.core.forward.HttpClients;
import dev.switchboard.core.forward.ProxyRequest;
import dev.switchboard.core.forward.ResponseSink;
import dev.switchboard.core.forward.internal.EngineUnreachableException;
import dev.switchboard.core.forward.internal.Forwarder;
import dev.switchboard.core.lifecycle.GpuUsage;
import dev.switchboard.core.lifecycle.Lease;
import dev.switchboard.core.lifecycle.ModelState;
import dev.switchboard.core.lifecycle.ModelStatus;
import dev.switchboard.core.lifecycle.SchedulerConfig;
import dev.switchboard.core.lifecycle.internal.ModelManager;
import dev.switchboard.core.lifecycle.internal.SchedulerClock;
import dev.switchboard.core.placement.GpuInventory;
import dev.switchboard.core.process.LogBuffer;
import dev.switchboard.core.process.internal.Supervisor;
import dev.switchboard.core.resilience.internal.ModelCircuitBreakers;
import dev.switchboard.core.spi.Backend;
import dev.switchboard.core.spi.BackendConfig;
import dev.switchboard.core.spi.BackendFactory;
import dev.switchboard.core.spi.LaunchContext;
import dev.switchboard.core.spi.LaunchSpec;
import dev.switchboard.core.spi.ModelDescriptor;
import dev.switchboard.core.spi.ModelPuller;
import dev.switchboard.core.spi.ModelSource;
import dev.switchboard.core.spi.Placement;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.io.IOException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway as a library: resolves model names, loads and evicts engines, leases them to requests
 * and relays requests to them. It needs no HTTP server: an embedder calls {@link #acquire} and
 * {@link #forward} from its own request handling. Thread-safe.
 *
 * <pre>{@code
 * try (Gateway gateway = Gateway.builder().config(config).build()) {
 *     try (Lease lease = gateway.acquire("qwen", true).join()) {
 *         gateway.forward(lease, request, sink);
 *     }
 * }
 * }</pre>
 */
public final class Gateway implements AutoCloseable {
    /** The least time between two download progress events of one file (llama.cpp's 100 ms). */
    public static final Duration PROGRESS_INTERVAL = Duration.ofMillis(100);

    private static final Logger log = LoggerFactory.getLogger(Gateway.class);

    private static final Map<String, String> KNOWN_JARS =
            Map.of("llamacpp", "backend-llamacpp", "vllm", "backend-vllm", "sglang", "backend-sglang");

    private final Catalog catalog;
    private final ConfiguredModels configured;
    private final Map<String, Backend> backends;
    private final ModelManager manager;
    private final Forwarder forwarder;
    private final ModelCircuitBreakers breakers;
    /**
     * Open leases whose request went to {@link #forward}, which reports the outcome their breaker
     * permission owes; any other lease gives its permission back when it is closed.
     */
    private final Set<Lease> forwarded = ConcurrentHashMap.newKeySet();

    private final EventBus events;
    private final Supervisor supervisor;
    /** The client that asks engines whether they are ready, built beside the start-up. */
    private final CompletableFuture<HttpClient> http;

    private final Thread shutdownHook;

    private Gateway(Builder builder) {
        BackendRegistry registry = builder.registry != null ? builder.registry : BackendRegistry.discover();
        this.backends = Collections.unmodifiableMap(createBackends(builder.config.backends(), registry));
        this.http = HttpClients.buildInBackground(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)));
        try {
            List<ModelSource> sources = new ArrayList<>();
            this.configured = new ConfiguredModels(builder.config.models(), backends.keySet());
            sources.add(configured);
            backends.values().forEach(backend -> sources.addAll(backend.sources()));
            this.catalog = new Catalog(sources);
            catalog.reload();
            this.events = new EventBus();
            this.breakers = new ModelCircuitBreakers(builder.config.resilience());
            breakers.onTransition((model, from, to) ->
                    events.publish(new GatewayEvent.CircuitChanged(model, from, to, Instant.now())));
            this.supervisor = new Supervisor();
            this.forwarder = new Forwarder();
            this.manager = new ModelManager(
                    backends,
                    supervisor,
                    http::join,
                    builder.config.scheduler(),
                    events,
                    builder.gatewayPort,
                    builder.gpus,
                    SchedulerClock.system(),
                    breakers::startFailed,
                    forwarder::closeIdle);
        } catch (RuntimeException e) {
            // a half-built gateway closes what it opened: nobody else holds it
            backends.values().forEach(Backend::close);
            http.thenAccept(HttpClient::close);
            throw e;
        }
        if (builder.shutdownHook) {
            shutdownHook = new Thread(this::close, "switchboard-shutdown");
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        } else {
            shutdownHook = null;
        }
        manager.estimateInBackground(List.copyOf(catalog.all()));
        if (!catalog.all().isEmpty()) {
            supervisor.prepare(); // a guard for the first engine, started while nothing waits for it
        }
        for (ModelDescriptor model : catalog.all()) {
            if (model.loadOnStartup()) {
                manager.load(model).exceptionally(error -> {
                    log.warn("model '{}' did not load at start-up: {}", model.id(), error.getMessage());
                    return null;
                });
            }
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The model with this id or alias.
     *
     * @throws GatewayException 404 when no model has this name
     */
    public ModelDescriptor resolve(String name) {
        return catalog.resolve(name).orElseThrow(() -> GatewayException.modelNotFound(name));
    }

    /**
     * Leases a model for one request, loading it first when needed (see {@link
     * ModelManager#acquire}). The future fails with a {@link GatewayException}; cancel it if the
     * client goes away while it waits.
     *
     * @param autoload whether an unloaded model may be loaded for this request: usually {@link
     *     SchedulerConfig#autoload()}, which a request may override (llama.cpp's {@code
     *     ?autoload=true} loads a model even when the router runs with {@code --no-models-autoload})
     */
    public CompletableFuture<Lease> acquire(String name, boolean autoload) {
        return acquire(name, autoload, new LinkedHashSet<>());
    }

    /**
     * Acquires, and when the model cannot serve (its start failed, its breaker is open, it does not
     * fit, or it waited too long) and it names a {@linkplain ModelDescriptor#fallback() fallback} model, acquires
     * that one instead; all before any byte goes to the client. Fallbacks may chain; a cycle stops.
     */
    private CompletableFuture<Lease> acquire(String name, boolean autoload, Set<String> tried) {
        ModelDescriptor model;
        try {
            model = resolve(name);
        } catch (GatewayException e) {
            return CompletableFuture.failedFuture(e);
        }
        tried.add(model.id());
        CompletableFuture<Lease> lease;
        try {
            breakers.acquirePermission(model.id());
            lease = manager.acquire(model, autoload);
            // a failed start is counted once by the manager; every other failure to get a lease
            // says nothing about the model: the permission goes back, as it does when the lease
            // is released without a forward having reported an outcome (the client left first)
            lease.whenComplete((granted, error) -> {
                if (error != null) {
                    breakers.release(model.id());
                } else {
                    // the holder may forward before this runs: whichever comes first, one outcome
                    granted.whenClosed(() -> {
                        if (!forwarded.remove(granted)) {
                            breakers.release(model.id());
                        }
                    });
                }
            });
        } catch (GatewayException e) {
            lease = CompletableFuture.failedFuture(e);
        }
        String fallback = model.fallback();
        if (fallback == null) {
            return lease;
        }
        AtomicReference<CompletableFuture<Lease>> current = new AtomicReference<>(lease);
        CompletableFuture<Lease> result = lease.exceptionallyCompose(error -> {
            Throwable cause = error instanceof CompletionException ? error.getCause() : error;
            if (cause instanceof GatewayException e && canFallBack(e) && !tried.contains(fallback)) {
                log.warn("model '{}' cannot serve ({}); falling back to '{}'", model.id(), e.getMessage(), fallback);
                current.set(acquire(fallback, autoload, tried));
                return current.get();
            }
            return CompletableFuture.failedFuture(cause);
        });
        // a client that goes away takes its request out of whichever queue it waits in
        result.whenComplete((granted, error) -> {
            if (result.isCancelled()) {
                current.get().cancel(true);
                current.get().thenAccept(Lease::close); // granted just before the cancel: nobody holds it
            }
        });
        return result;
    }

    /** Failures of the model itself or of waiting for it; not the client's mistakes. */
    private static boolean canFallBack(GatewayException e) {
        return e.status() == 429 || ModelCircuitBreakers.isFailure(e.status());
    }

    /**
     * Relays a request to the leased engine (see {@link Forwarder#forward}) and reports its outcome
     * to the model's circuit breaker, timed from the first byte sent to the engine. An engine that
     * died between its readiness and this request (it refused the request, and has exited) is
     * restarted and the request sent once more: nothing had reached the client. A request is never
     * sent again once the engine has answered.
     *
     * @throws GatewayException 502 when the engine cannot be reached, or the error of the restart
     */
    public void forward(Lease lease, ProxyRequest request, ResponseSink sink) throws IOException, InterruptedException {
        forwarded.add(lease); // this request reports the outcome its permission owes
        long started = System.nanoTime();
        try {
            relay(lease, request, sink);
        } catch (EngineUnreachableException e) {
            Optional<CompletableFuture<Lease>> restart = manager.restartDeadEngine(lease);
            if (restart.isEmpty()) {
                throw unreachable(lease, started, e);
            }
            try (Lease restarted = awaitRestart(lease, restart.get(), sink)) {
                started = System.nanoTime();
                relay(restarted, request, sink);
            } catch (EngineUnreachableException again) {
                throw unreachable(lease, started, again); // restarted once: no more
            }
        }
    }

    /** One exchange with the engine, its outcome reported, except an engine that was not reached. */
    private void relay(Lease lease, ProxyRequest request, ResponseSink sink) throws IOException, InterruptedException {
        String model = lease.model().id();
        long started = System.nanoTime();
        try {
            int status = forwarder.forward(lease, request, sink);
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            if (ModelCircuitBreakers.isFailure(status)) {
                breakers.failure(model, took, new IOException("engine answered " + status));
            } else {
                breakers.success(model, took);
            }
        } catch (EngineUnreachableException e) {
            throw e; // the caller decides: a restart, or a failure
        } catch (ClientGoneException | InterruptedException e) {
            breakers.release(model); // the client's doing, not the model's
            throw e;
        } catch (GatewayException e) {
            // a 4xx comes from the client's streamed body (too large, cut off), not from the model
            if (ModelCircuitBreakers.isFailure(e.status())) {
                breakers.failure(model, Duration.ofNanos(System.nanoTime() - started), e);
            } else {
                breakers.release(model);
            }
            throw e;
        } catch (IOException e) {
            breakers.failure(model, Duration.ofNanos(System.nanoTime() - started), e);
            throw e;
        }
    }

    private GatewayException unreachable(Lease lease, long started, EngineUnreachableException e) {
        breakers.failure(lease.model().id(), Duration.ofNanos(System.nanoTime() - started), e);
        return GatewayException.badGateway(e.getMessage());
    }

    /**
     * Waits for the restarted engine's lease, as a queued request waits. A failed restart was
     * counted by the manager, once: this request's permission goes back.
     */
    private Lease awaitRestart(Lease dead, CompletableFuture<Lease> restart, ResponseSink sink)
            throws ClientGoneException, InterruptedException {
        String model = dead.model().id();
        Runnable unwatch = sink.watchClient(() -> restart.cancel(false));
        try {
            return restart.get();
        } catch (CancellationException e) {
            breakers.release(model);
            throw new ClientGoneException(new IOException("the client left while its engine restarted"));
        } catch (ExecutionException e) {
            breakers.release(model);
            throw e.getCause() instanceof GatewayException failure
                    ? failure
                    : GatewayException.startFailed("model '" + model + "' could not restart: " + e.getCause());
        } catch (InterruptedException e) {
            restart.cancel(false);
            breakers.release(model);
            throw e;
        } finally {
            unwatch.run();
        }
    }

    /** The state of a model's circuit breaker: {@code CLOSED}, {@code OPEN}, {@code HALF_OPEN}... */
    public CircuitBreaker.State circuitState(String name) {
        return breakers.state(resolve(name).id());
    }

    /** Every listed model with its runtime status, in catalog order. */
    public List<ModelStatus> models() {
        Map<String, ModelStatus> statuses = manager.statuses();
        return catalog.listed().stream()
                .map(model -> withCircuit(withCommand(statuses.getOrDefault(model.id(), unloaded(model)))))
                .toList();
    }

    /**
     * The status with the command its engine would run when it has never run, as llama.cpp's router
     * lists a model before its first load: the backend's launch on the CPU with port 0.
     */
    private ModelStatus withCommand(ModelStatus status) {
        Backend backend = backends.get(status.model().backend());
        if (!status.args().isEmpty() || backend == null) {
            return status;
        }
        try {
            return status.withArgs(backend.launch(status.model(), Placement.cpu(), new LaunchContext(0, 0))
                    .command());
        } catch (RuntimeException e) {
            return status; // a backend that cannot say before it starts (a missing file, say)
        }
    }

    /** One model's status, by id or alias. */
    public ModelStatus status(String name) {
        ModelDescriptor model = resolve(name);
        return withCircuit(withCommand(manager.status(model.id()).orElse(unloaded(model))));
    }

    /** Loads a model without a request; completes when it is ready. */
    public CompletableFuture<Void> load(String name) {
        return manager.load(resolve(name));
    }

    /** Unloads a model after in-flight requests drain; completes when its engine has exited. */
    public CompletableFuture<Void> unload(String name) {
        return manager.unload(resolve(name).id(), "unload requested");
    }

    /**
     * Puts an idle ready model to sleep in its engine's warm tier (vLLM sleep mode, SGLang memory
     * release) on demand: its GPU memory is freed, its engine process kept, and the next request
     * wakes it, much faster than a cold start.
     *
     * @return completes once it sleeps
     * @throws GatewayException 400 when its backend offers no warm tier for it, 409 when it is not
     *     ready or is serving requests
     */
    public CompletableFuture<Void> sleep(String name) {
        return manager.sleep(resolve(name), "sleep requested");
    }

    /** Whether the model can sleep in its engine's warm tier instead of stopping. */
    public boolean hasWarmTier(String name) {
        ModelDescriptor model = resolve(name);
        Backend backend = backends.get(model.backend());
        return backend != null && backend.warmTier(model).isPresent();
    }

    /**
     * How a ready model's engine process was launched (where it listens, the headers it expects),
     * to read the engine's own state, its metrics say; empty when it is not ready or is a remote
     * upstream.
     */
    public Optional<LaunchSpec> engine(String name) {
        return manager.engine(resolve(name).id());
    }

    /**
     * Downloads a model with the first backend that can (see {@link ModelPuller}), off the caller's
     * thread, publishing {@link GatewayEvent.DownloadProgress} events (a file's first and last, and
     * between them at most one per {@link #PROGRESS_INTERVAL}, as llama.cpp throttles them); once
     * done, the sources are rescanned so the model is listed.
     *
     * @return completes with the id the model is listed under
     * @throws GatewayException 400 when the reference is malformed, 501 when no backend can download
     *     models
     */
    public CompletableFuture<String> pull(String reference) {
        ModelPuller puller = puller();
        try {
            puller.validate(reference);
        } catch (ModelPuller.PullException e) {
            throw refused(e);
        }
        CompletableFuture<String> done = new CompletableFuture<>();
        Map<String, Long> lastSent = new HashMap<>(); // per file, only touched by the pull's thread
        Thread.ofVirtual().name("pull-" + reference).start(() -> {
            try {
                String id = puller.pull(reference, (file, bytes, total) -> {
                    long now = System.nanoTime();
                    Long last = lastSent.get(file);
                    if (last == null || bytes >= total || now - last >= PROGRESS_INTERVAL.toNanos()) {
                        lastSent.put(file, now);
                        events.publish(new GatewayEvent.DownloadProgress(reference, file, bytes, total, Instant.now()));
                    }
                });
                catalog.reload();
                events.publish(new GatewayEvent.DownloadFinished(reference, id, Instant.now()));
                done.complete(id);
            } catch (IOException | RuntimeException e) {
                events.publish(new GatewayEvent.DownloadFailed(reference, e.getMessage(), Instant.now()));
                int status = e instanceof ModelPuller.PullException pull ? pull.status() : 502;
                done.completeExceptionally(new GatewayException(
                        status, status == 404 ? "not_found_error" : "server_error", e.getMessage()));
            }
        });
        return done;
    }

    /**
     * Removes a downloaded model that is not loaded, then rescans the sources.
     *
     * @throws GatewayException 400 when it is loaded or the reference is malformed, 404 when there was
     *     nothing to remove
     */
    public void deleteDownload(String reference) throws IOException {
        catalog.resolve(reference).ifPresent(model -> {
            if (manager.status(model.id())
                    .map(status -> status.state().holdsEngine())
                    .orElse(false)) {
                throw GatewayException.invalidRequest("model '" + reference + "' is loaded; unload it first");
            }
        });
        boolean deleted;
        try {
            deleted = puller().delete(reference);
        } catch (ModelPuller.PullException e) {
            throw refused(e);
        }
        if (!deleted) {
            throw GatewayException.modelNotFound(reference);
        }
        catalog.reload();
    }

    private static GatewayException refused(ModelPuller.PullException e) {
        int status = e.status();
        String type = status == 404 ? "not_found_error" : status < 500 ? "invalid_request_error" : "server_error";
        return new GatewayException(status, type, e.getMessage());
    }

    private ModelPuller puller() {
        return backends.values().stream()
                .flatMap(backend -> backend.puller().stream())
                .findFirst()
                .orElseThrow(() -> new GatewayException(501, "not_supported_error", "no backend can download models"));
    }

    /**
     * Replaces the models declared in configuration, as a configuration reload does: added models
     * appear, removed ones are unloaded, and changed ones (any difference in their declaration) are
     * unloaded once their requests drain, so their next request starts them as now declared.
     * Unchanged models keep running. Each difference is published as a {@link
     * GatewayEvent.ConfigChanged}.
     *
     * @return the ids added, changed and removed
     * @throws IllegalArgumentException when a model names a backend that is not configured; nothing
     *     changes then
     */
    public ModelChanges redeclare(List<ModelDescriptor> models) {
        Map<String, ModelDescriptor> before = new LinkedHashMap<>();
        configured.models().forEach(model -> before.put(model.id(), model));
        Map<String, ModelDescriptor> after = new LinkedHashMap<>();
        models.forEach(model -> after.put(model.id(), model));
        configured.replace(models);
        catalog.reload();
        List<String> added = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        after.forEach((id, model) -> {
            if (!before.containsKey(id)) {
                added.add(id);
            } else if (!before.get(id).equals(model)) {
                changed.add(id);
            }
        });
        before.keySet().stream().filter(id -> !after.containsKey(id)).forEach(removed::add);
        changed.forEach(id -> unloadForReload(id, "configuration changed"));
        removed.forEach(id -> unloadForReload(id, "removed from configuration"));
        Instant now = Instant.now();
        added.forEach(id -> events.publish(new GatewayEvent.ConfigChanged(id, "added", now)));
        changed.forEach(id -> events.publish(new GatewayEvent.ConfigChanged(id, "changed", now)));
        removed.forEach(id -> events.publish(new GatewayEvent.ConfigChanged(id, "removed", now)));
        return new ModelChanges(added, changed, removed);
    }

    /** What {@link #redeclare} changed, as model ids. */
    public record ModelChanges(List<String> added, List<String> changed, List<String> removed) {
        public ModelChanges {
            added = List.copyOf(added);
            changed = List.copyOf(changed);
            removed = List.copyOf(removed);
        }
    }

    private void unloadForReload(String id, String reason) {
        boolean running = manager.status(id)
                .map(status -> status.state() == ModelState.READY || status.state() == ModelState.SLEEPING)
                .orElse(false);
        if (running) {
            manager.unload(id, reason).exceptionally(error -> {
                log.warn("model '{}' was not unloaded after a reload: {}", id, error.getMessage());
                return null;
            });
        }
    }

    /** Rescans every model source. */
    public void reload() {
        catalog.reload();
    }

    /**
     * Publishes an event from a component beside the gateway (the tools module's calls), so that
     * listeners and the events stream see it with the gateway's own.
     */
    public void publish(GatewayEvent.ToolCalled event) {
        events.publish(event);
    }

    /** Adds a listener for model events; closing the handle removes it. */
    public AutoCloseable subscribe(GatewayListener listener) {
        return events.subscribe(listener);
    }

    /** The output of a model's engine (current or last run). */
    public Optional<LogBuffer> logs(String name) {
        return manager.logs(resolve(name).id());
    }

    /** GPUs with the memory the gateway's models hold. */
    public List<GpuUsage> gpus() {
        return manager.gpuUsage();
    }

    public SchedulerConfig scheduler() {
        return manager.config();
    }

    /** The configured backends by name, in configuration order; read-only. */
    public Map<String, Backend> backends() {
        return backends;
    }

    /** Stops every engine (in-flight requests get the stop timeout to finish). Idempotent. */
    @Override
    public void close() {
        manager.close();
        supervisor.close();
        events.close();
        backends.values().forEach(Backend::close);
        forwarder.close();
        http.thenAccept(HttpClient::close);
        if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException e) {
                // the JVM is already shutting down: the hook runs close() again, harmlessly
            }
        }
    }

    private ModelStatus withCircuit(ModelStatus status) {
        return status.withCircuit(breakers.state(status.model().id()).name().toLowerCase(java.util.Locale.ROOT));
    }

    private static ModelStatus unloaded(ModelDescriptor model) {
        return new ModelStatus(
                model,
                ModelState.UNLOADED,
                0,
                Placement.cpu(),
                List.of(),
                false,
                null,
                null,
                List.of(),
                null,
                -1,
                Map.of(),
                "closed");
    }

    /** Creates every configured backend; when one cannot be, closes those already created. */
    private static Map<String, Backend> createBackends(List<BackendConfig> configs, BackendRegistry registry) {
        Map<String, Backend> created = new LinkedHashMap<>();
        try {
            for (BackendConfig config : configs) {
                BackendFactory factory = registry.factory(config.type())
                        .orElseThrow(() -> new IllegalArgumentException("backend '" + config.name() + "' has type '"
                                + config.type() + "', which no jar on the classpath provides; add "
                                + KNOWN_JARS.getOrDefault(config.type(), "a jar providing it")
                                + " to the classpath (available types: " + registry.types() + ")"));
                Backend backend = factory.create(config);
                if (created.putIfAbsent(config.name(), backend) != null) {
                    backend.close();
                    throw new IllegalArgumentException("backend name '" + config.name() + "' is used twice");
                }
            }
        } catch (RuntimeException e) {
            created.values().forEach(Backend::close);
            throw e;
        }
        return created;
    }

    /** Builds a {@link Gateway}. */
    public static final class Builder {
        private GatewayConfig config = new GatewayConfig(SchedulerConfig.ofDefaults(), List.of(), List.of());
        private BackendRegistry registry;
        private GpuInventory gpus = GpuInventory.none();
        private IntSupplier gatewayPort = () -> 0;
        private boolean shutdownHook = true;

        private Builder() {}

        public Builder config(GatewayConfig value) {
            this.config = value;
            return this;
        }

        /** The backend types to use; by default those found with {@link java.util.ServiceLoader}. */
        public Builder registry(BackendRegistry value) {
            this.registry = value;
            return this;
        }

        /** Where GPU memory is read from; by default there are no GPUs. */
        public Builder gpus(GpuInventory value) {
            this.gpus = value;
            return this;
        }

        /** The gateway's HTTP port, passed to llama.cpp children; 0 without an HTTP server. */
        public Builder gatewayPort(IntSupplier value) {
            this.gatewayPort = value;
            return this;
        }

        /** Whether a JVM shutdown hook closes the gateway (default true). */
        public Builder shutdownHook(boolean value) {
            this.shutdownHook = value;
            return this;
        }

        /**
         * Creates the backends, scans the model sources and starts the models marked to load at
         * start-up.
         *
         * @throws IllegalArgumentException when a backend type is missing or misconfigured
         */
        public Gateway build() {
            return new Gateway(this);
        }
    }
}
