package dev.switchboard.app.http;

import dev.switchboard.app.auth.ApiKey;
import dev.switchboard.app.auth.ApiKeys;
import dev.switchboard.app.auth.RouteClass;
import dev.switchboard.core.GatewayException;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.util.List;

/**
 * Lets a request through only with one of the configured keys, as {@code Authorization: Bearer KEY}
 * or {@code x-api-key: KEY} (llama.cpp accepts both), and only to the routes its scope allows: a
 * wrong or missing key is 401, a route outside the key's scope 403. The key is kept on the request
 * so that routes naming a model check it against the key's model patterns ({@link #requireModel})
 * and the model list shows only what the key may use. The health check and the web UI's files stay
 * open: the page asks for the key itself. The key never reaches an engine: the forwarder drops both
 * headers.
 */
final class ApiKeyCheck implements Handler {
    private static final String BEARER = "Bearer ";
    private static final String ATTRIBUTE = "switchboard.apiKey";

    private final ApiKeys keys;

    ApiKeyCheck(List<ApiKey> keys) {
        this.keys = new ApiKeys(keys);
    }

    @Override
    public void handle(Context ctx) {
        RouteClass route = RouteClass.of(ctx.method().name(), ctx.path());
        if (keys.isEmpty() || route == RouteClass.OPEN) {
            return;
        }
        ApiKey key = keys.find(presented(ctx))
                .orElseThrow(() -> new GatewayException(401, "authentication_error", "Invalid API Key"));
        if (!key.scope().allows(route)) {
            throw new GatewayException(
                    403, "permission_error", "this API key may not use " + ctx.method() + " " + ctx.path());
        }
        ctx.attribute(ATTRIBUTE, key);
    }

    /**
     * Refuses a model the request's key may not use.
     *
     * @throws GatewayException 403 when the key's model patterns do not match the model's id
     */
    static void requireModel(Context ctx, String model) {
        if (!mayUse(ctx, model)) {
            throw new GatewayException(403, "permission_error", "this API key may not use model '" + model + "'");
        }
    }

    /** Whether the request's key (if keys are configured at all) may use the model. */
    static boolean mayUse(Context ctx, String model) {
        ApiKey key = ctx.attribute(ATTRIBUTE);
        return key == null || key.scope().allowsModel(model);
    }

    private static String presented(Context ctx) {
        String presented = ctx.header("Authorization");
        if (presented == null || presented.isEmpty()) {
            presented = ctx.header("x-api-key");
        }
        if (presented != null && presented.startsWith(BEARER)) {
            presented = presented.substring(BEARER.length());
        }
        return presented == null ? "" : presented;
    }
}
