package dev.switchboard.app.http;

import dev.switchboard.app.http.internal.EventStreams;
import dev.switchboard.app.http.internal.Json;
import dev.switchboard.app.http.metrics.GatewayMetrics;
import dev.switchboard.core.Gateway;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;

/**
 * The operator's API, used by the web UI: models with everything the gateway knows about them,
 * GPUs, event and log streams, load and unload by path, and Prometheus metrics. Model names may
 * contain slashes (Hugging Face repositories), so they are matched as {@code <model>}.
 */
final class AdminRoutes {
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final Gateway gateway;
    private final EventStreams streams;
    private final GatewayMetrics metrics;

    private AdminRoutes(Gateway gateway, EventStreams streams, GatewayMetrics metrics) {
        this.gateway = gateway;
        this.streams = streams;
        this.metrics = metrics;
    }

    static void register(
            RoutesConfig routes, Gateway gateway, ModelProxy proxy, EventStreams streams, GatewayMetrics metrics) {
        AdminRoutes admin = new AdminRoutes(gateway, streams, metrics);
        routes.get("/api/models", admin::models);
        routes.post("/api/models/<model>/load", admin::load);
        routes.post("/api/models/<model>/unload", admin::unload);
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
        ctx.json(gateway.models().stream().map(AdminViews::model).toList());
    }

    /**
     * Starts loading and answers 202 with the model's state.
     *
     * @throws dev.switchboard.core.GatewayException 400 when it is already loaded or loading
     */
    private void load(Context ctx) {
        String model = gateway.resolve(ctx.pathParam("model")).id();
        ModelCommands.load(gateway, model);
        ctx.status(202).json(AdminViews.model(gateway.status(model)));
    }

    /**
     * Starts unloading (in-flight requests finish first) and answers 202 with the model's state.
     *
     * @throws dev.switchboard.core.GatewayException 400 when it is not loaded
     */
    private void unload(Context ctx) {
        String model = gateway.resolve(ctx.pathParam("model")).id();
        ModelCommands.unload(gateway, model);
        ctx.status(202).json(AdminViews.model(gateway.status(model)));
    }

    private void gpus(Context ctx) {
        ctx.json(gateway.gpus().stream().map(AdminViews::gpu).toList());
    }

    /** Every gateway event, as JSON, for as long as the client listens. */
    private void events(Context ctx) throws IOException, InterruptedException {
        streams.serve(
                ctx.res(), stream -> gateway.subscribe(event -> stream.send(Json.write(AdminViews.event(event)))));
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
