package dev.switchboard.core.openai.internal;

import dev.switchboard.core.spi.Backend;
import dev.switchboard.core.spi.BackendConfig;
import dev.switchboard.core.spi.LaunchContext;
import dev.switchboard.core.spi.LaunchSpec;
import dev.switchboard.core.spi.MemoryEstimate;
import dev.switchboard.core.spi.ModelDescriptor;
import dev.switchboard.core.spi.ModelSource;
import dev.switchboard.core.spi.Placement;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Serves the models of a remote OpenAI-compatible API: nothing runs locally, requests are relayed to
 * the upstream with its API key, and the models take no GPU memory.
 *
 * <p>Options: {@code baseUrl} (required), the upstream's OpenAI root, which ends in {@code /v1}
 * such as {@code https://api.example.com/v1}: a client's {@code /v1/chat/completions} goes to
 * {@code <baseUrl>/chat/completions}; {@code apiKeyEnv}, the name of the environment variable that
 * holds the key, sent as {@code Authorization: Bearer}; {@code models}, the model ids to expose,
 * or, when absent, those {@code GET <baseUrl>/models} lists on each catalog scan; {@code timeout}
 * (default 30s) for that listing.
 */
public final class OpenAiBackend implements Backend {
    private static final String OPENAI_ROOT = "/v1";

    private final String name;
    private final URI baseUrl;
    private final URI origin;
    private final Optional<String> apiKey;
    private final HttpClient http; // null when the models are listed: nothing to ask the upstream
    private final ModelSource source;

    /** @param env reads environment variables (the process's own, or a test's) */
    public OpenAiBackend(BackendConfig config, UnaryOperator<String> env) {
        this.name = config.name();
        this.baseUrl = baseUrl(config);
        this.origin =
                URI.create(baseUrl.toString().substring(0, baseUrl.toString().length() - OPENAI_ROOT.length()));
        this.apiKey = config.string("apiKeyEnv").map(variable -> apiKey(config, variable, env));
        Duration listingTimeout = config.duration("timeout").orElse(Duration.ofSeconds(30));
        List<String> models = config.list("models");
        // a client costs its TLS set-up at start: only a backend that lists the upstream's models has one
        this.http = models.isEmpty()
                ? HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(Duration.ofSeconds(10))
                        .build()
                : null;
        this.source = models.isEmpty()
                ? new UpstreamModels(name, baseUrl, authorization(), http, listingTimeout)
                : new ListedModels(name, baseUrl, models);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<ModelSource> sources() {
        return List.of(source);
    }

    @Override
    public MemoryEstimate estimate(ModelDescriptor model) {
        return MemoryEstimate.none();
    }

    /**
     * A launch with no process: the upstream is ready at once. Requests keep their {@code /v1/...}
     * path, appended to the upstream's origin and path prefix, and name the model's {@code source}
     * (the id when empty), so a configured model may expose an upstream model under another name.
     */
    @Override
    public LaunchSpec launch(ModelDescriptor model, Placement placement, LaunchContext context) {
        LaunchSpec.Builder spec = LaunchSpec.builder(origin, model.source().isEmpty() ? model.id() : model.source())
                .healthPath("");
        authorization().forEach(spec::requestHeader);
        return spec.build();
    }

    @Override
    public void close() {
        if (http != null) {
            http.close();
        }
    }

    private Map<String, String> authorization() {
        return apiKey.map(key -> Map.of("Authorization", "Bearer " + key)).orElse(Map.of());
    }

    private static URI baseUrl(BackendConfig config) {
        String raw = config.string("baseUrl")
                .orElseThrow(() -> new IllegalArgumentException("backend '" + config.name()
                        + "': option 'baseUrl' is required, such as https://api.example.com/v1"));
        String trimmed = raw.endsWith("/") ? raw.substring(0, raw.length() - 1) : raw;
        URI uri;
        try {
            uri = URI.create(trimmed);
        } catch (IllegalArgumentException e) {
            throw invalidBaseUrl(config, raw);
        }
        boolean web = "http".equals(uri.getScheme()) || "https".equals(uri.getScheme());
        if (!web || uri.getHost() == null || !uri.getPath().endsWith(OPENAI_ROOT) || uri.getQuery() != null) {
            throw invalidBaseUrl(config, raw);
        }
        return uri;
    }

    private static IllegalArgumentException invalidBaseUrl(BackendConfig config, String raw) {
        return new IllegalArgumentException("backend '" + config.name()
                + "': option 'baseUrl' must be an http(s) URL ending in /v1 (clients call /v1/... on the gateway),"
                + " got '" + raw + "'");
    }

    private static String apiKey(BackendConfig config, String variable, UnaryOperator<String> env) {
        String key = env.apply(variable);
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("backend '" + config.name() + "': environment variable " + variable
                    + " (named by option 'apiKeyEnv') is not set");
        }
        return key.trim();
    }
}
