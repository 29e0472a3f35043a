package dev.switchboard.app.http.ollama;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.app.http.ModelProxy;
import dev.switchboard.app.http.chat.ChatRelay;
import dev.switchboard.app.http.chat.ChatTranslator;
import dev.switchboard.app.http.internal.Json;
import dev.switchboard.core.Gateway;
import dev.switchboard.core.GatewayException;
import dev.switchboard.core.event.GatewayEvent;
import dev.switchboard.core.spi.ModelDescriptor;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Ollama's API on the gateway's port, translated onto the gateway's models so that no engine needs
 * to speak it: {@code /api/chat}, {@code /api/generate}, {@code /api/embed}, {@code
 * /api/embeddings}, {@code /api/tags}, {@code /api/ps}, {@code /api/show}, {@code /api/version},
 * {@code /api/pull} and {@code /api/delete}. Inference goes through the same queue, lease and
 * breaker as the OpenAI routes. Errors are Ollama's {@code {"error":"..."}} with its statuses.
 * None of these paths is one of the admin API's ({@code /api/models}, {@code /api/gpus}, {@code
 * /api/events}, {@code /api/logs}).
 */
public final class OllamaRoutes {
    /** The Ollama release whose API this follows; clients check it for features. */
    static final String VERSION = "0.12.6";

    private final Gateway gateway;
    private final ModelProxy proxy;
    private final OllamaModels models;
    private final KeepAlive keepAlive;

    private OllamaRoutes(Gateway gateway, ModelProxy proxy) {
        this.gateway = gateway;
        this.proxy = proxy;
        this.keepAlive = new KeepAlive(gateway);
        this.models = new OllamaModels(gateway, keepAlive);
    }

    public static void register(RoutesConfig routes, Gateway gateway, ModelProxy proxy) {
        OllamaRoutes api = new OllamaRoutes(gateway, proxy);
        routes.post("/api/chat", ollama(ctx -> api.chat(ctx, false)));
        routes.post("/api/generate", ollama(ctx -> api.chat(ctx, true)));
        routes.post("/api/embed", ollama(ctx -> api.embed(ctx, false)));
        routes.post("/api/embeddings", ollama(ctx -> api.embed(ctx, true)));
        routes.get("/api/tags", ollama(ctx -> ctx.json(api.models.tags())));
        routes.get("/api/ps", ollama(ctx -> ctx.json(api.models.running())));
        routes.post("/api/show", ollama(api::show));
        routes.get("/api/version", ollama(ctx -> ctx.json(Map.of("version", VERSION))));
        routes.head("/api/version", ctx -> ctx.status(200));
        routes.post("/api/pull", ollama(api::pull));
        routes.delete("/api/delete", ollama(api::delete));
    }

    /** Ollama's error body. */
    static Map<String, String> error(String message) {
        return Map.of("error", message);
    }

    /** An engine's error (OpenAI's, vLLM's or FastAPI's shape) in Ollama's. */
    static Map<String, String> engineError(int status, JsonNode engineBody) {
        return error(engineBody
                .path("error")
                .path("message")
                .asText(engineBody
                        .path("message")
                        .asText(engineBody.path("detail").asText("engine answered " + status))));
    }

    /** Answers the gateway's failures in Ollama's shape rather than OpenAI's. */
    private static Handler ollama(Handler handler) {
        return ctx -> {
            try {
                handler.handle(ctx);
            } catch (GatewayException e) {
                if (ctx.res().isCommitted()) {
                    throw e;
                }
                e.retryAfter()
                        .ifPresent(delay -> ctx.header("Retry-After", Long.toString(Math.max(1, delay.toSeconds()))));
                ctx.status(e.status()).json(error(e.getMessage()));
            }
        };
    }

