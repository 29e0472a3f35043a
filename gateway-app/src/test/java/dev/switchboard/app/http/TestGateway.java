package dev.switchboard.app.http;

import dev.switchboard.app.ServerSettings;
import dev.switchboard.core.Gateway;
import dev.switchboard.core.GatewayConfig;
import dev.switchboard.core.lifecycle.SchedulerConfig;
import dev.switchboard.core.placement.GpuInventory;
import dev.switchboard.core.spi.BackendConfig;
import dev.switchboard.core.spi.ModelDescriptor;
import dev.switchboard.simulator.Journal;
import dev.switchboard.simulator.JournalEvent;
import dev.switchboard.simulator.SimulatorCommand;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A real gateway behind a real {@link GatewayServer} on a free port, serving models played by the
 * engine simulator (as llama-server, through the {@code command} backend), with a JDK HTTP client.
 */
final class TestGateway implements AutoCloseable {
    static final String BACKEND = "sim";
    static final Duration PATIENCE = Duration.ofSeconds(20);

    private final Path dir;
    private final Gateway gateway;
    private final GatewayServer server;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private TestGateway(Path dir, Gateway gateway, GatewayServer server) {
        this.dir = dir;
        this.gateway = gateway;
        this.server = server;
    }

    static TestGateway start(Path dir, List<ModelDescriptor> models) {
        return start(dir, settings(List.of()), SchedulerConfig.ofDefaults(), GpuInventory.none(), models);
    }

    static TestGateway start(
            Path dir,
            ServerSettings settings,
            SchedulerConfig scheduler,
            GpuInventory gpus,
            List<ModelDescriptor> models) {
        return start(dir, settings, scheduler, gpus, List.of(), models);
    }

    /** With more backends than the simulator's {@link #BACKEND}. */
    static TestGateway start(
            Path dir,
            ServerSettings settings,
            SchedulerConfig scheduler,
            GpuInventory gpus,
            List<BackendConfig> moreBackends,
            List<ModelDescriptor> models) {
        List<BackendConfig> backends = new ArrayList<>();
        backends.add(BackendConfig.of(BACKEND, "command", Map.of()));
        backends.addAll(moreBackends);
        Gateway gateway = Gateway.builder()
                .config(new GatewayConfig(scheduler, backends, models))
                .gpus(gpus)
                .shutdownHook(false)
                .build();
        try {
            return new TestGateway(dir, gateway, GatewayServer.start(gateway, settings));
        } catch (RuntimeException e) {
            gateway.close();
            throw e;
        }
    }

    /** Loopback, a free port, the given keys, 1 MiB bodies, web UI on. */
    static ServerSettings settings(List<String> apiKeys) {
        return new ServerSettings("127.0.0.1", 0, apiKeys, 1024 * 1024, true);
    }

    /**
     * A model played by a simulated llama-server that journals to {@link #journal(String)}.
     *
     * @param simArgs extra simulator flags, such as {@code --sim-load-ms 2000}
     */
    static ModelDescriptor simulated(Path dir, String id, String... simArgs) {
        return simulatedOn(BACKEND, dir, id, simArgs);
    }

    /** A simulated model on another command backend. */
    static ModelDescriptor simulatedOn(String backend, Path dir, String id, String... simArgs) {
        Path launcher = SimulatorCommand.writeLauncher(dir.resolve("llama-server"));
        String cmd = launcher + " -m /models/" + id + ".gguf --alias " + id + " --port ${PORT} --sim-record "
                + journalFile(dir, id) + " " + String.join(" ", simArgs);
        return ModelDescriptor.builder(id, backend).options(Map.of("cmd", cmd)).build();
    }

    /** Loads the model unless it is loaded already, and waits until it is ready. */
    void ensureLoaded(String model) {
        gateway.acquire(model, true).join().close();
    }

    Gateway gateway() {
        return gateway;
    }

    GatewayServer server() {
        return server;
    }

    URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + server.port() + pathAndQuery);
    }

    HttpRequest.Builder request(String pathAndQuery) {
        return HttpRequest.newBuilder(uri(pathAndQuery)).timeout(PATIENCE);
    }

    HttpResponse<String> get(String pathAndQuery) {
        return send(request(pathAndQuery).GET().build());
    }

    HttpResponse<String> post(String pathAndQuery, String json) {
        return send(request(pathAndQuery)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build());
    }

    HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Sends a request and hands back the response as soon as its headers arrive, body unread. */
    HttpResponse<InputStream> open(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** What the model's simulated engines wrote to their journal so far. */
    List<JournalEvent> journal(String model) {
        return Journal.read(journalFile(dir, model));
    }

    private static Path journalFile(Path dir, String model) {
        return dir.resolve(model + ".journal");
    }

    @Override
    public void close() {
        // the client first: the server's graceful stop would wait for its idle connections
        http.close();
        try {
            server.stop(Duration.ofSeconds(1));
        } finally {
            gateway.close();
        }
    }
}
