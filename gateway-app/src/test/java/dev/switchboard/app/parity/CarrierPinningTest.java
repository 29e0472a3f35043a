package dev.switchboard.app.parity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.app.parity.RouterClient.Reply;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The freeze of an idle gateway: each loaded engine has a thread blocked reading its output pipe.
 * Were those virtual threads, each would pin a carrier, and as many engines as carriers would stop
 * every request once the scheduler's spare carriers are gone. The gateway runs here with two
 * carriers and no spares at all ({@code maxPoolSize} = {@code parallelism}, the state an idle pool
 * reaches after its keep-alive), holds two quiet engines, and must still answer.
 */
class CarrierPinningTest {
    private static final List<String> TWO_CARRIERS_NO_SPARES =
            List.of("-Djdk.virtualThreadScheduler.parallelism=2", "-Djdk.virtualThreadScheduler.maxPoolSize=2");
    private static final Duration PROMPTLY = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    private GatewayProcess gateway;

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void answersWhileAsManyEnginesAsCarriersSitIdle() throws Exception {
        gateway = GatewayProcess.start(dir, TWO_CARRIERS_NO_SPARES, Map.of(), "--demo");
        RouterClient client = gateway.client();
        // the demo loads llama-3.2-3b-instruct at start-up; a second engine fills both slots
        await().atMost(RouterClient.PATIENCE)
                .until(() -> client.status("llama-3.2-3b-instruct").equals("loaded"));
        client.loadAndWait("tiny-coder");
        Thread.sleep(2_000); // both engines quiet: their output readers block in read()

        for (int probe = 0; probe < 3; probe++) {
            Reply health = client.getGivingUpAfter(PROMPTLY, "/health").get(10, TimeUnit.SECONDS);
            assertThat(health.status()).isEqualTo(200);
            Reply chat = client.postGivingUpAfter(PROMPTLY, "/v1/chat/completions", RouterClient.chat("tiny-coder", 4))
                    .get(10, TimeUnit.SECONDS);
            assertThat(chat.status()).as("%s", chat.body()).isEqualTo(200);
            Thread.sleep(500);
        }

        gateway.process().destroy(); // SIGTERM: a frozen gateway would hang here too
        assertThat(gateway.process().waitFor(20, TimeUnit.SECONDS))
                .as(gateway.log())
                .isTrue();
        assertThat(gateway.process().exitValue()).isZero();
    }
}