    private void chat(Context ctx, boolean generate) throws IOException, InterruptedException {
        long received = System.nanoTime();
        JsonNode request = Json.readBody(proxy.body(ctx));
        String name = requiredModel(request);
        ModelDescriptor model = models.resolve(name);
        Optional<Duration> keep = KeepAlive.parse(request.get("keep_alive"));
        if (generate
                        && request.path("prompt").asText("").isEmpty()
                        && !request.path("images").isArray()
                || !generate
                        && request.path("messages").isArray()
                        && request.path("messages").isEmpty()) {
            loadOnly(ctx, name, model, keep, generate);
            return;
        }
        ObjectNode chat =
                generate ? OllamaRequests.generate(request, model.id()) : OllamaRequests.chat(request, model.id());
        OllamaAnswers answers = new OllamaAnswers(name, generate, received);
        relay(ctx, model, chat, "/v1/chat/completions", answers, answers::leased, keep);
    }

    /**
     * An empty prompt loads the model (or, with {@code keep_alive: 0}, unloads it), answering {@code
     * done_reason} {@code load} or {@code unload} as Ollama does.
     */
    private void loadOnly(Context ctx, String name, ModelDescriptor model, Optional<Duration> keep, boolean generate)
            throws InterruptedException {
        String reason;
        if (keep.isPresent() && keep.get().isZero()) {
            if (gateway.status(model.id()).state().holdsEngine()) {
                await(gateway.unload(model.id()));
            }
            reason = "unload";
        } else {
            await(gateway.load(model.id()));
            keepAlive.apply(model.id(), keep);
            reason = "load";
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("model", name);
        answer.put("created_at", Instant.now().toString());
        if (generate) {
            answer.put("response", "");
        } else {
            answer.put("message", Map.of("role", "assistant", "content", ""));
        }
        answer.put("done_reason", reason);
        answer.put("done", true);
        ctx.json(answer);
    }

    private static void await(CompletableFuture<Void> outcome) throws InterruptedException {
        try {
            outcome.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GatewayException failure) {
                throw failure;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private void embed(Context ctx, boolean legacy) throws IOException, InterruptedException {
        long received = System.nanoTime();
        JsonNode request = Json.readBody(proxy.body(ctx));
        String name = requiredModel(request);
        ModelDescriptor model = models.resolve(name);
        ObjectNode embeddings = Json.MAPPER.createObjectNode().put("model", model.id());
        embeddings.set("input", legacy ? request.path("prompt") : request.path("input"));
        embeddings.put("encoding_format", "float");
        if (request.hasNonNull("dimensions")) {
            embeddings.set("dimensions", request.get("dimensions"));
        }
        OllamaEmbeddings answers = new OllamaEmbeddings(name, legacy, received);
        relay(
                ctx,
                model,
                embeddings,
                "/v1/embeddings",
                answers,
                answers::leased,
                KeepAlive.parse(request.get("keep_alive")));
    }

    /**
     * Relays the translated request and its answer. The request's {@code keep_alive} takes effect once
     * the engine has answered and before the client has the last of the answer, so a client that
     * asks {@code /api/ps} next already sees it; it applies too when the request fails.
     */
    private void relay(
            Context ctx,
            ModelDescriptor model,
            ObjectNode body,
            String path,
            ChatTranslator answers,
            Runnable leased,
            Optional<Duration> keep)
            throws IOException, InterruptedException {
        byte[] bytes = Json.write(body).getBytes(StandardCharsets.UTF_8);
        AtomicBoolean applied = new AtomicBoolean();
        try {
            proxy.serve(ctx, model.id(), bytes, (lease, sink) -> {
                leased.run();
                ChatRelay relay = new ChatRelay(sink, answers);
                gateway.forward(lease, ModelProxy.request(ctx, path, bytes), relay);
                applied.set(true);
                keepAlive.apply(model.id(), keep);
                relay.finish();
            });
        } finally {
            if (!applied.get()) {
                keepAlive.apply(model.id(), keep);
            }
        }
    }

    private void show(Context ctx) throws IOException {
        JsonNode request = Json.readBody(proxy.body(ctx));
        ctx.json(models.show(models.resolve(requiredModel(request))));
    }

    /**
     * Downloads {@code hf.co/org/repo:QUANT} (or {@code org/repo:QUANT}) with the gateway's Hugging
     * Face pull, streaming Ollama's progress lines; a model the gateway already serves is there at
     * once.
     */
    private void pull(Context ctx) throws IOException, InterruptedException {
        JsonNode request = Json.readBody(proxy.body(ctx));
        String name = requiredModel(request);
        boolean stream = request.path("stream").asBoolean(true);
        if (models.find(name).isPresent()) {
            answerPull(ctx, stream, List.of(Map.of("status", "success")));
            return;
        }
        String reference = OllamaModels.hubReference(name);
        BlockingQueue<GatewayEvent> events = new LinkedBlockingQueue<>();
        AutoCloseable subscription = gateway.subscribe(event -> {
            if (event.model().equals(reference)) {
                events.add(event);
            }
        });
        try {
            CompletableFuture<String> done = gateway.pull(reference);
            if (!stream) {
                await(done.thenAccept(id -> {}));
                ctx.json(Map.of("status", "success"));
                return;
            }
            ctx.status(200).contentType("application/x-ndjson");
            OutputStream out = ctx.res().getOutputStream();
            ChatRelay.line(out, Map.of("status", "pulling manifest"));
            while (!relayed(events.take(), out)) {
                // until the download finished or failed
            }
        } finally {
            close(subscription);
        }
    }

    /** Writes Ollama's progress line for a download event; true once the download is over. */
    private static boolean relayed(GatewayEvent event, OutputStream out) throws IOException {
        switch (event) {
            case GatewayEvent.DownloadProgress progress -> {
                String digest = OllamaModels.digest(progress.file());
                ChatRelay.line(
                        out,
                        Map.of(
                                "status",
                                "pulling " + digest.substring("sha256:".length(), "sha256:".length() + 12),
                                "digest",
                                digest,
                                "total",
                                progress.totalBytes(),
                                "completed",
                                progress.doneBytes()));
                return false;
            }
            case GatewayEvent.DownloadFinished finished -> {
                for (String status : List.of("verifying sha256 digest", "writing manifest", "success")) {
                    ChatRelay.line(out, Map.of("status", status));
                }
                return true;
            }
            case GatewayEvent.DownloadFailed failed -> {
                ChatRelay.line(out, error(failed.message()));
                return true;
            }
            default -> {
                return false;
            }
        }
    }

    private static void close(AutoCloseable subscription) {
        try {
            subscription.close();
        } catch (Exception e) {
            throw new IllegalStateException("ending the download subscription failed", e);
        }
    }

    private static void answerPull(Context ctx, boolean stream, List<Map<String, String>> lines) throws IOException {
        if (!stream) {
            ctx.json(lines.getLast());
            return;
        }
        ctx.status(200).contentType("application/x-ndjson");
        for (Map<String, String> line : lines) {
            ChatRelay.line(ctx.res().getOutputStream(), line);
        }
    }

    private void delete(Context ctx) throws IOException {
        JsonNode request = Json.readBody(proxy.body(ctx));
        String name = requiredModel(request);
        try {
            gateway.deleteDownload(OllamaModels.hubReference(name));
        } catch (GatewayException e) {
            if (e.status() == 404) {
                throw new GatewayException(404, "not_found_error", "model '" + name + "' not found");
            }
            throw e;
        }
        ctx.status(200);
    }

    private static String requiredModel(JsonNode request) {
        JsonNode model = request.path("model");
        if (!model.isTextual() || model.asText().isBlank()) {
            model = request.path("name"); // the field's name before Ollama 0.5
        }
        if (!model.isTextual() || model.asText().isBlank()) {
            throw GatewayException.invalidRequest("model is required");
        }
        return model.asText();
    }
}
