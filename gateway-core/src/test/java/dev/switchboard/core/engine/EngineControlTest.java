package dev.switchboard.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EngineControlTest {
    private final MockWebServer server = new MockWebServer();
    private final EngineControl control = new EngineControl(Duration.ofSeconds(2));
    private URI engine;

    @BeforeEach
    void start() throws IOException {
        server.start(0);
        engine = server.url("/").uri();
    }

    @AfterEach
    void stop() {
        control.close();
        server.close();
    }

    @Test
    void postsJsonBodies() throws Exception {
        server.enqueue(new MockResponse.Builder().code(200).build());

        control.post(engine, "/release_memory_occupation", "{}");

        RecordedRequest request = server.takeRequest();
        assertThat(request.getMethod()).isEqualTo("POST");
        assertThat(request.getTarget()).isEqualTo("/release_memory_occupation");
        assertThat(request.getHeaders().get("Content-Type")).isEqualTo("application/json");
        assertThat(request.getBody().utf8()).isEqualTo("{}");
    }

    @Test
    void failsWhenTheEngineRefuses() {
        server.enqueue(new MockResponse.Builder()
                .code(404)
                .body("{\"detail\":\"Not Found\"}")
                .build());

        assertThatThrownBy(() -> control.post(engine, "/sleep?level=1", ""))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("/sleep?level=1")
                .hasMessageContaining("404");
    }

    @Test
    void readsABooleanField() throws Exception {
        server.enqueue(new MockResponse.Builder()
                .code(200)
                .body("{\"is_sleeping\":true}")
                .build());

        assertThat(control.booleanField(engine, "/is_sleeping", "is_sleeping")).isTrue();
    }

    @Test
    void failsWhenTheFieldIsNotABoolean() {
        server.enqueue(
                new MockResponse.Builder().code(200).body("{\"status\":\"ok\"}").build());

        assertThatThrownBy(() -> control.booleanField(engine, "/is_sleeping", "is_sleeping"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("is_sleeping");
    }

    @Test
    void awaitsUntilTheConditionHolds() throws Exception {
        AtomicInteger polls = new AtomicInteger();

        control.await(() -> polls.incrementAndGet() == 3, "the third poll");

        assertThat(polls).hasValue(3);
    }

    @Test
    void givesUpAfterTheTimeoutNamingWhatItAwaited() {
        try (EngineControl impatient = new EngineControl(Duration.ofMillis(100))) {
            assertThatThrownBy(() -> impatient.await(() -> false, "the engine to sleep"))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("the engine to sleep");
        }
    }
}
