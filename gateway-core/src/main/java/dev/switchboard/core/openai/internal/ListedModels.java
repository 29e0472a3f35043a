package dev.switchboard.core.openai.internal;

import dev.switchboard.core.spi.ModelDescriptor;
import dev.switchboard.core.spi.ModelSource;
import java.net.URI;
import java.util.List;

/**
 * Upstream models named in configuration (the backend's {@code models} option), so the upstream is
 * never asked for its list.
 *
 * @param backend the backend's name
 * @param baseUrl the upstream, for descriptions
 * @param ids the upstream model ids to expose
 */
record ListedModels(String backend, URI baseUrl, List<String> ids) implements ModelSource {

    ListedModels {
        ids = List.copyOf(ids);
    }

    @Override
    public String describe() {
        return "models of backend '" + backend + "' (" + baseUrl + ")";
    }

    @Override
    public List<ModelDescriptor> scan() {
        return ids.stream()
                .map(id -> ModelDescriptor.builder(id, backend).source(id).build())
                .toList();
    }
}
