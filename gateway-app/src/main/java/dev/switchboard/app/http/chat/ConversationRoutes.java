package dev.switchboard.app.http.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.app.http.ModelProxy;
import dev.switchboard.app.http.internal.EngineNotFound;
import dev.switchboard.app.http.internal.Json;
import dev.switchboard.core.Gateway;
import dev.switchboard.core.GatewayException;
import dev.switchboard.core.lifecycle.ModelStatus;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Anthropic's {@code /v1/messages} and OpenAI's {@code /v1/responses} for every engine, and OpenAI's
 * {@code GET /v1/models/{id}}. A request goes to the engine's own route first (llama-server and vLLM
 * serve both, SGLang the Responses API); when the engine answers that it has no such route, the
 * request is translated onto its chat completions, under the same lease.
 */
public final class ConversationRoutes {
    private static final String CHAT = "/v1/chat/completions";

    private final Gateway gateway;
    private final ModelProxy proxy;

    private ConversationRoutes(Gateway gateway, ModelProxy proxy) {
        this.gateway = gateway;
        this.proxy = proxy;
    }

    public static void register(RoutesConfig routes, Gateway gateway, ModelProxy proxy) {
        ConversationRoutes api = new ConversationRoutes(gateway, proxy);
        routes.post("/v1/messages", ctx -> api.serve(ctx, AnthropicMessages::toChat, AnthropicMessages::translator));
        routes.post("/v1/responses", ctx -> api.serve(ctx, OpenAiResponses::toChat, OpenAiResponses::translator));
        routes.get("/v1/models/<id>", api::model);
    }

    /** OpenAI's model object, with the router's extras (aliases, status); 404 for an unknown id. */
    private void model(Context ctx) {
        ModelStatus status = gateway.status(ctx.pathParam("id"));
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("id", status.model().id());
        model.put("object", "model");
        model.put("created", 0);
        model.put("owned_by", status.model().backend());
        model.put("aliases", status.model().aliases().stream().sorted().toList());
        ctx.json(model);
    }

    private void serve(Context ctx, Function<JsonNode, ObjectNode> toChat, Function<String, ChatTranslator> translator)
            throws IOException, InterruptedException {
        byte[] body = proxy.body(ctx);
        JsonNode request = Json.readBody(body);
        JsonNode name = request.path("model");
        if (!name.isTextual() || name.asText().isEmpty()) {
            throw GatewayException.invalidRequest("model name is missing from the request");
        }
        String route = ctx.method() + " " + ctx.path();
        proxy.serve(ctx, name.asText(), body, (lease, sink) -> {
            EngineNotFound nativeRoute = new EngineNotFound(sink, lease.model().id(), route);
            gateway.forward(lease, ModelProxy.request(ctx, ctx.path(), body), nativeRoute);
            if (!nativeRoute.notServed()) {
                nativeRoute.finish();
                return;
            }
            byte[] chat = Json.write(toChat.apply(request)).getBytes(StandardCharsets.UTF_8);
            ChatRelay relay = new ChatRelay(sink, translator.apply(name.asText()));
            gateway.forward(lease, ModelProxy.request(ctx, CHAT, chat), relay);
            relay.finish();
        });
    }
}
