package dev.switchboard.core.catalog.internal;

import dev.switchboard.core.spi.ModelDescriptor;
import dev.switchboard.core.spi.ModelSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every model the gateway can serve, by id and alias. Built from model sources; {@link #reload()}
 * rescans them. The first source to name a model wins, so explicitly configured models (listed
 * first) take precedence over discovered ones. Thread-safe: readers see one consistent snapshot.
 */
public final class Catalog {
    private static final Logger log = LoggerFactory.getLogger(Catalog.class);

    private final List<ModelSource> sources;
    private final ReentrantLock reloading = new ReentrantLock();
    private volatile Snapshot snapshot = new Snapshot(Map.of(), Map.of());

    public Catalog(List<ModelSource> sources) {
        this.sources = List.copyOf(sources);
    }

    /** Rescans every source and swaps in the result atomically; one rescan at a time. */
    public void reload() {
        // a lock rather than synchronized: scanning reads files and upstreams, which would pin a
        // virtual thread's carrier on Java 21
        reloading.lock();
        try {
            snapshot = scan();
        } finally {
            reloading.unlock();
        }
    }

    private Snapshot scan() {
        Map<String, ModelDescriptor> byId = new LinkedHashMap<>();
        Map<String, ModelDescriptor> byName = new LinkedHashMap<>();
        for (ModelSource source : sources) {
            List<ModelDescriptor> found;
            try {
                found = source.scan();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + source.describe() + ": " + e.getMessage(), e);
            }
            for (ModelDescriptor model : found) {
                if (byId.containsKey(model.id())) {
                    log.debug("{} repeats model '{}'; keeping the first", source.describe(), model.id());
                    continue;
                }
                byId.put(model.id(), model);
                for (String name : model.names()) {
                    byName.putIfAbsent(name, model);
                }
            }
        }
        return new Snapshot(byId, byName);
    }

    /** The model with this id or alias. */
    public Optional<ModelDescriptor> resolve(String name) {
        return Optional.ofNullable(snapshot.byName().get(name));
    }

    /** Every model, listed or not, in source order. */
    public Collection<ModelDescriptor> all() {
        return snapshot.byId().values();
    }

    /** The models listings show (not {@code unlisted}). */
    public List<ModelDescriptor> listed() {
        List<ModelDescriptor> listed = new ArrayList<>();
        for (ModelDescriptor model : all()) {
            if (!model.unlisted()) {
                listed.add(model);
            }
        }
        return listed;
    }

    private record Snapshot(Map<String, ModelDescriptor> byId, Map<String, ModelDescriptor> byName) {
        Snapshot {
            byId = Collections.unmodifiableMap(new LinkedHashMap<>(byId));
            byName = Map.copyOf(byName);
        }
    }
}
