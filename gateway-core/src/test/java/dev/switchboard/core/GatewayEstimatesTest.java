package dev.switchboard.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.core.backend.BackendRegistry;
import dev.switchboard.core.backend.TestEchoBackendFactory;
import dev.switchboard.core.lifecycle.SchedulerConfig;
import dev.switchboard.core.spi.Backend;
import dev.switchboard.core.spi.BackendConfig;
import dev.switchboard.core.spi.BackendFactory;
import dev.switchboard.core.spi.MemoryEstimate;
import dev.switchboard.core.spi.ModelDescriptor;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Memory estimates (which may read model files) are read at start-up, not at a model's first request. */
class GatewayEstimatesTest {
    private final List<String> estimated = new CopyOnWriteArrayList<>();

    @Test
    void readsEveryModelsEstimateInTheBackgroundOnceAndAFailureWaitsForTheRequest() {
        List<ModelDescriptor> models = List.of(
                ModelDescriptor.builder("first", "counting").build(),
                ModelDescriptor.builder("broken", "counting").build(),
                ModelDescriptor.builder("second", "counting").build());
        try (Gateway gateway = Gateway.builder()
                .registry(BackendRegistry.of(List.of(new Counting())))
                .config(new GatewayConfig(
                        SchedulerConfig.ofDefaults(),
                        List.of(BackendConfig.of("counting", "counting", Map.of())),
                        models))
                .shutdownHook(false)
                .build()) {
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(estimated).containsExactlyInAnyOrder("first", "broken", "second"));

            assertThat(gateway.acquire("broken", true))
                    .failsWithin(Duration.ofSeconds(10))
                    .withThrowableThat()
                    .withMessageContaining("model 'broken': cannot estimate its memory: unreadable");
            assertThat(estimated).containsExactlyInAnyOrder("first", "broken", "second", "broken");
        }
    }

    /** Echo engines whose estimates are counted; the model {@code broken} has none. */
    private final class Counting implements BackendFactory {
        @Override
        public String type() {
            return "counting";
        }

        @Override
        public Backend create(BackendConfig config) {
            return new TestEchoBackendFactory.EchoBackend(config) {
                @Override
                public MemoryEstimate estimate(ModelDescriptor model) {
                    estimated.add(model.id());
                    if (model.id().equals("broken")) {
                        throw new IllegalStateException("unreadable");
                    }
                    return super.estimate(model);
                }
            };
        }
    }
}
