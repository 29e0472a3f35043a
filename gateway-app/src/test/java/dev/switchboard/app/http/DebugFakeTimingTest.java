package dev.switchboard.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.app.ServerSettings;
import dev.switchboard.core.lifecycle.SchedulerConfig;
import dev.switchboard.core.placement.GpuInventory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The test knob llama.cpp's router has as LLAMA_SERVER_DEBUG_FAKE_TIMING: 2 s per load and per proxied request. */
class DebugFakeTimingTest {
    private static final String CHAT =
            "{\"model\":\"m\",\"max_tokens\":1,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    @TempDir
    Path dir;

    @Test
    void addsTwoSecondsToEveryLoadAndEveryProxiedRequest() {
        ServerSettings settings = TestGateway.settings(List.of()).withDebugFakeTiming(true);
        try (TestGateway gateway = TestGateway.start(
                dir,
                settings,
                SchedulerConfig.ofDefaults(),
                GpuInventory.none(),
                List.of(TestGateway.simulated(dir, "m")))) {
            long started = System.nanoTime();
            assertThat(gateway.post("/models/load", "{\"model\":\"m\"}").statusCode())
                    .isEqualTo(200);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
            gateway.ensureLoaded("m");

            started = System.nanoTime();
            assertThat(gateway.post("/v1/chat/completions", CHAT).statusCode()).isEqualTo(200);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
            // the model counted as busy during the pause
            assertThat(gateway.gateway().status("m").state().holdsEngine()).isTrue();
        }
    }

    @Test
    void addsNothingByDefault() {
        try (TestGateway gateway = TestGateway.start(
                dir,
                TestGateway.settings(List.of()),
                SchedulerConfig.ofDefaults(),
                GpuInventory.none(),
                List.of(TestGateway.simulated(dir, "m")))) {
            gateway.ensureLoaded("m");
            long started = System.nanoTime();
            assertThat(gateway.post("/v1/chat/completions", CHAT).statusCode()).isEqualTo(200);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
        }
    }
}
