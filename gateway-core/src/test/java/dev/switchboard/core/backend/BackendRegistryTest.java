package dev.switchboard.core.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.command.CommandBackendFactory;
import dev.switchboard.core.openai.OpenAiBackendFactory;
import dev.switchboard.core.spi.Backend;
import dev.switchboard.core.spi.BackendConfig;
import dev.switchboard.core.spi.BackendFactory;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BackendRegistryTest {

    @Test
    void discoversAFactoryListedByAnotherJar() {
        BackendRegistry registry = BackendRegistry.discover();

        assertThat(registry.factory(TestEchoBackendFactory.TYPE)).get().isInstanceOf(TestEchoBackendFactory.class);
    }

    @Test
    void discoversTheCoresOwnTypes() {
        assertThat(BackendRegistry.discover().types()).contains(CommandBackendFactory.TYPE, OpenAiBackendFactory.TYPE);
    }

    @Test
    void failsWhenTwoFactoriesClaimOneTypeNamingBoth() {
        List<BackendFactory> clash = List.of(new TestEchoBackendFactory(), new ImpostorFactory());

        assertThatThrownBy(() -> BackendRegistry.of(clash))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'test-echo'")
                .hasMessageContaining(TestEchoBackendFactory.class.getName())
                .hasMessageContaining(ImpostorFactory.class.getName());
    }

    /** A second factory for the test-echo type, as a conflicting jar would bring. */
    private static final class ImpostorFactory implements BackendFactory {
        @Override
        public String type() {
            return TestEchoBackendFactory.TYPE;
        }

        @Override
        public Backend create(BackendConfig config) {
            return new TestEchoBackendFactory().create(BackendConfig.of(config.name(), type(), Map.of()));
        }
    }
}
