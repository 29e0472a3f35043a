package dev.switchboard.app.http;

import static dev.switchboard.app.http.OpenAiRoutesTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.lifecycle.SchedulerConfig;
import dev.switchboard.core.placement.GpuInventory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With API keys configured, only requests carrying one get through. */
class ApiKeyTest {
    @TempDir
    static Path dir;

    static TestGateway gateway;

    @BeforeAll
    static void start() {
        gateway = TestGateway.start(
                dir,
                TestGateway.settings(List.of("first-key", "second-key")),
                SchedulerConfig.ofDefaults(),
                GpuInventory.none(),
                List.of());
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void refusesARequestWithoutAKey() throws IOException {
        assertError(gateway.get("/v1/models"), 401, "authentication_error", "Invalid API Key");
    }

    @Test
    void refusesAWrongKey() throws IOException {
        assertError(
                gateway.send(gateway.request("/v1/models")
                        .header("Authorization", "Bearer first-kez")
                        .build()),
                401,
                "authentication_error",
                "Invalid API Key");
    }

    @Test
    void acceptsABearerToken() {
        var response = gateway.send(gateway.request("/v1/models")
                .header("Authorization", "Bearer second-key")
                .build());

        assertThat(response.statusCode()).isEqualTo(200);
    }

    @Test
    void acceptsAnAnthropicStyleKeyHeader() {
        var response = gateway.send(
                gateway.request("/v1/models").header("x-api-key", "first-key").build());

        assertThat(response.statusCode()).isEqualTo(200);
    }

    @Test
    void guardsTheAdminApi() throws IOException {
        assertError(gateway.get("/api/models"), 401, "authentication_error", "Invalid API Key");
    }

    @Test
    void leavesTheHealthCheckOpen() {
        assertThat(gateway.get("/health").statusCode()).isEqualTo(200);
    }

    @Test
    void leavesTheWebUiPageOpenSoItCanAskForTheKey() {
        assertThat(gateway.get("/ui/index.html").statusCode()).isEqualTo(200);
    }
}
