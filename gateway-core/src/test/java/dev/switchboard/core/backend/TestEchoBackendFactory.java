package dev.switchboard.core.backend;

import dev.switchboard.core.spi.Backend;
import dev.switchboard.core.spi.BackendConfig;
import dev.switchboard.core.spi.BackendFactory;
import dev.switchboard.core.spi.LaunchContext;
import dev.switchboard.core.spi.LaunchSpec;
import dev.switchboard.core.spi.MemoryEstimate;
import dev.switchboard.core.spi.ModelDescriptor;
import dev.switchboard.core.spi.ModelSource;
import dev.switchboard.core.spi.Placement;
import java.net.URI;
import java.util.List;

/**
 * A backend type that only the test classpath provides (listed in the test resources'
 * META-INF/services), as a third-party jar would: it relays every model to the server at its {@code
 * url} option.
 */
public final class TestEchoBackendFactory implements BackendFactory {
    public static final String TYPE = "test-echo";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Backend create(BackendConfig config) {
        return new EchoBackend(config);
    }

    /** The backend itself, open for tests that watch or change one of its answers. */
    public static class EchoBackend implements Backend {
        private final BackendConfig config;
        private final URI url;

        public EchoBackend(BackendConfig config) {
            this.config = config;
            this.url = URI.create(config.string("url", "http://127.0.0.1:9"));
        }

        @Override
        public String name() {
            return config.name();
        }

        @Override
        public List<ModelSource> sources() {
            return List.of();
        }

        @Override
        public MemoryEstimate estimate(ModelDescriptor model) {
            return MemoryEstimate.none();
        }

        @Override
        public LaunchSpec launch(ModelDescriptor model, Placement placement, LaunchContext context) {
            return LaunchSpec.builder(url, model.id()).build();
        }
    }
}
