package dev.switchboard.app.clients;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.simulator.SimulatedText;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** llama-swap's {@code /upstream/<model>/...}, {@code /running} and {@code /unload}, as its users' scripts call them. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LlamaSwapRoutesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    private ClientsGateway gateway;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void start() throws Exception {
        gateway = ClientsGateway.start(dir);
    }

    @AfterAll
    void stop() {
        http.close();
        gateway.close();
    }

    @Test
    void upstreamRelaysAnyPathToTheModelsOwnServerLoadingIt() throws Exception {
        HttpResponse<String> models = send(request("/upstream/vllm/v1/models").GET());
        HttpResponse<String> completion = send(request("/upstream/llama/completion")
                .POST(HttpRequest.BodyPublishers.ofString("{\"prompt\":\"hi\",\"n_predict\":3}")));

        assertThat(models.statusCode()).isEqualTo(200);
        // vLLM's own listing, which the gateway's /v1/models does not write
        assertThat(JSON.readTree(models.body())
                        .path("data")
                        .path(0)
                        .path("owned_by")
                        .asText())
                .isEqualTo("vllm");
        assertThat(JSON.readTree(completion.body()).path("content").asText()).isEqualTo(SimulatedText.text("hi", 3));
    }

    @Test
    void upstreamWithoutTheTrailingSlashRedirectsAndAnUnknownModelIs400() throws Exception {
        HttpResponse<String> bare = send(request("/upstream/vllm?x=1").GET());
        HttpResponse<String> unknown = send(request("/upstream/nope/v1/models").GET());

        assertThat(bare.statusCode()).isEqualTo(301);
        assertThat(bare.headers().firstValue("Location")).hasValue("/upstream/vllm/?x=1");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(unknown.body()).isEqualTo("model id required in path");
    }

    @Test
    void runningListsReadyModelsAndUnloadStopsThemAll() throws Exception {
        send(request("/upstream/sglang/health").GET());

        JsonNode running = JSON.readTree(send(request("/running").GET()).body()).path("running");
        assertThat(running.findValuesAsText("model")).contains("sglang");
        assertThat(running.findValuesAsText("state")).containsOnly("ready");

        HttpResponse<String> unload = send(request("/unload").GET());
        assertThat(unload.body()).isEqualTo("OK");
        assertThat(JSON.readTree(send(request("/running").GET()).body()).path("running"))
                .isEmpty();
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(gateway.url() + path)).timeout(Duration.ofSeconds(60));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
