package dev.switchboard.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.app.CorsSettings;
import dev.switchboard.app.ServerSettings;
import dev.switchboard.core.lifecycle.SchedulerConfig;
import dev.switchboard.core.placement.GpuInventory;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Cross-origin access as llama-server answers it, and as test_security.py checks it in router mode. */
class CorsTest {
    @TempDir
    Path dir;

    private TestGateway start(CorsSettings cors, List<String> keys) {
        ServerSettings settings = TestGateway.settings(keys).withCors(cors);
        return TestGateway.start(dir, settings, SchedulerConfig.ofDefaults(), GpuInventory.none(), List.of());
    }

    private static HttpResponse<String> preflight(TestGateway gateway, String origin) {
        return gateway.send(gateway.request("/completions")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", origin)
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "Authorization")
                .build());
    }

    @Test
    void answersAPreflightBeforeTheApiKeyCheckAndReflectsLocalOrigins() {
        try (TestGateway gateway = start(CorsSettings.off().withOrigins("localhost"), List.of("sk-secret"))) {
            for (String origin : List.of("http://localhost", "http://127.0.0.1:3000", "http://[::1]:3000")) {
                HttpResponse<String> response = preflight(gateway, origin);
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.headers().firstValue("Access-Control-Allow-Origin"))
                        .hasValue(origin);
                assertThat(response.headers().firstValue("Access-Control-Allow-Methods"))
                        .hasValue("GET, POST, DELETE, OPTIONS");
                assertThat(response.headers().firstValue("Access-Control-Allow-Headers"))
                        .hasValue("*");
                assertThat(response.headers().firstValue("Access-Control-Allow-Credentials"))
                        .hasValue("true");
            }
            for (String origin : List.of("http://evil.com", "http://localhost.evil.com", "http://notlocalhost")) {
                HttpResponse<String> response = preflight(gateway, origin);
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.headers().firstValue("Access-Control-Allow-Origin"))
                        .isEmpty();
            }
            // the key is still required for everything but the preflight
            assertThat(gateway.get("/v1/models").statusCode()).isEqualTo(401);
        }
    }

    @Test
    void namedOriginsAreSentOnEveryResponse() {
        try (TestGateway gateway = start(CorsSettings.off().withOrigins("https://app.example"), List.of())) {
            HttpResponse<String> response = gateway.send(gateway.request("/health")
                    .header("Origin", "https://app.example")
                    .build());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Access-Control-Allow-Origin"))
                    .hasValue("https://app.example");
        }
    }

    @Test
    void sendsNoCorsHeadersByDefault() {
        try (TestGateway gateway = start(CorsSettings.off(), List.of())) {
            HttpResponse<String> response = gateway.send(gateway.request("/health")
                    .header("Origin", "http://localhost")
                    .build());
            assertThat(response.headers().firstValue("Access-Control-Allow-Origin"))
                    .isEmpty();
        }
    }
}
