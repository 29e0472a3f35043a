package dev.switchboard.simulator.internal.http;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The routes of one simulated engine, declared before its server starts: handlers by path and method, a gate in front
 * of all of them, and the engine's own answers for unknown paths and methods.
 */
public final class Router {

    private final Map<String, Map<String, Handler>> routes = new HashMap<>();
    private final Handler notFound;
    private final Handler methodNotAllowed;
    private Gate gate = exchange -> true;

    public Router(Handler notFound, Handler methodNotAllowed) {
        this.notFound = notFound;
        this.methodNotAllowed = methodNotAllowed;
    }

    public Router get(String path, Handler handler) {
        return route("GET", path, handler);
    }

    public Router post(String path, Handler handler) {
        return route("POST", path, handler);
    }

    public Router route(String method, String path, Handler handler) {
        routes.computeIfAbsent(path, key -> new HashMap<>()).put(method, handler);
        return this;
    }

    /** Forgets the routes at these paths: they answer as unknown paths do. */
    public Router without(Set<String> paths) {
        paths.forEach(routes::remove);
        return this;
    }

    /** Sets what every request passes before routing, as llama-server's middlewares do. */
    public Router gate(Gate gate) {
        this.gate = gate;
        return this;
    }

    void dispatch(Exchange exchange) throws IOException {
        if (!gate.admit(exchange)) {
            return;
        }
        Map<String, Handler> byMethod = routes.get(exchange.path());
        if (byMethod == null) {
            notFound.handle(exchange);
        } else {
            byMethod.getOrDefault(exchange.method(), methodNotAllowed).handle(exchange);
        }
    }

    /** Lets a request through, or answers it itself and returns {@code false}. */
    @FunctionalInterface
    public interface Gate {

        boolean admit(Exchange exchange) throws IOException;
    }
}
