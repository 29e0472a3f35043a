package dev.switchboard.app.http.metrics;

import dev.switchboard.core.Gateway;
import dev.switchboard.core.event.GatewayEvent;
import dev.switchboard.core.lifecycle.ModelState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's Prometheus metrics: proxied requests by model and status with their duration,
 * model starts, stops and failures (from gateway events), models loaded and requests waiting for a
 * model. Names in Prometheus form:
 *
 * <ul>
 *   <li>{@code switchboard_requests_total{model,status}}
 *   <li>{@code switchboard_request_duration_seconds{model}} (count, sum, max)
 *   <li>{@code switchboard_model_starts_total{model}}, {@code switchboard_model_stops_total{model}},
 *       {@code switchboard_model_failures_total{model}}
 *   <li>{@code switchboard_models_loaded}, {@code switchboard_requests_waiting}
 * </ul>
 */
public final class GatewayMetrics implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GatewayMetrics.class);

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final AtomicInteger waiting = new AtomicInteger();
    private final AutoCloseable subscription;

    /** Starts counting the gateway's model events. */
    public GatewayMetrics(Gateway gateway) {
        Gauge.builder("switchboard.models.loaded", gateway, GatewayMetrics::loaded)
                .description("models whose engine is running (starting, ready, sleeping or stopping)")
                .register(registry);
        Gauge.builder("switchboard.requests.waiting", waiting, AtomicInteger::get)
                .description("requests waiting for their model to be ready")
                .register(registry);
        this.subscription = gateway.subscribe(this::onEvent);
    }

    /** Counts one proxied request and its duration; status 499 means the client went away. */
    public void recordRequest(String model, int status, Duration duration) {
        Counter.builder("switchboard.requests")
                .description("requests proxied to a model, by HTTP status")
                .tags("model", model, "status", Integer.toString(status))
                .register(registry)
                .increment();
        Timer.builder("switchboard.request.duration")
                .description("time from receiving a request to the end of its response, including any load")
                .tags("model", model)
                .register(registry)
                .record(duration);
    }

    /** Marks one request as waiting for its model until the returned handle is closed. */
    public Waiting waiting() {
        waiting.incrementAndGet();
        return waiting::decrementAndGet;
    }

    /** The metrics in the Prometheus text exposition format. */
    public String scrape() {
        return registry.scrape();
    }

    /** Stops listening to gateway events. */
    @Override
    public void close() {
        try {
            subscription.close();
        } catch (Exception e) {
            log.warn("unsubscribing metrics from gateway events failed", e);
        }
        registry.close();
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
        String name;
        if (change.to() == ModelState.READY && change.from() == ModelState.STARTING) {
            name = "switchboard.model.starts";
        } else if (change.to() == ModelState.FAILED) {
            name = "switchboard.model.failures";
        } else if (change.to() == ModelState.UNLOADED) {
            name = "switchboard.model.stops";
        } else {
            return;
        }
        Counter.builder(name).tags("model", change.model()).register(registry).increment();
    }

    private static double loaded(Gateway gateway) {
        return gateway.models().stream().filter(s -> s.state().holdsEngine()).count();
    }

    /** A request's place among the waiting ones; closing it takes the request out of the count. */
    @FunctionalInterface
    public interface Waiting extends AutoCloseable {
        @Override
        void close();
    }
}
