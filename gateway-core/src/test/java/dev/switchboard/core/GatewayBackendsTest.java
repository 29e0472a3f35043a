package dev.switchboard.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.backend.TestEchoBackendFactory;
import dev.switchboard.core.lifecycle.SchedulerConfig;
import dev.switchboard.core.spi.BackendConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How a gateway turns configured backends into backends from the types its classpath provides. */
class GatewayBackendsTest {

    @Test
    void createsABackendOfADiscoveredType() {
        BackendConfig echo = BackendConfig.of("echo", TestEchoBackendFactory.TYPE, Map.of());

        try (Gateway gateway = gatewayWith(echo)) {
            assertThat(gateway.backends()).containsOnlyKeys("echo");
            assertThat(gateway.backends().get("echo").name()).isEqualTo("echo");
        }
    }

    @Test
    void failsForATypeNoJarProvidesNamingTheJarToAdd() {
        BackendConfig vllm = BackendConfig.of("big", "vllm", Map.of());

        assertThatThrownBy(() -> gatewayWith(vllm))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'vllm'")
                .hasMessageContaining("backend-vllm");
    }

    @Test
    void failsForAnUnknownTypeListingTheAvailableOnes() {
        BackendConfig odd = BackendConfig.of("odd", "tensorrt", Map.of());

        assertThatThrownBy(() -> gatewayWith(odd))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'tensorrt'")
                .hasMessageContaining(TestEchoBackendFactory.TYPE);
    }

    @Test
    void handsOutItsBackendsReadOnly() {
        try (Gateway gateway = gatewayWith(BackendConfig.of("echo", TestEchoBackendFactory.TYPE, Map.of()))) {
            assertThatThrownBy(() -> gateway.backends().clear()).isInstanceOf(UnsupportedOperationException.class);
            assertThat(gateway.backends()).containsOnlyKeys("echo");
        }
    }

    @Test
    void aFailingBuildClosesTheBackendsItAlreadyCreated() {
        List<String> closed = new java.util.concurrent.CopyOnWriteArrayList<>();
        dev.switchboard.core.spi.BackendFactory recording = new dev.switchboard.core.spi.BackendFactory() {
            @Override
            public String type() {
                return "recording";
            }

            @Override
            public dev.switchboard.core.spi.Backend create(BackendConfig config) {
                return new TestEchoBackendFactory.EchoBackend(config) {
                    @Override
                    public void close() {
                        closed.add(config.name());
                    }
                };
            }
        };
        List<BackendConfig> backends = List.of(
                BackendConfig.of("first", "recording", Map.of()), BackendConfig.of("second", "tensorrt", Map.of()));

        assertThatThrownBy(() -> Gateway.builder()
                        .registry(dev.switchboard.core.backend.BackendRegistry.of(List.of(recording)))
                        .config(new GatewayConfig(SchedulerConfig.ofDefaults(), backends, List.of()))
                        .shutdownHook(false)
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'tensorrt'");
        assertThat(closed).containsExactly("first");
    }

    private static Gateway gatewayWith(BackendConfig backend) {
        return Gateway.builder()
                .config(new GatewayConfig(SchedulerConfig.ofDefaults(), List.of(backend), List.of()))
                .shutdownHook(false)
                .build();
    }
}
