package dev.switchboard.app.auth;

import java.util.Set;

/**
 * What a route does, as far as keys are concerned. A key's scope lists the classes it may use; a
 * new family of routes (built-in tools, say) gets its own constant here and its paths in {@link
 * #of}, and keys are scoped to it with no other change.
 */
public enum RouteClass {
    /** Needs no key: the health check and the web UI's static files (the page asks for a key itself). */
    OPEN,
    /** Inference and the model list, limited to the models the key's patterns match. */
    INFERENCE,
    /**
     * Managing the gateway: loading, unloading, pulling and deleting models, the admin API under
     * {@code /api/}, the model event stream, metrics, llama-swap's {@code /unload} and the tools at
     * {@code /tools} (they read and write files and run commands).
     */
    ADMIN;

    /** Ollama's inference routes, which live under {@code /api/} next to the admin API. */
    private static final Set<String> OLLAMA_INFERENCE = Set.of(
            "/api/chat",
            "/api/generate",
            "/api/embed",
            "/api/embeddings",
            "/api/tags",
            "/api/ps",
            "/api/show",
            "/api/version");

    /** The class of a request by its method and path. */
    public static RouteClass of(String method, String path) {
        if (path.equals("/health")
                || path.equals("/v1/health")
                || path.equals("/")
                || path.equals("/ui")
                || path.startsWith("/ui/")) {
            return OPEN;
        }
        if (path.startsWith("/api/")) {
            return OLLAMA_INFERENCE.contains(path) ? INFERENCE : ADMIN;
        }
        boolean models = path.equals("/models");
        if ((models && !method.equalsIgnoreCase("GET"))
                || path.startsWith("/models/")
                || path.equals("/metrics")
                || path.equals("/unload")
                || path.equals("/tools")
                || path.startsWith("/tools/")) {
            return ADMIN;
        }
        return INFERENCE;
    }
}
