package dev.switchboard.app.http;

import dev.switchboard.core.Gateway;
import dev.switchboard.core.lifecycle.ModelStatus;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.List;

/**
 * The inference API: OpenAI's and Anthropic's routes, llama.cpp's own ones and their aliases, each
 * relayed to the model named in the request; and the model list.
 */
final class OpenAiRoutes {

    /** POST routes whose body names the model (audio uploads name it in a form field). */
    static final List<String> MODEL_ROUTES = List.of(
            "/v1/chat/completions",
            "/chat/completions",
            "/v1/completions",
            "/completions",
            "/completion",
            "/v1/embeddings",
            "/embeddings",
            "/embedding",
            "/responses",
            "/v1/rerank",
            "/v1/reranking",
            "/rerank",
            "/reranking",
            "/v1/messages/count_tokens",
            "/v1/audio/*",
            "/v1/images/generations",
            "/v1/images/edits",
            "/infill",
            "/tokenize",
            "/detokenize",
            "/apply-template");

    private final Gateway gateway;

    private OpenAiRoutes(Gateway gateway) {
        this.gateway = gateway;
    }

    static void register(RoutesConfig routes, Gateway gateway, ModelProxy proxy) {
        OpenAiRoutes api = new OpenAiRoutes(gateway);
        MODEL_ROUTES.forEach(path -> routes.post(path, proxy::forwardWithBody));
        routes.get("/v1/models", api::models);
        routes.get("/models", api::models);
    }

    /** llama.cpp's router list with each model's state; {@code ?reload=1} rescans the sources first. */
    private void models(Context ctx) {
        String reload = ctx.queryParam("reload");
        if (reload != null && !reload.isEmpty()) {
            gateway.reload();
        }
        List<ModelStatus> visible = gateway.models().stream()
                .filter(status -> ApiKeyCheck.mayUse(ctx, status.model().id()))
                .toList();
        ctx.json(RouterViews.list(visible, Instant.now()));
    }
}
