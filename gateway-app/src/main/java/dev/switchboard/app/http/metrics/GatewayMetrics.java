package dev.switchboard.app.http.metrics;

import dev.switchboard.app.activity.ActivityEvent;
import dev.switchboard.app.activity.ActivityLog;
import dev.switchboard.app.activity.RequestRecord;
import dev.switchboard.core.Gateway;
import dev.switchboard.core.event.GatewayEvent;
import dev.switchboard.core.lifecycle.GpuUsage;
import dev.switchboard.core.lifecycle.ModelState;
import dev.switchboard.core.lifecycle.ModelStatus;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.DoubleSummaryStatistics;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's Prometheus metrics, in Prometheus names (docs/observability.md lists them all):
 *
 * <ul>
 *   <li>requests: {@code switchboard_requests_total{model,route,status}} (a name no model has is
 *       counted as {@code model="unknown"}), {@code switchboard_request_duration_seconds},
 *       {@code switchboard_time_to_first_byte_seconds}, {@code switchboard_time_to_first_token_seconds},
 *       {@code switchboard_queue_wait_seconds} (histograms with buckets);
 *   <li>tokens from the engines' {@code usage}: {@code switchboard_prompt_tokens_total}, {@code
 *       switchboard_completion_tokens_total}, {@code switchboard_tokens_per_second};
 *   <li>models: {@code switchboard_model_starts_total}, {@code switchboard_model_load_duration_seconds},
 *       {@code switchboard_model_stops_total}, {@code switchboard_model_failures_total}, {@code
 *       switchboard_model_evictions_total{model,reason}}, {@code switchboard_model_state{model,state}},
 *       {@code switchboard_models_loaded};
 *   <li>circuit breakers: {@code switchboard_model_circuit_state{model,state}} (1 for the state each
 *       breaker is in, 0 for the others, as {@code resilience4j_circuitbreaker_state}) and {@code
 *       switchboard_model_circuit_transitions_total{model,to}};
 *   <li>what an inference gateway routes on (the Gateway API Inference Extension's model-server
 *       protocol): {@code switchboard_num_requests_waiting} and {@code switchboard_num_requests_running},
 *       per node and per {@code model}; {@code switchboard_model_kv_cache_utilization{model}} from the
 *       engines' own metrics (read at each scrape through a 1 s cache, see {@link KvCacheReadings})
 *       and {@code switchboard_kv_cache_utilization{stat="max"|"avg"}} over them;
 *   <li>GPUs: {@code switchboard_gpu_memory_{total,used,reserved}_bytes{gpu}};
 *   <li>the JVM and the process ({@code jvm_*}, {@code process_*}, {@code system_*}).
 * </ul>
 */
