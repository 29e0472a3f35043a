package dev.switchboard.app.http;

import dev.switchboard.app.activity.ActivityLog;
import dev.switchboard.app.activity.ActivitySettings;
import dev.switchboard.app.activity.ModelTimeline;
import dev.switchboard.app.activity.RequestRecord;
import dev.switchboard.app.http.internal.EventStreams;
import dev.switchboard.app.http.internal.Json;
import dev.switchboard.app.http.metrics.GatewayMetrics;
import dev.switchboard.core.Gateway;
import dev.switchboard.core.GatewayException;
import dev.switchboard.core.process.LogBuffer;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.List;

/**
 * The operator's API, used by the web UI: models with everything the gateway knows about them,
 * GPUs, a planner dry run, the activity log, event and log streams, load, unload and sleep by path, and
 * Prometheus metrics. Model names may
 * contain slashes (Hugging Face repositories), so they are matched as {@code <model>}.
 */
final class AdminRoutes {
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private static final int LOG_TAIL = 20;

    private final Gateway gateway;
    private final EventStreams streams;
    private final GatewayMetrics metrics;
    private final ActivityLog activity;
    private final AdminViews.Observed observed;

    private AdminRoutes(
            Gateway gateway,
            EventStreams streams,
            GatewayMetrics metrics,
            ActivityLog activity,
            ModelTimeline timeline) {
        this.gateway = gateway;
        this.streams = streams;
        this.metrics = metrics;
        this.activity = activity;
        this.observed = new AdminViews.Observed(
                activity, timeline, gateway.scheduler().idleTtl(), this::logTail, gateway::hasWarmTier);
    }

    static void register(
            RoutesConfig routes,
            Gateway gateway,
            ModelProxy proxy,
            EventStreams streams,
            GatewayMetrics metrics,
            ActivityLog activity,
            ModelTimeline timeline) {
        AdminRoutes admin = new AdminRoutes(gateway, streams, metrics, activity, timeline);
        routes.get("/api/models", admin::models);
        routes.get("/api/models/<model>/plan", admin::plan);
        routes.get("/api/activity", admin::activity);
        routes.get("/api/activity/{id}", admin::request);
        routes.post("/api/models/<model>/load", admin::load);
        routes.post("/api/models/<model>/unload", admin::unload);
        routes.post("/api/models/<model>/sleep", admin::sleep);
        routes.get("/api/gpus", admin::gpus);
        routes.get("/api/events", admin::events);
        routes.get("/api/logs/<model>", admin::logs);
        // like llama.cpp's router, ?model= asks that model's engine for its own metrics
        routes.get("/metrics", ctx -> {
            if (ctx.queryParam("model") == null) {
                admin.metrics(ctx);
            } else {
                proxy.forwardWithQuery(ctx);
            }
        });
    }

    private void models(Context ctx) {
        ctx.json(gateway.models().stream()
                .map(status -> AdminViews.model(status, observed))
                .toList());
    }

    /** A dry run of the planner: what loading the model now would take (see {@link PlanPreview}). */
    private void plan(Context ctx) throws InterruptedException {
        ctx.json(PlanPreview.plan(gateway, ctx.pathParam("model")));
    }

    /** The last requests, newest first, without their bodies. */
    private void activity(Context ctx) {
        ActivitySettings settings = activity.settings();
        ctx.json(new AdminViews.Activity(
                settings.enabled(),
                settings.capacity(),
                settings.capture(),
                activity.recent().stream().map(AdminViews::request).toList()));
    }

    /** One kept request with its captured bodies. */
    private void request(Context ctx) {
        long id;
        try {
            id = Long.parseLong(ctx.pathParam("id"));
        } catch (NumberFormatException e) {
            throw GatewayException.invalidRequest("request id must be a number, got '" + ctx.pathParam("id") + "'");
        }
        RequestRecord record = activity.find(id)
                .orElseThrow(() ->
                        new GatewayException(404, "not_found_error", "request " + id + " is not in the activity log"));
        ctx.json(AdminViews.request(record));
    }

    private List<String> logTail(String model) {
        List<String> lines = gateway.logs(model).map(LogBuffer::lines).orElse(List.of());
        return List.copyOf(lines.subList(Math.max(0, lines.size() - LOG_TAIL), lines.size()));
    }

    /**
     * Starts loading and answers 202 with the model's state.
     *
     * @throws dev.switchboard.core.GatewayException 400 when it is already loaded or loading
     */
    private void load(Context ctx) {
        String model = gateway.resolve(ctx.pathParam("model")).id();
        ModelCommands.load(gateway, model);
        ctx.status(202).json(AdminViews.model(gateway.status(model), observed));
    }

    /**
     * Starts unloading (in-flight requests finish first) and answers 202 with the model's state.
     *
     * @throws dev.switchboard.core.GatewayException 400 when it is not loaded
     */
    private void unload(Context ctx) {
        String model = gateway.resolve(ctx.pathParam("model")).id();
        ModelCommands.unload(gateway, model);
        ctx.status(202).json(AdminViews.model(gateway.status(model), observed));
    }

    /**
     * Starts putting an idle ready model to sleep in its engine's warm tier and answers 202 with its
     * state; the next request wakes it.
     *
     * @throws dev.switchboard.core.GatewayException 400 when it has no warm tier, 409 when it is not
     *     ready or is serving requests
     */
    private void sleep(Context ctx) {
        String model = gateway.resolve(ctx.pathParam("model")).id();
        ModelCommands.sleep(gateway, model);
        ctx.status(202).json(AdminViews.model(gateway.status(model), observed));
    }

    private void gpus(Context ctx) {
        ctx.json(gateway.gpus().stream().map(AdminViews::gpu).toList());
    }

    /** Every gateway and request event, as JSON, for as long as the client listens. */
    private void events(Context ctx) throws IOException, InterruptedException {
        streams.serve(ctx.res(), stream -> {
            AutoCloseable models = gateway.subscribe(event -> stream.send(Json.write(AdminViews.event(event))));
            AutoCloseable requests = activity.subscribe(event -> stream.send(Json.write(AdminViews.event(event))));
            return () -> {
                try (models;
                        requests) {
                    // both unsubscribed
                }
            };
        });
    }

    /** The model's engine output: buffered lines, then live ones, across restarts. */
    private void logs(Context ctx) throws IOException, InterruptedException {
        String model = gateway.resolve(ctx.pathParam("model")).id();
        streams.serve(ctx.res(), stream -> new LogFollower(gateway, model, stream));
    }

    private void metrics(Context ctx) {
        ctx.contentType(PROMETHEUS_TEXT).result(metrics.scrape());
    }
}
