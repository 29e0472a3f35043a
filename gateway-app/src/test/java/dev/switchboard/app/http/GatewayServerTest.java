package dev.switchboard.app.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Starting and, above all, stopping the server. */
class GatewayServerTest {
    @TempDir
    Path dir;

    TestGateway gateway;

    @AfterEach
    void close() {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void stopLetsAnInFlightStreamFinish() throws IOException {
        gateway = TestGateway.start(dir, List.of(TestGateway.simulated(dir, "m", "--sim-tokens-per-second", "20")));
        HttpResponse<InputStream> response = gateway.open(chat(20));
        try (Streams events = new Streams(response)) {
            assertThat(events.next()).contains("chat.completion.chunk");

            CompletableFuture<Void> stopping =
                    CompletableFuture.runAsync(() -> gateway.server().stop(Duration.ofSeconds(15)));

            assertThat(events.rest()).last().isEqualTo("[DONE]");
            stopping.join();
        }
    }

    @Test
    void stopRefusesNewConnections() {
        gateway = TestGateway.start(dir, List.of());
        gateway.server().stop(Duration.ofSeconds(1));

        assertThatThrownBy(() -> gateway.get("/health")).isInstanceOf(UncheckedIOException.class);
    }

    @Test
    void stopCutsOffAStreamThatOutlastsTheDrain() throws IOException {
        gateway = TestGateway.start(dir, List.of(TestGateway.simulated(dir, "m", "--sim-tokens-per-second", "5")));
        HttpResponse<InputStream> response = gateway.open(chat(1000));
        try (Streams events = new Streams(response)) {
            assertThat(events.next()).contains("chat.completion.chunk");

            gateway.server().stop(Duration.ofMillis(200));

            assertThatThrownBy(events::rest).isInstanceOf(IOException.class);
        }
    }

    @Test
    void stopEndsOpenEventStreamsAtOnce() throws IOException {
        gateway = TestGateway.start(dir, List.of());
        HttpResponse<InputStream> response =
                gateway.open(gateway.request("/api/events").GET().build());
        try (Streams events = new Streams(response)) {
            gateway.server().stop(Duration.ofMinutes(5));

            assertThat(events.rest()).isEmpty();
        }
    }

    @Test
    void stopIsIdempotent() {
        gateway = TestGateway.start(dir, List.of());

        gateway.server().stop(Duration.ofSeconds(1));
        gateway.server().stop(Duration.ofSeconds(1));

        assertThatThrownBy(() -> gateway.get("/health")).isInstanceOf(UncheckedIOException.class);
    }

    private HttpRequest chat(int maxTokens) {
        return gateway.request("/v1/chat/completions")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"m\",\"stream\":true,\"max_tokens\":" + maxTokens
                        + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                .build();
    }
}
