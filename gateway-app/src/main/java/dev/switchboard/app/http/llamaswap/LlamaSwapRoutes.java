package dev.switchboard.app.http.llamaswap;

import dev.switchboard.app.http.ModelProxy;
import dev.switchboard.core.Gateway;
import dev.switchboard.core.GatewayException;
import dev.switchboard.core.forward.ProxyRequest;
import dev.switchboard.core.lifecycle.ModelState;
import dev.switchboard.core.lifecycle.ModelStatus;
import dev.switchboard.core.spi.ModelDescriptor;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * llama-swap's own routes ({@code proxy/proxymanager.go}), so its users' scripts keep working:
 * {@code /upstream/<model>/<path>} relays any request as it is to that model's engine (loading it
 * first, through the same queue and lease as every request), {@code GET /running} lists the ready
 * models, {@code GET /unload} unloads every model.
 */
public final class LlamaSwapRoutes {
    private static final String UPSTREAM = "/upstream/";

    private final Gateway gateway;
    private final ModelProxy proxy;

    private LlamaSwapRoutes(Gateway gateway, ModelProxy proxy) {
        this.gateway = gateway;
        this.proxy = proxy;
    }

    public static void register(RoutesConfig routes, Gateway gateway, ModelProxy proxy) {
        LlamaSwapRoutes swap = new LlamaSwapRoutes(gateway, proxy);
        Handler upstream = swap::upstream;
        routes.get("/upstream/<path>", upstream);
        routes.post("/upstream/<path>", upstream);
        routes.put("/upstream/<path>", upstream);
        routes.patch("/upstream/<path>", upstream);
        routes.delete("/upstream/<path>", upstream);
        routes.get("/running", swap::running);
        routes.get("/unload", swap::unloadAll);
    }

    /**
     * Finds the model as llama-swap does, by the shortest leading path segments that name one (ids
     * may contain slashes); {@code /upstream/<model>} without the slash redirects to {@code
     * /upstream/<model>/}.
     */
    private void upstream(Context ctx) throws IOException, InterruptedException {
        String path = ctx.path().substring(UPSTREAM.length());
        String[] parts = path.split("/", -1);
        String name = "";
        for (int i = 0; i < parts.length; i++) {
            name = name.isEmpty() ? parts[i] : name + "/" + parts[i];
            Optional<ModelDescriptor> model = find(name);
            if (model.isEmpty()) {
                continue;
            }
            String rest = "/" + String.join("/", List.of(parts).subList(i + 1, parts.length));
            if (i == parts.length - 1) {
                String query = ctx.queryString();
                String canonical = UPSTREAM + name + "/" + (query == null ? "" : "?" + query);
                boolean safe =
                        ctx.method().name().equals("GET") || ctx.method().name().equals("HEAD");
                ctx.redirect(canonical, safe ? HttpStatus.MOVED_PERMANENTLY : HttpStatus.PERMANENT_REDIRECT);
                return;
            }
            relay(ctx, model.get(), rest);
            return;
        }
        error(ctx, 400, "model id required in path");
    }

    private void relay(Context ctx, ModelDescriptor model, String rest) throws IOException, InterruptedException {
        byte[] body = proxy.body(ctx);
        ProxyRequest request = ModelProxy.request(ctx, rest, body);
        proxy.serve(ctx, model.id(), body, (lease, sink) -> gateway.forward(lease, request, sink));
    }

    private Optional<ModelDescriptor> find(String name) {
        try {
            return Optional.of(gateway.resolve(name));
        } catch (GatewayException e) {
            return Optional.empty();
        }
    }

    /** {@code {"running":[{"model","state","cmd","proxy","ttl","name","description"}]}}. */
    private void running(Context ctx) {
        List<Map<String, Object>> running = new ArrayList<>();
        for (ModelStatus status : gateway.models()) {
            if (status.state() != ModelState.READY) {
                continue;
            }
            Duration ttl = status.model().ttl() != null
                    ? status.model().ttl()
                    : gateway.scheduler().idleTtl();
            Map<String, Object> process = new LinkedHashMap<>();
            process.put("model", status.model().id());
            process.put("state", "ready");
            process.put("cmd", String.join(" ", status.args()));
            process.put("proxy", String.valueOf(status.model().options().getOrDefault("proxy", "")));
            process.put("ttl", ttl == null ? 0 : ttl.toSeconds());
            process.put("name", String.valueOf(status.model().options().getOrDefault("name", "")));
            process.put("description", String.valueOf(status.model().options().getOrDefault("description", "")));
            running.add(process);
        }
        ctx.json(Map.of("running", running));
    }

    /** Unloads every model and answers {@code OK} once their engines have stopped. */
    private void unloadAll(Context ctx) {
        List<CompletableFuture<Void>> stopping = new ArrayList<>();
        for (ModelStatus status : gateway.models()) {
            if (status.state().holdsEngine()) {
                stopping.add(gateway.unload(status.model().id()).exceptionally(error -> null));
            }
        }
        CompletableFuture.allOf(stopping.toArray(CompletableFuture[]::new)).join();
        ctx.contentType("text/plain; charset=utf-8").result("OK");
    }

    /** llama-swap's {@code sendErrorResponse}: JSON when the client accepts it, else text. */
    private static void error(Context ctx, int status, String message) {
        String accept = ctx.header("Accept");
        ctx.status(status);
        if (accept != null && accept.contains("application/json")) {
            ctx.json(Map.of("error", message));
        } else {
            ctx.contentType("text/plain; charset=utf-8").result(message);
        }
    }
}
