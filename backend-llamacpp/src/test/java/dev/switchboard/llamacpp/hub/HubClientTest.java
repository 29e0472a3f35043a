package dev.switchboard.llamacpp.hub;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HubClientTest {

    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void tearDown() {
        http.close();
    }

    @Test
    void defaultsToHuggingFace() {
        assertThat(HubClient.fromEnvironment(Map.of(), () -> http).endpoint())
                .isEqualTo(URI.create("https://huggingface.co/"));
    }

    @Test
    void modelEndpointWinsOverHfEndpoint() {
        Map<String, String> env =
                Map.of("MODEL_ENDPOINT", "https://mirror.example/hf", "HF_ENDPOINT", "https://other.example");

        assertThat(HubClient.fromEnvironment(env, () -> http).endpoint())
                .isEqualTo(URI.create("https://mirror.example/hf/"));
    }

    @Test
    void anEmptyVariableCountsAsUnset() {
        Map<String, String> env = Map.of("MODEL_ENDPOINT", "", "HF_ENDPOINT", "https://hf-mirror.com");

        assertThat(HubClient.fromEnvironment(env, () -> http).endpoint())
                .isEqualTo(URI.create("https://hf-mirror.com/"));
    }
}
