package dev.switchboard.core.backend;

import dev.switchboard.core.spi.BackendFactory;
import java.net.URL;
import java.security.CodeSource;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;

/**
 * The backend types available on the classpath, found through {@link ServiceLoader}. Two factories
 * claiming one type fail fast with a message naming both jars, as SLF4J does for two bindings.
 */
public final class BackendRegistry {
    private final Map<String, BackendFactory> factories;

    private BackendRegistry(Map<String, BackendFactory> factories) {
        this.factories = Map.copyOf(factories);
    }

    /** Discovers the factories visible to the given class loader. */
    public static BackendRegistry discover(ClassLoader loader) {
        return of(ServiceLoader.load(BackendFactory.class, loader).stream()
                .map(ServiceLoader.Provider::get)
                .toList());
    }

    /** Discovers the factories visible to this class's loader. */
    public static BackendRegistry discover() {
        return discover(BackendRegistry.class.getClassLoader());
    }

    /**
     * Builds a registry from explicit factories (an embedder's own, say).
     *
     * @throws IllegalStateException when two factories claim the same type
     */
    public static BackendRegistry of(Collection<? extends BackendFactory> factories) {
        Map<String, BackendFactory> byType = new LinkedHashMap<>();
        for (BackendFactory factory : factories) {
            BackendFactory previous = byType.putIfAbsent(factory.type(), factory);
            if (previous != null) {
                throw new IllegalStateException("backend type '" + factory.type() + "' is provided twice: by "
                        + describe(previous) + " and by " + describe(factory)
                        + "; remove one of the jars from the classpath");
            }
        }
        return new BackendRegistry(byType);
    }

    /** The factory for a type, if a jar provides it. */
    public Optional<BackendFactory> factory(String type) {
        return Optional.ofNullable(factories.get(type));
    }

    /** The backend types available, sorted. */
    public Set<String> types() {
        return new TreeSet<>(factories.keySet());
    }

    /** A factory's class and the jar (or directory) it was loaded from. */
    public static String describe(BackendFactory factory) {
        CodeSource source = factory.getClass().getProtectionDomain().getCodeSource();
        URL location = source == null ? null : source.getLocation();
        return factory.getClass().getName() + " (" + (location == null ? "unknown location" : location) + ")";
    }
}
