package dev.switchboard.app.http.ollama;

import dev.switchboard.core.Gateway;
import dev.switchboard.core.GatewayException;
import dev.switchboard.core.lifecycle.ModelStatus;
import dev.switchboard.core.spi.ModelDescriptor;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The gateway's models under Ollama's names and in Ollama's shapes.
 *
 * <p>Names resolve in this order: the gateway's ids and aliases as they are ({@code qwen2.5:7b} is
 * a model whose id or alias is {@code qwen2.5:7b}); then {@code name:latest} as {@code name};
 * then {@code hf.co/org/repo:QUANT} (or {@code huggingface.co/...}) as the Hugging Face reference
 * {@code org/repo:QUANT}, which is how llama.cpp lists downloaded models. {@code /api/tags} lists
 * every model {@code /v1/models} lists, under its id.
 */
final class OllamaModels {
    private static final Instant STARTED = Instant.now();
    private static final List<String> HUB_PREFIXES = List.of("hf.co/", "huggingface.co/");
    /** What /api/ps says for a model that no TTL will unload. */
    private static final Instant FOREVER = Instant.parse("2318-01-01T00:00:00Z");

    private final Gateway gateway;
    private final KeepAlive keepAlive;

    OllamaModels(Gateway gateway, KeepAlive keepAlive) {
        this.gateway = gateway;
        this.keepAlive = keepAlive;
    }

    /** @throws GatewayException 404 {@code model 'x' not found}, as Ollama words it */
    ModelDescriptor resolve(String name) {
        return find(name)
                .orElseThrow(() -> new GatewayException(404, "not_found_error", "model '" + name + "' not found"));
    }

    Optional<ModelDescriptor> find(String name) {
        for (String candidate : candidates(name)) {
            try {
                return Optional.of(gateway.resolve(candidate));
            } catch (GatewayException e) {
                // try the next spelling
            }
        }
        return Optional.empty();
    }

    private static List<String> candidates(String name) {
        String hub = hubReference(name);
        return List.of(name, stripLatest(name), hub, stripLatest(hub));
    }

    private static String stripLatest(String name) {
        return name.endsWith(":latest") ? name.substring(0, name.length() - ":latest".length()) : name;
    }

    /** {@code hf.co/org/repo:QUANT} as the reference {@code org/repo:QUANT}; other names as they are. */
    static String hubReference(String name) {
        for (String prefix : HUB_PREFIXES) {
            if (name.toLowerCase(Locale.ROOT).startsWith(prefix)) {
                return name.substring(prefix.length());
            }
        }
        return name;
    }

    /** A stable sha256 digest for a name, where Ollama has the manifest's. */
    static String digest(String name) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
            return "sha256:" + HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    /** {@code GET /api/tags}. */
    Map<String, Object> tags() {
        return Map.of(
                "models", gateway.models().stream().map(s -> summary(s.model())).toList());
    }

    /** {@code GET /api/ps}: the models with a running engine. */
    Map<String, Object> running() {
        return Map.of(
                "models",
                gateway.models().stream()
                        .filter(status -> status.state().holdsEngine())
                        .map(this::process)
                        .toList());
    }

    private Map<String, Object> process(ModelStatus status) {
        Map<String, Object> model = summary(status.model());
        model.remove("modified_at");
        long vram = status.placement().totalBytes();
        model.put("size", Math.max(vram, size(status.model())));
        model.put("size_vram", vram);
        model.put("expires_at", expiresAt(status).toString());
        return model;
    }

    /** When the model unloads if nothing uses it: a request's keep-alive, else its idle TTL. */
    private Instant expiresAt(ModelStatus status) {
        Optional<Instant> requested = keepAlive.expiresAt(status.model().id());
        if (requested.isPresent()) {
            return requested.get();
        }
        Duration ttl = status.model().ttl() != null
                ? status.model().ttl()
                : gateway.scheduler().idleTtl();
        if (ttl == null || ttl.isZero()) {
            return FOREVER;
        }
        Instant since = status.lastUsed() != null ? status.lastUsed() : Instant.now();
        return since.plus(ttl);
    }

    /** {@code POST /api/show}. */
    Map<String, Object> show(ModelDescriptor model) {
        Map<String, Object> show = new LinkedHashMap<>();
        show.put("modelfile", "# served by switchboard\nFROM " + model.id() + "\n");
        show.put("parameters", "");
        show.put("template", "");
        show.put("details", details(model));
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("general.architecture", family(model));
        model.metadata().forEach((key, value) -> info.put("switchboard." + key, String.valueOf(value)));
        show.put("model_info", info);
        show.put("capabilities", List.of("completion"));
        show.put("modified_at", STARTED.toString());
        return show;
    }

    private Map<String, Object> summary(ModelDescriptor model) {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("name", model.id());
        summary.put("model", model.id());
        summary.put("modified_at", STARTED.toString());
        summary.put("size", size(model));
        summary.put("digest", digest(model.id()).substring("sha256:".length()));
        summary.put("details", details(model));
        return summary;
    }

    private static Map<String, Object> details(ModelDescriptor model) {
        String family = family(model);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("parent_model", "");
        details.put("format", model.files().stream().anyMatch(f -> f.toString().endsWith(".gguf")) ? "gguf" : "");
        details.put("family", family);
        details.put("families", family.isEmpty() ? List.of() : List.of(family));
        details.put("parameter_size", String.valueOf(model.metadata().getOrDefault("parameterSize", "")));
        int colon = model.id().lastIndexOf(':');
        details.put("quantization_level", colon < 0 ? "" : model.id().substring(colon + 1));
        return details;
    }

    private static String family(ModelDescriptor model) {
        Object architecture = model.metadata().get("architecture");
        return architecture == null ? "" : architecture.toString();
    }

    private static long size(ModelDescriptor model) {
        return model.files().stream().mapToLong(file -> file.toFile().length()).sum();
    }
}
