package dev.switchboard.core.spi;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One model the gateway can serve, as a {@link ModelSource} found it or configuration declared it.
 *
 * @param id the name clients use in {@code "model"}
 * @param aliases other names for the same model
 * @param tags free labels shown in listings
 * @param backend the name of the backend that runs it
 * @param source what the engine loads: a file path, a Hugging Face repo, a remote model name
 * @param files local files backing the model (first shard first, then mmproj), empty when remote
 * @param args extra engine arguments for this model
 * @param env extra environment variables for this model's engine
 * @param metadata facts read from the model (GGUF architecture, file size, quantization)
 * @param ttl idle time after which the model unloads, or {@code null} for the global default
 * @param gpus GPUs the model is pinned to (device indexes), empty for any
 * @param priority higher priorities are evicted last
 * @param group the group the model belongs to, or {@code null}
 * @param unlisted whether listings hide it (it still serves requests)
 * @param loadOnStartup whether the gateway loads it at start
 * @param stopTimeout how long a graceful stop may take, or {@code null} for the global default
 * @param options backend-specific per-model settings (a command backend's {@code cmd} and {@code
 *     proxy}, say), as configured
 * @param concurrencyLimit llama-swap's {@code concurrencyLimit}: requests one model serves at once,
 *     more get 429; 0 for no limit
 * @param filters parameters removed from or forced into every request body
 * @param fallback the model that serves a request when this one cannot (failed, circuit open,
 *     wait timed out) before any byte is sent, or {@code null}
 */
public record ModelDescriptor(
        String id,
        List<String> aliases,
        List<String> tags,
        String backend,
        String source,
        List<Path> files,
        List<String> args,
        Map<String, String> env,
        Map<String, Object> metadata,
        Duration ttl,
        List<Integer> gpus,
        int priority,
        String group,
        boolean unlisted,
        boolean loadOnStartup,
        Duration stopTimeout,
        Map<String, Object> options,
        int concurrencyLimit,
        RequestFilters filters,
        String fallback) {

    public ModelDescriptor {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(backend, "backend");
        aliases = List.copyOf(aliases);
        tags = List.copyOf(tags);
        source = source == null ? "" : source;
        files = List.copyOf(files);
        args = List.copyOf(args);
        env = Map.copyOf(env);
        metadata = Map.copyOf(metadata);
        gpus = List.copyOf(gpus);
        options = Map.copyOf(options);
        if (concurrencyLimit < 0) {
            throw new IllegalArgumentException("model " + id + ": concurrencyLimit must not be negative");
        }
        filters = filters == null ? RequestFilters.none() : filters;
        if (id.equals(fallback)) {
            throw new IllegalArgumentException("model " + id + " falls back to itself");
        }
    }

    /** All the names this model answers to: its id, then its aliases. */
    public List<String> names() {
        List<String> names = new ArrayList<>(aliases.size() + 1);
        names.add(id);
        names.addAll(aliases);
        return names;
    }

    public static Builder builder(String id, String backend) {
        return new Builder(id, backend);
    }

    public Builder toBuilder() {
        return new Builder(id, backend)
                .aliases(aliases)
                .tags(tags)
                .source(source)
                .files(files)
                .args(args)
                .env(env)
                .metadata(metadata)
                .ttl(ttl)
                .gpus(gpus)
                .priority(priority)
                .group(group)
                .unlisted(unlisted)
                .loadOnStartup(loadOnStartup)
                .stopTimeout(stopTimeout)
                .options(options)
                .concurrencyLimit(concurrencyLimit)
                .filters(filters)
                .fallback(fallback);
    }

    /** Builds a {@link ModelDescriptor}; every field but id and backend is optional. */
    public static final class Builder {
        private String id;
        private String backend;
        private List<String> aliases = List.of();
        private List<String> tags = List.of();
        private String source = "";
        private List<Path> files = List.of();
        private List<String> args = List.of();
        private Map<String, String> env = new LinkedHashMap<>();
        private Map<String, Object> metadata = new LinkedHashMap<>();
        private Duration ttl;
        private List<Integer> gpus = List.of();
        private int priority;
        private String group;
        private boolean unlisted;
        private boolean loadOnStartup;
        private Duration stopTimeout;
        private Map<String, Object> options = new LinkedHashMap<>();
        private int concurrencyLimit;
        private RequestFilters filters = RequestFilters.none();
        private String fallback;

        private Builder(String id, String backend) {
            this.id = id;
            this.backend = backend;
        }

        public Builder id(String value) {
            this.id = value;
            return this;
        }

        public Builder backend(String value) {
            this.backend = value;
            return this;
        }

        public Builder aliases(List<String> value) {
            this.aliases = value;
            return this;
        }

        public Builder tags(List<String> value) {
            this.tags = value;
            return this;
        }

        public Builder source(String value) {
            this.source = value;
            return this;
        }

        public Builder files(List<Path> value) {
            this.files = value;
            return this;
        }

        public Builder args(List<String> value) {
            this.args = value;
            return this;
        }

        public Builder addArgs(List<String> more) {
            List<String> joined = new ArrayList<>(args);
            joined.addAll(more);
            this.args = joined;
            return this;
        }

        public Builder env(Map<String, String> value) {
            this.env = new LinkedHashMap<>(value);
            return this;
        }

        public Builder metadata(Map<String, Object> value) {
            this.metadata = new LinkedHashMap<>(value);
            return this;
        }

        public Builder putMetadata(String key, Object value) {
            this.metadata.put(key, value);
            return this;
        }

        public Builder ttl(Duration value) {
            this.ttl = value;
            return this;
        }

        public Builder gpus(List<Integer> value) {
            this.gpus = value;
            return this;
        }

        public Builder priority(int value) {
            this.priority = value;
            return this;
        }

        public Builder group(String value) {
            this.group = value;
            return this;
        }

        public Builder unlisted(boolean value) {
            this.unlisted = value;
            return this;
        }

        public Builder loadOnStartup(boolean value) {
            this.loadOnStartup = value;
            return this;
        }

        public Builder stopTimeout(Duration value) {
            this.stopTimeout = value;
            return this;
        }

        public Builder options(Map<String, Object> value) {
            this.options = new LinkedHashMap<>(value);
            return this;
        }

        public Builder concurrencyLimit(int value) {
            this.concurrencyLimit = value;
            return this;
        }

        public Builder filters(RequestFilters value) {
            this.filters = value;
            return this;
        }

        public Builder fallback(String value) {
            this.fallback = value;
            return this;
        }

        public ModelDescriptor build() {
            return new ModelDescriptor(
                    id,
                    aliases,
                    tags,
                    backend,
                    source,
                    files,
                    args,
                    env,
                    metadata,
                    ttl,
                    gpus,
                    priority,
                    group,
                    unlisted,
                    loadOnStartup,
                    stopTimeout,
                    options,
                    concurrencyLimit,
                    filters,
                    fallback);
        }
    }
}
