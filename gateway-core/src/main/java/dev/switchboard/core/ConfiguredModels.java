package dev.switchboard.core;

import dev.switchboard.core.spi.ModelDescriptor;
import dev.switchboard.core.spi.ModelSource;
import java.util.List;
import java.util.Set;

/** The models declared in configuration, checked against the configured backends; replaced on reload. */
final class ConfiguredModels implements ModelSource {
    private final Set<String> backends;
    private volatile List<ModelDescriptor> models;

    ConfiguredModels(List<ModelDescriptor> models, Set<String> backends) {
        this.backends = Set.copyOf(backends);
        replace(models);
    }

    /**
     * Declares another set of models.
     *
     * @throws IllegalArgumentException when one names a backend that is not configured
     */
    void replace(List<ModelDescriptor> models) {
        for (ModelDescriptor model : models) {
            if (!backends.contains(model.backend())) {
                throw new IllegalArgumentException("model '" + model.id() + "' names backend '" + model.backend()
                        + "', which is not configured (configured: " + backends + ")");
            }
        }
        this.models = List.copyOf(models);
    }

    List<ModelDescriptor> models() {
        return models;
    }

    @Override
    public String describe() {
        return "configured models";
    }

    @Override
    public List<ModelDescriptor> scan() {
        return models;
    }
}
