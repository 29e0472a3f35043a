package dev.switchboard.core.openai.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.core.spi.ModelDescriptor;
import dev.switchboard.core.spi.ModelSource;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The models an upstream lists at {@code GET <baseUrl>/models}, asked once per scan, so {@code
 * /models?reload=1} picks up new ones. When the upstream cannot be asked, the scan keeps the models
 * it listed last and logs why: a remote outage must not stop the gateway from starting or from
 * serving its local models.
 */
final class UpstreamModels implements ModelSource {
    private static final Logger log = LoggerFactory.getLogger(UpstreamModels.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String backend;
    private final URI baseUrl;
    private final Map<String, String> headers;
    private final HttpClient http;
    private final Duration timeout;
    private volatile List<ModelDescriptor> last = List.of();

    UpstreamModels(String backend, URI baseUrl, Map<String, String> headers, HttpClient http, Duration timeout) {
        this.backend = backend;
        this.baseUrl = baseUrl;
        this.headers = Map.copyOf(headers);
        this.http = http;
        this.timeout = timeout;
    }

    @Override
    public String describe() {
        return "models of backend '" + backend + "' (" + baseUrl + "/models)";
    }

    @Override
    public List<ModelDescriptor> scan() throws IOException {
        try {
            last = new ListedModels(backend, baseUrl, fetchIds()).scan();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while listing " + describe());
        } catch (IOException e) {
            log.warn(
                    "cannot list {}: {}; keeping the {} models listed before", describe(), e.getMessage(), last.size());
        }
        return last;
    }

    private List<String> fetchIds() throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + "/models"))
                .timeout(timeout)
                .GET();
        headers.forEach(request::header);
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("the upstream answered " + response.statusCode() + ": " + response.body());
        }
        JsonNode data = JSON.readTree(response.body()).path("data");
        if (!data.isArray()) {
            throw new IOException("the upstream's answer has no 'data' list");
        }
        List<String> ids = new ArrayList<>();
        for (JsonNode model : data) {
            String id = model.path("id").asText("");
            if (!id.isEmpty()) {
                ids.add(id);
            }
        }
        return ids;
    }
}
