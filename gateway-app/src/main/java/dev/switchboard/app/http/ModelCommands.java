package dev.switchboard.app.http;

import dev.switchboard.core.Gateway;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Load, unload and sleep as the HTTP API offers them: started, not awaited (the answer comes at once and
 * the event streams tell the outcome), with a failure logged since no request is left to report it
 * to.
 */
final class ModelCommands {
    private static final Logger log = LoggerFactory.getLogger(ModelCommands.class);

    private ModelCommands() {}

    /** @throws dev.switchboard.core.GatewayException when the gateway refuses at once */
    static void load(Gateway gateway, String model) {
        logFailure(gateway.load(model), "loading", model);
    }

    /** @throws dev.switchboard.core.GatewayException when the gateway refuses at once */
    static void unload(Gateway gateway, String model) {
        logFailure(gateway.unload(model), "unloading", model);
    }

    /** @throws dev.switchboard.core.GatewayException when the gateway refuses at once */
    static void sleep(Gateway gateway, String model) {
        logFailure(gateway.sleep(model), "putting to sleep", model);
    }

    private static void logFailure(CompletableFuture<Void> outcome, String what, String model) {
        outcome.exceptionally(error -> {
            log.warn("{} model '{}' failed: {}", what, model, error.getMessage());
            return null;
        });
    }
}
