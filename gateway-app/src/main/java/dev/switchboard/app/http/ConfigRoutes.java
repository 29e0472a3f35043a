package dev.switchboard.app.http;

import dev.switchboard.app.config.ConfigException;
import dev.switchboard.core.Gateway;
import dev.switchboard.core.GatewayException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.function.Supplier;

/**
 * {@code POST /api/config/reload} (admin scope, as everything under {@code /api/}): re-reads the
 * configuration file and answers what changed, {@code {"added":[..],"changed":[..],"removed":[..]}},
 * or 400 with the file, line and key of what is wrong, the old configuration still serving.
 */
final class ConfigRoutes {
    private ConfigRoutes() {}

    /** @param reload re-reads the file, or null when the gateway runs without one */
    static void register(RoutesConfig routes, Supplier<Gateway.ModelChanges> reload) {
        routes.post("/api/config/reload", ctx -> reload(ctx, reload));
    }

    private static void reload(Context ctx, Supplier<Gateway.ModelChanges> reload) {
        if (reload == null) {
            throw GatewayException.invalidRequest(
                    "the gateway was started without a configuration file (--config): there is nothing to reload");
        }
        try {
            ctx.json(reload.get());
        } catch (ConfigException e) {
            throw GatewayException.invalidRequest(
                    "configuration rejected, the old one keeps serving: " + e.getMessage());
        }
    }
}
