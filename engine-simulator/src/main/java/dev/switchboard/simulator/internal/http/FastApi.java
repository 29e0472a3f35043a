package dev.switchboard.simulator.internal.http;

import dev.switchboard.simulator.internal.engine.Console;
import dev.switchboard.simulator.internal.json.Json;
import java.util.Optional;
import java.util.function.Predicate;

/** What vLLM and SGLang share by both being FastAPI apps served by uvicorn. */
public final class FastApi {

    private FastApi() {}

    /** A router that answers unknown paths and methods as FastAPI does. */
    public static Router router() {
        return new Router(
                exchange -> exchange.json(404, Json.object("detail", "Not Found")),
                exchange -> exchange.json(405, Json.object("detail", "Method Not Allowed")));
    }

    /**
     * The {@code --api-key} middleware both engines install: requests to {@code guarded} paths need
     * {@code Authorization: Bearer <key>}, else they get 401 {@code {"error":"Unauthorized"}}.
     */
    public static Router.Gate apiKey(Optional<String> key, Predicate<String> guarded) {
        return exchange -> {
            if (key.isEmpty()
                    || !guarded.test(exchange.path())
                    || exchange.header("Authorization").equals(Optional.of("Bearer " + key.get()))) {
                return true;
            }
            exchange.json(401, Json.object("error", "Unauthorized"));
            return false;
        };
    }

    /** Uvicorn's start-up lines. */
    public static void logStartup(String host, int port) {
        Console.log(
                "INFO:     Started server process [" + ProcessHandle.current().pid() + "]");
        Console.log("INFO:     Waiting for application startup.");
        Console.log("INFO:     Application startup complete.");
        Console.log("INFO:     Uvicorn running on http://" + host + ":" + port + " (Press CTRL+C to quit)");
    }
}
