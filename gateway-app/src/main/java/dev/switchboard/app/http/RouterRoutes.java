package dev.switchboard.app.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.switchboard.app.http.internal.BoundedBody;
import dev.switchboard.app.http.internal.EventStreams;
import dev.switchboard.app.http.internal.Json;
import dev.switchboard.core.Gateway;
import dev.switchboard.core.GatewayException;
import dev.switchboard.core.lifecycle.ModelState;
import dev.switchboard.core.lifecycle.ModelStatus;
import dev.switchboard.core.spi.ModelDescriptor;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * llama.cpp's router API, with its request and error wording: load and unload models, router
 * properties, health, the model event stream, and the model-scoped routes ({@code ?model=} on GET,
 * {@code model} in the body on POST) relayed to that model's engine.
 */
final class RouterRoutes {

    private final Gateway gateway;
    private final ModelProxy proxy;
    private final long maxBodyBytes;
    private final EventStreams streams;
    private final String version;

    private RouterRoutes(Gateway gateway, ModelProxy proxy, long maxBodyBytes, EventStreams streams) {
        this.gateway = gateway;
        this.proxy = proxy;
        this.maxBodyBytes = maxBodyBytes;
        this.streams = streams;
        String implementation = RouterRoutes.class.getPackage().getImplementationVersion();
        this.version = implementation == null ? "dev" : implementation;
    }

    static void register(
            RoutesConfig routes, Gateway gateway, ModelProxy proxy, long maxBodyBytes, EventStreams streams) {
        RouterRoutes router = new RouterRoutes(gateway, proxy, maxBodyBytes, streams);
        routes.get("/health", RouterRoutes::health);
        routes.get("/v1/health", RouterRoutes::health);
        routes.post("/models", router::pull);
        routes.delete("/models", router::deleteDownload);
        routes.post("/models/load", router::load);
        routes.post("/models/unload", router::unload);
        routes.get("/models/sse", router::events);
        routes.get("/props", ctx -> {
            if (ctx.queryParam("model") == null) {
                router.props(ctx);
            } else {
                proxy.forwardWithQuery(ctx);
            }
        });
        routes.post("/props", proxy::forwardWithBody);
        routes.get("/slots", proxy::forwardWithQuery);
        routes.post("/slots/{slot}", proxy::forwardWithBody);
        routes.get("/lora-adapters", proxy::forwardWithQuery);
        routes.post("/lora-adapters", proxy::forwardWithBody);
    }

    private static void health(Context ctx) {
        ctx.json(Map.of("status", "ok"));
    }

    /** Starts loading and answers at once; {@code /models/sse} or {@code GET /models} tell when it is ready. */
    private void load(Context ctx) throws IOException, InterruptedException {
        ModelDescriptor model = named(ctx).orElseThrow(() -> notFound(404, "not_found_error"));
        if (isRunning(gateway.status(model.id()).state())) {
            throw GatewayException.invalidRequest("model is already running");
        }
        proxy.debugPause();
        ModelCommands.load(gateway, model.id());
        ctx.json(Map.of("success", true));
    }

    /**
     * Starts downloading {@code {"model":"org/repo:QUANT"}} into the backend's cache, as {@code
     * ollama pull} does, and answers at once; {@code /models/sse} reports {@code download_progress}
     * and then {@code download_finished} (or {@code download_failed}). It takes no model slot.
     */
    private void pull(Context ctx) throws IOException {
        JsonNode name = Json.readBody(BoundedBody.read(ctx.req(), maxBodyBytes)).get("model");
        if (name == null || !name.isTextual() || name.asText().isBlank()) {
            throw GatewayException.invalidRequest("model name is missing from the request");
        }
        gateway.pull(name.asText());
        ctx.json(Map.of("success", true));
    }

    /** Removes a downloaded model named by {@code ?model=}. */
    private void deleteDownload(Context ctx) throws IOException {
        String model = ctx.queryParam("model");
        if (model == null || model.isBlank()) {
            throw GatewayException.invalidRequest("model name is missing from the request");
        }
        gateway.deleteDownload(model);
        ctx.json(Map.of("success", true));
    }

    /** Starts unloading (in-flight requests finish first) and answers at once. */
    private void unload(Context ctx) throws IOException {
        // llama.cpp answers an unknown model 400 here, unlike load's 404
        ModelDescriptor model = named(ctx).orElseThrow(() -> notFound(400, "invalid_request_error"));
        if (!isRunning(gateway.status(model.id()).state())) {
            throw GatewayException.invalidRequest("model is not running");
        }
        ModelCommands.unload(gateway, model.id());
        ctx.json(Map.of("success", true));
    }

    /** The router's own properties, with the placeholders llama.cpp adds so its web UI works. */
    private void props(Context ctx) {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("role", "router");
        props.put("max_instances", gateway.scheduler().maxLoaded());
        props.put("models_autoload", gateway.scheduler().autoload());
        props.put("model_alias", "llama-server");
        props.put("model_path", "none");
        Map<String, Object> generation = new LinkedHashMap<>();
        generation.put("params", NullNode.getInstance()); // null, as the router has it
        generation.put("n_ctx", 0);
        props.put("default_generation_settings", generation);
        props.put("ui_settings", Map.of());
        // llama.cpp's b<build>-<commit> form, which clients parse; the gateway's own version beside it
        props.put("build_info", "b0-switchboard");
        props.put("switchboard_version", version);
        props.put("cors_proxy_enabled", false);
        ctx.json(props);
    }

    /** Model state changes as llama.cpp's router broadcasts them. */
    private void events(Context ctx) throws IOException, InterruptedException {
        streams.serve(
                ctx.res(),
                stream -> gateway.subscribe(event -> RouterViews.event(event, () -> status(event.model()))
                        .ifPresent(view -> stream.send(Json.write(view)))));
    }

    private Optional<ModelStatus> status(String model) {
        try {
            return Optional.of(gateway.status(model));
        } catch (GatewayException e) {
            return Optional.empty(); // removed by a rescan since the event
        }
    }

    /** The model a load or unload body names, if the catalog has it. */
    private Optional<ModelDescriptor> named(Context ctx) throws IOException {
        JsonNode body = Json.readBody(BoundedBody.read(ctx.req(), maxBodyBytes));
        JsonNode name = body.get("model");
        if (name == null || !name.isTextual()) {
            return Optional.empty();
        }
        try {
            return Optional.of(gateway.resolve(name.asText()));
        } catch (GatewayException e) {
            return Optional.empty();
        }
    }

    /** llama.cpp's {@code is_running}: loading, loaded or sleeping. */
    private static boolean isRunning(ModelState state) {
        return state.holdsEngine() && state != ModelState.STOPPING;
    }

    private static GatewayException notFound(int status, String type) {
        return new GatewayException(status, type, "model is not found");
    }
}