public final class GatewayMetrics implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GatewayMetrics.class);
    private static final String UNKNOWN_MODEL = "unknown";
    private static final Duration[] LATENCY_BUCKETS =
            buckets(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300);
    private static final double[] RATE_BUCKETS = {1, 5, 10, 20, 50, 100, 200, 500, 1000};

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Gateway gateway;
    private final ActivityLog activity;
    private final List<AutoCloseable> subscriptions = new ArrayList<>();
    private final Map<String, Instant> startsAt = new ConcurrentHashMap<>();
    private final Map<List<String>, Meter> requestMeters = new ConcurrentHashMap<>();
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final KvCacheReadings kvCacheReadings = new KvCacheReadings(System::nanoTime);
    private MultiGauge gpuTotal;
    private MultiGauge gpuUsed;
    private MultiGauge gpuReserved;
    /** Refreshes the per-model and per-GPU rows; run at every scrape. */
    private Runnable refresh = () -> {};

    /** Starts counting the gateway's requests and model events. */
    public GatewayMetrics(Gateway gateway, ActivityLog activity) {
        this.gateway = gateway;
        this.activity = activity;
        Gauge.builder("switchboard.models.loaded", gateway, GatewayMetrics::loaded)
                .description("models whose engine is running (starting, ready, sleeping or stopping)")
                .register(registry);
        Gauge.builder("switchboard.requests.waiting", activity, ActivityLog::waiting)
                .description("requests waiting for their model to be ready")
                .register(registry);
        Gauge.builder("switchboard.num.requests.waiting", activity, ActivityLog::waiting)
                .description("requests queued on this node (Inference Extension TotalQueuedRequests)")
                .register(registry);
        Gauge.builder("switchboard.num.requests.running", gateway, GatewayMetrics::running)
                .description("requests being served on this node (Inference Extension TotalRunningRequests)")
                .register(registry);
        gpuGauges();
        perModelGauges();
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        gc.bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        subscriptions.add(gateway.subscribe(this::onEvent));
        subscriptions.add(activity.subscribe(this::onActivity));
    }

    /** Per-model gauges, read from the gateway's model list at every scrape. */
    private void perModelGauges() {
        MultiGauge waiting = MultiGauge.builder("switchboard.model.requests.waiting")
                .description("requests waiting for this model to be ready")
                .register(registry);
        MultiGauge running = MultiGauge.builder("switchboard.model.requests.running")
                .description("requests this model is serving now")
                .register(registry);
        MultiGauge state = MultiGauge.builder("switchboard.model.state")
                .description("1 for the state each model is in (unloaded, starting, ready, sleeping, stopping, failed)")
                .register(registry);
        MultiGauge kvCache = MultiGauge.builder("switchboard.model.kv.cache.utilization")
                .description("KV-cache utilisation (0 to 1) the model's engine reports on its own /metrics"
                        + " (Inference Extension KVCacheUtilization), for ready engines that report it")
                .register(registry);
        MultiGauge nodeKvCache = MultiGauge.builder("switchboard.kv.cache.utilization")
                .description("KV-cache utilisation (0 to 1) over the ready engines that report it: the highest"
                        + " (stat=max) and the mean (stat=avg)")
                .register(registry);
        MultiGauge circuit = MultiGauge.builder("switchboard.model.circuit.state")
                .description("1 for the state each model's circuit breaker is in (closed, open, half_open, ...),"
                        + " 0 for the others, as resilience4j_circuitbreaker_state")
                .register(registry);
        this.refresh = () -> {
            List<ModelStatus> models = gateway.models();
            waiting.register(
                    models.stream()
                            .map(m -> MultiGauge.Row.of(
                                    Tags.of("model", m.model().id()),
                                    activity.waiting(m.model().id())))
                            .toList(),
                    true);
            running.register(
                    models.stream()
                            .map(m ->
                                    MultiGauge.Row.of(Tags.of("model", m.model().id()), m.inFlight()))
                            .toList(),
                    true);
            List<MultiGauge.Row<?>> rows = new ArrayList<>();
            for (ModelStatus m : models) {
                for (ModelState s : ModelState.values()) {
                    rows.add(MultiGauge.Row.of(
                            Tags.of("model", m.model().id(), "state", lower(s)), m.state() == s ? 1 : 0));
                }
            }
            state.register(rows, true);
            circuit.register(circuitRows(models), true);
            Map<String, Double> kv = kvCacheReadings.read(engines(models));
            kvCache.register(
                    kv.entrySet().stream()
                            .<MultiGauge.Row<?>>map(e -> MultiGauge.Row.of(Tags.of("model", e.getKey()), e.getValue()))
                            .toList(),
                    true);
            DoubleSummaryStatistics node =
                    kv.values().stream().mapToDouble(Double::doubleValue).summaryStatistics();
            nodeKvCache.register(
                    kv.isEmpty()
                            ? List.of()
                            : List.of(
                                    MultiGauge.Row.of(Tags.of("stat", "max"), node.getMax()),
                                    MultiGauge.Row.of(Tags.of("stat", "avg"), node.getAverage())),
                    true);
            List<GpuUsage> gpus = gateway.gpus();
            gpuTotal.register(gpuRows(gpus, u -> u.gpu().totalBytes()), true);
            gpuUsed.register(gpuRows(gpus, u -> u.gpu().usedBytes()), true);
            gpuReserved.register(gpuRows(gpus, GpuUsage::reservedBytes), true);
        };
    }

    /** The engines of the ready models, to read their KV-cache utilisation from. */
    private List<KvCacheReadings.Engine> engines(List<ModelStatus> models) {
        return models.stream()
                .filter(m -> m.state() == ModelState.READY)
                .flatMap(m -> gateway
                        .engine(m.model().id())
                        .map(spec -> new KvCacheReadings.Engine(m.model().id(), spec.baseUri(), spec.requestHeaders()))
                        .stream())
                .toList();
    }

    /** One row per model and breaker state, 1 for the state it is in, as resilience4j-micrometer has them. */
    private static List<MultiGauge.Row<?>> circuitRows(List<ModelStatus> models) {
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        for (ModelStatus m : models) {
            for (CircuitBreaker.State s : CircuitBreaker.State.values()) {
                String name = s.name().toLowerCase(Locale.ROOT);
                rows.add(MultiGauge.Row.of(
                        Tags.of("model", m.model().id(), "state", name), name.equals(m.circuit()) ? 1 : 0));
            }
        }
        return rows;
    }

    private void gpuGauges() {
        gpuTotal = MultiGauge.builder("switchboard.gpu.memory.total")
                .baseUnit("bytes")
                .description("the GPU's memory")
                .register(registry);
        gpuUsed = MultiGauge.builder("switchboard.gpu.memory.used")
                .baseUnit("bytes")
                .description("memory the GPU reports in use (by any process)")
                .register(registry);
        gpuReserved = MultiGauge.builder("switchboard.gpu.memory.reserved")
                .baseUnit("bytes")
                .description("memory the gateway's models are placed to take on the GPU")
                .register(registry);
    }

    private static List<MultiGauge.Row<?>> gpuRows(
            List<GpuUsage> gpus, java.util.function.ToLongFunction<GpuUsage> value) {
        return gpus.stream()
                .<MultiGauge.Row<?>>map(u -> MultiGauge.Row.of(
                        Tags.of(
                                "gpu",
                                Integer.toString(u.gpu().index()),
                                "name",
                                u.gpu().name()),
                        value.applyAsLong(u)))
                .toList();
    }

    /** The metrics in the Prometheus text exposition format. */
    public String scrape() {
        try {
            refresh.run();
        } catch (RuntimeException e) {
            log.warn("reading model and GPU gauges failed", e);
        }
        return registry.scrape();
    }

    /** Stops listening to gateway events. */
    @Override
    public void close() {
        for (AutoCloseable subscription : subscriptions) {
            try {
                subscription.close();
            } catch (Exception e) {
                log.warn("unsubscribing metrics failed", e);
            }
        }
        gc.close();
        kvCacheReadings.close();
        registry.close();
    }

    private void onActivity(ActivityEvent event) {
        if (!(event instanceof ActivityEvent.Finished finished)) {
            return;
        }
        RequestRecord r = finished.request();
        String model = r.known() ? r.model() : UNKNOWN_MODEL;
        String status = Integer.toString(r.status());
        meter(
                        List.of("switchboard.requests", model, r.route(), status),
                        () -> Counter.builder("switchboard.requests")
                                .description("requests for a model, by route and HTTP status (499: the client left)")
                                .tags("model", model, "route", r.route(), "status", status)
                                .register(registry))
                .increment();
        if (!r.known()) {
            return;
        }
        timer("switchboard.request.duration", "time from a request's arrival to the end of its answer", model)
                .record(millis(r.durationMillis()));
        timer("switchboard.queue.wait", "time a request waited for its model to be ready (loading included)", model)
                .record(millis(r.queueMillis()));
        if (r.firstByteMillis() >= 0) {
            timer("switchboard.time.to.first.byte", "time from a request's arrival to its answer's first byte", model)
                    .record(millis(r.firstByteMillis()));
        }
        if (r.firstTokenMillis() >= 0) {
            timer(
                            "switchboard.time.to.first.token",
                            "time from a streamed request's arrival to its first generated text",
                            model)
                    .record(millis(r.firstTokenMillis()));
        }
        if (r.promptTokens() >= 0) {
            counter("switchboard.prompt.tokens", "prompt tokens, as the engines' usage reports them", model)
                    .increment(r.promptTokens());
        }
        if (r.completionTokens() >= 0) {
            counter("switchboard.completion.tokens", "generated tokens, as the engines' usage reports them", model)
                    .increment(r.completionTokens());
        }
        if (r.tokensPerSecond() > 0) {
            meter(
                            List.of("switchboard.tokens.per.second", model),
                            () -> DistributionSummary.builder("switchboard.tokens.per.second")
                                    .description(
                                            "generation speed of each request with usage: completion tokens per second")
                                    .tags("model", model)
                                    .serviceLevelObjectives(RATE_BUCKETS)
                                    .register(registry))
                    .record(r.tokensPerSecond());
        }
    }

    private Timer timer(String name, String description, String model) {
        return meter(
                List.of(name, model),
                () -> Timer.builder(name)
                        .description(description)
                        .tags("model", model)
                        .serviceLevelObjectives(LATENCY_BUCKETS)
                        .register(registry));
    }

    /**
     * The meter for {@code key} (its name and tag values), registered at its first use and then kept:
     * a meter's builder costs a request more than what the meter records.
     */
    @SuppressWarnings("unchecked")
    private <M extends Meter> M meter(List<String> key, Supplier<M> register) {
        return (M) requestMeters.computeIfAbsent(key, k -> register.get());
    }

    private void onEvent(GatewayEvent event) {
        if (event instanceof GatewayEvent.CircuitChanged circuit) {
            Counter.builder("switchboard.model.circuit.transitions")
                    .description("Circuit breaker state changes, by the state entered")
                    .tags("model", circuit.model(), "to", circuit.to().name().toLowerCase(java.util.Locale.ROOT))
                    .register(registry)
                    .increment();
            return;
        }
        if (!(event instanceof GatewayEvent.StateChanged change)) {
            return;
        }
        String model = change.model();
        if (change.to() == ModelState.STARTING) {
            startsAt.put(model, change.at());
        } else if (change.to() == ModelState.READY && change.from() == ModelState.STARTING) {
            count("switchboard.model.starts", "engine starts that reached ready", model);
            Instant started = startsAt.remove(model);
            if (started != null) {
                Timer.builder("switchboard.model.load.duration")
                        .description("time from starting an engine to its being ready")
                        .tags("model", model)
                        .serviceLevelObjectives(LATENCY_BUCKETS)
                        .register(registry)
                        .record(Duration.between(started, change.at()));
            }
        } else if (change.to() == ModelState.FAILED) {
            startsAt.remove(model);
            count("switchboard.model.failures", "engine starts that failed and engines that crashed", model);
        } else if (change.to() == ModelState.UNLOADED) {
            count("switchboard.model.stops", "engines stopped", model);
        }
        if (change.to() == ModelState.STOPPING || change.to() == ModelState.SLEEPING) {
            Counter.builder("switchboard.model.evictions")
                    .description("models taken out of service, by reason: capacity (for another model),"
                            + " idle (ttl), requested, sleep, shutdown, other")
                    .tags("model", model, "reason", evictionReason(change))
                    .register(registry)
                    .increment();
        }
    }

    /** The reason in a few fixed words: the gateway's sentence names models and seconds. */
    static String evictionReason(GatewayEvent.StateChanged change) {
        String reason = change.reason() == null ? "" : change.reason().toLowerCase(Locale.ROOT);
        if (change.to() == ModelState.SLEEPING) {
            return "sleep";
        }
        if (reason.startsWith("evict") || reason.startsWith("swapped")) {
            return "capacity";
        }
        if (reason.startsWith("idle")) {
            return "idle";
        }
        if (reason.contains("requested")) {
            return "requested";
        }
        if (reason.contains("shut")) {
            return "shutdown";
        }
        return "other";
    }

    private void count(String name, String description, String model) {
        counter(name, description, model).increment();
    }

    private Counter counter(String name, String description, String model) {
        return meter(
                List.of(name, model),
                () -> Counter.builder(name)
                        .description(description)
                        .tags("model", model)
                        .register(registry));
    }

    private static double loaded(Gateway gateway) {
        return gateway.models().stream().filter(s -> s.state().holdsEngine()).count();
    }

    private static double running(Gateway gateway) {
        return gateway.models().stream().mapToInt(ModelStatus::inFlight).sum();
    }

    private static String lower(ModelState state) {
        return state.name().toLowerCase(Locale.ROOT);
    }

    private static Duration millis(double value) {
        return Duration.ofNanos((long) (value * 1e6));
    }

    private static Duration[] buckets(double... seconds) {
        Duration[] buckets = new Duration[seconds.length];
        for (int i = 0; i < seconds.length; i++) {
            buckets[i] = Duration.ofNanos((long) (seconds[i] * 1e9));
        }
        return buckets;
    }
}
