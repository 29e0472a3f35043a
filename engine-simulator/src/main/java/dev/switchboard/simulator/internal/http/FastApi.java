package dev.switchboard.simulator.internal.http;

import dev.switchboard.simulator.internal.engine.Console;
import dev.switchboard.simulator.internal.json.Json;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;

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

    /**
     * A {@code /metrics} handler in {@code prometheus_client}'s text format with one gauge, as vLLM
     * and SGLang export their KV-cache utilisation: {@code # HELP}, {@code # TYPE}, then the series
     * with its labels in name order, as vLLM's and SGLang's pages have them.
     */
    public static Handler gauge(String name, String help, Map<String, String> labels, double value) {
        String series = new TreeMap<>(labels)
                .entrySet().stream()
                        .map(label -> label.getKey() + "=\""
                                + label.getValue().replace("\\", "\\\\").replace("\"", "\\\"") + "\"")
                        .collect(Collectors.joining(",", name + "{", "}"));
        String text = "# HELP " + name + " " + help + "\n# TYPE " + name + " gauge\n" + series + " " + value + "\n";
        return exchange -> exchange.text(200, "text/plain; version=0.0.4; charset=utf-8", text);
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
