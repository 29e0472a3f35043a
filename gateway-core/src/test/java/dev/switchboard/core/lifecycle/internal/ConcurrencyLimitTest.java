package dev.switchboard.core.lifecycle.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.switchboard.core.Gateway;
import dev.switchboard.core.GatewayException;
import dev.switchboard.core.lifecycle.Lease;
import dev.switchboard.core.spi.ModelDescriptor;
import dev.switchboard.core.testing.SimulatedEngines;
import java.nio.file.Path;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** llama-swap's per-model {@code concurrencyLimit}, on a real engine process. */
class ConcurrencyLimitTest {
    @TempDir
    Path dir;

    @Test
    void aModelServingItsConcurrencyLimitTurnsTheNextRequestAwayWith429() {
        SimulatedEngines engines = new SimulatedEngines(dir)
                .model(ModelDescriptor.builder("m", SimulatedEngines.BACKEND).concurrencyLimit(2));
        try (Gateway gateway = engines.start()) {
            Lease first = gateway.acquire("m", true).join();
            Lease second = gateway.acquire("m", true).join();

            CompletionException refused = catchThrowableOfType(
                    CompletionException.class, () -> gateway.acquire("m", true).join());

            assertThat(refused.getCause())
                    .isInstanceOfSatisfying(
                            GatewayException.class, e -> assertThat(e.status()).isEqualTo(429))
                    .hasMessage("model 'm' is serving its limit of 2 concurrent requests");
            first.close();
            gateway.acquire("m", true).join().close(); // a freed slot serves again
            second.close();
        }
        assertThat(engines.livePids()).isEmpty();
    }
}
