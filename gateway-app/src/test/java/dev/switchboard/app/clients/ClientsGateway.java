package dev.switchboard.app.clients;

import dev.switchboard.app.ServerSettings;
import dev.switchboard.app.http.GatewayServer;
import dev.switchboard.core.Gateway;
import dev.switchboard.core.GatewayConfig;
import dev.switchboard.core.lifecycle.SchedulerConfig;
import dev.switchboard.core.placement.GpuInventory;
import dev.switchboard.core.spi.BackendConfig;
import dev.switchboard.core.spi.ModelDescriptor;
import dev.switchboard.llamacpp.hub.PullableHub;
import dev.switchboard.simulator.SimulatorCommand;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A real gateway on a free port in front of simulated engines of every kind, as client libraries
 * meet it: {@code llama} (llama-server, with embeddings and the alias {@code qwen2.5:7b}), {@code
 * vllm}, {@code sglang} (no Anthropic route, as SGLang has none), and {@code old-vllm} (a vLLM
 * without the Responses and Messages routes, as releases before them were); and a llama.cpp
 * backend whose Hugging Face hub is a local fake with {@code org/tiny-GGUF:Q4_K_M} to pull.
 */
public final class ClientsGateway implements AutoCloseable {
    private static final String BACKEND = "sim";

    private final PullableHub hub;
    private final Gateway gateway;
    private final GatewayServer server;

    private ClientsGateway(PullableHub hub, Gateway gateway, GatewayServer server) {
        this.hub = hub;
        this.gateway = gateway;
        this.server = server;
    }

    public static ClientsGateway start(Path dir) throws IOException {
        PullableHub hub = new PullableHub("org/tiny-GGUF", "tiny-Q4_K_M.gguf", "x".repeat(200_000));
        Path launcher = SimulatorCommand.writeLauncher(dir.resolve("engine"));
        String quick = " --port ${PORT} --sim-load-ms 0 --sim-tokens-per-second 0";
        List<ModelDescriptor> models = List.of(
                model(
                        "llama",
                        List.of("qwen2.5:7b"),
                        launcher + " -m /models/llama.gguf --alias llama --embeddings" + quick),
                model("vllm", List.of(), launcher + " serve org/vllm-model --served-model-name vllm" + quick),
                model(
                        "sglang",
                        List.of(),
                        launcher + " -m sglang.launch_server --model-path org/sglang-model --served-model-name sglang"
                                + quick),
                model(
                        "old-vllm",
                        List.of(),
                        launcher + " serve org/old --served-model-name old-vllm"
                                + " --sim-without-routes /v1/responses,/v1/messages" + quick));
        Gateway gateway = Gateway.builder()
                .config(new GatewayConfig(
                        SchedulerConfig.custom().maxLoaded(4).build(),
                        List.of(
                                BackendConfig.of(BACKEND, "command", Map.of()),
                                BackendConfig.of(
                                        "llama",
                                        "llamacpp",
                                        Map.of(
                                                "binary", launcher.toString(),
                                                "cacheDir", dir.resolve("hub").toString(),
                                                "hfEndpoint", hub.endpoint().toString()))),
                        models))
                .gpus(GpuInventory.none())
                .shutdownHook(false)
                .build();
        try {
            return new ClientsGateway(
                    hub,
                    gateway,
                    GatewayServer.start(gateway, new ServerSettings("127.0.0.1", 0, List.of(), 64L << 20, false)));
        } catch (RuntimeException e) {
            gateway.close();
            hub.close();
            throw e;
        }
    }

    private static ModelDescriptor model(String id, List<String> aliases, String cmd) {
        return ModelDescriptor.builder(id, BACKEND)
                .aliases(aliases)
                .options(Map.of("cmd", cmd))
                .build();
    }

    public Gateway gateway() {
        return gateway;
    }

    /** {@code http://127.0.0.1:PORT}. */
    public String url() {
        return "http://127.0.0.1:" + server.port();
    }

    @Override
    public void close() {
        try {
            server.stop(Duration.ofSeconds(1));
        } finally {
            gateway.close();
            hub.close();
        }
    }
}
