package dev.switchboard.bench;

import dev.switchboard.app.ServerSettings;
import dev.switchboard.app.http.GatewayServer;
import dev.switchboard.core.Gateway;
import dev.switchboard.core.GatewayConfig;
import dev.switchboard.core.lifecycle.SchedulerConfig;
import dev.switchboard.core.placement.GpuInventory;
import dev.switchboard.core.spi.BackendConfig;
import dev.switchboard.core.spi.ModelDescriptor;
import dev.switchboard.simulator.SimulatorCommand;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

/**
 * Load measurements of the whole gateway, each against a baseline run side by side on the same
 * machine, reported as ratios (absolute figures on a shared 2-core box say little):
 *
 * <ul>
 *   <li>{@code proxy}: requests straight to an engine simulator vs the same requests through the
 *       gateway (HTTP server, model lookup, lease, relay), non-streaming and streaming, rounds
 *       interleaved so that machine noise hits both alike.
 *   <li>{@code warm-tier}: two vLLM models that cannot share a simulated GPU, alternated; time to
 *       the first answer after a swap with vLLM sleep mode on vs off.
 *   <li>{@code sse-upstream} and {@code streams}: the stream points of {@code benchmarks/run.sh}
 *       (see {@link StreamBench}).
 *   <li>{@code bare-jetty PORT}: the server stack's ceiling point of {@code benchmarks/run.sh} (see
 *       {@link BareJetty}).
 * </ul>
 *
 * Run: {@code ./mvnw -pl benchmarks -am -Pload -DskipTests verify -Dload.args=proxy}.
 */
public final class LoadHarness {
    private static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private LoadHarness() {}

    public static void main(String[] args) throws Exception {
        String which = args.length == 0 ? "proxy" : args[0];
        switch (which) {
            case "proxy" -> proxyOverhead();
            case "warm-tier" -> warmTier();
            case "sse-upstream" -> StreamBench.upstream(Integer.parseInt(args[1]));
            case "bare-jetty" -> BareJetty.serve(Integer.parseInt(args[1]));
            case "streams" ->
                StreamBench.measure(
                        URI.create(args[1]), URI.create(args[2]), Integer.parseInt(args[3]), Long.parseLong(args[4]));
            default ->
                throw new IllegalArgumentException(
                        "unknown measurement '" + which + "' (proxy, warm-tier, sse-upstream, bare-jetty, streams)");
        }
    }

    // ---- proxy overhead ----

    private static void proxyOverhead() throws Exception {
        int requests = 1500;
        int rounds = 3;
        int enginePort = freePort();
        List<String> engineCommand = new ArrayList<>(SimulatorCommand.javaCommand());
        engineCommand.addAll(List.of(
                "-m",
                "/models/bench.gguf",
                "--alias",
                "bench",
                "--port",
                Integer.toString(enginePort),
                "-np",
                "16",
                "--sim-load-ms",
                "0",
                "--sim-tokens-per-second",
                "0"));
        Process engine = new ProcessBuilder(engineCommand)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        String command = SimulatorCommand.javaCommand().stream().collect(Collectors.joining(" "))
                + " -m /models/bench.gguf --alias bench --port ${PORT} -np 16 --sim-load-ms 0 --sim-tokens-per-second 0";
        ModelDescriptor model = ModelDescriptor.builder("bench", "sim")
                .options(Map.of("cmd", command))
                .build();
        GatewayConfig config = new GatewayConfig(
                SchedulerConfig.ofDefaults(), List.of(BackendConfig.of("sim", "command", Map.of())), List.of(model));
        try (Gateway gateway =
                Gateway.builder().config(config).shutdownHook(false).build()) {
            GatewayServer server = GatewayServer.start(
                    gateway,
                    new ServerSettings("127.0.0.1", 0, List.of(), ServerSettings.DEFAULT_MAX_BODY_BYTES, false));
            try {
                URI direct = URI.create("http://127.0.0.1:" + enginePort);
                URI through = URI.create("http://127.0.0.1:" + server.port());
                awaitHealthy(direct);
                for (int concurrency : new int[] {1, 8}) {
                    for (boolean stream : new boolean[] {false, true}) {
                        // a streamed answer takes the engine ~45 ms: fewer of them measure as well
                        compare(direct, through, concurrency, stream, stream ? requests / 5 : requests, rounds);
                    }
                }
            } finally {
                server.stop(Duration.ofSeconds(5));
            }
        } finally {
            engine.destroy();
            engine.waitFor();
        }
    }

    /** Interleaved rounds straight to the engine and through the gateway, then one table. */
    private static void compare(URI direct, URI through, int concurrency, boolean stream, int requests, int rounds)
            throws Exception {
        String body = "{\"model\":\"bench\",\"stream\":" + stream
                + ",\"max_tokens\":16,\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}";
        run(direct, body, concurrency, 300); // warm-up, both paths
        run(through, body, concurrency, 300);
        List<Long> directNanos = new ArrayList<>();
        List<Long> gatewayNanos = new ArrayList<>();
        Duration directTime = Duration.ZERO;
        Duration gatewayTime = Duration.ZERO;
        for (int round = 0; round < rounds; round++) {
            long t0 = System.nanoTime();
            directNanos.addAll(run(direct, body, concurrency, requests));
            long t1 = System.nanoTime();
            gatewayNanos.addAll(run(through, body, concurrency, requests));
            long t2 = System.nanoTime();
            directTime = directTime.plusNanos(t1 - t0);
            gatewayTime = gatewayTime.plusNanos(t2 - t1);
        }
        LatencyStats base = LatencyStats.of("engine directly", directNanos, directTime);
        LatencyStats gw = LatencyStats.of("through the gateway", gatewayNanos, gatewayTime);
        System.out.println();
        System.out.println("### " + (stream ? "Streaming" : "Non-streaming") + " chat completions, 16 tokens, "
                + concurrency + " clients");
        System.out.println("| path | requests | req/s | p50 ms | p99 ms |");
        System.out.println("|---|---|---|---|---|");
        System.out.println(base.row());
        System.out.println(gw.row());
        System.out.printf(
                Locale.ROOT,
                "%nthroughput ratio (gateway / direct): %.2f; p50 ratio: %.2f%n",
                gw.throughput() / base.throughput(),
                gw.p50Millis() / base.p50Millis());
    }

    private static List<Long> run(URI target, String body, int concurrency, int requests) throws Exception {
        List<Long> nanos = Collections.synchronizedList(new ArrayList<>());
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> workers = new ArrayList<>();
            for (int c = 0; c < concurrency; c++) {
                int share = requests / concurrency;
                workers.add(clients.submit(() -> {
                    for (int i = 0; i < share; i++) {
                        long start = System.nanoTime();
                        HttpResponse<byte[]> response = HTTP.send(
                                HttpRequest.newBuilder(target.resolve("/v1/chat/completions"))
                                        .header("Content-Type", "application/json")
                                        .POST(HttpRequest.BodyPublishers.ofString(body))
                                        .build(),
                                HttpResponse.BodyHandlers.ofByteArray());
                        if (response.statusCode() != 200) {
                            throw new IllegalStateException("status " + response.statusCode() + " from " + target);
                        }
                        nanos.add(System.nanoTime() - start);
                    }
                    return null;
                }));
            }
            for (Future<?> worker : workers) {
                worker.get();
            }
        }
        return nanos;
    }

    // ---- warm tier ----

    private static void warmTier() throws Exception {
        int swaps = 6;
        Map<Boolean, List<Long>> results = new java.util.LinkedHashMap<>();
        for (boolean sleep : new boolean[] {false, true}) {
            Path dir = Files.createTempDirectory("switchboard-warm-tier");
            Path ledger = Files.createDirectories(dir.resolve("ledger"));
            Files.writeString(ledger.resolve("gpus.csv"), "0, GPU-sim-0, Simulated H100, 81920\n");
            BackendConfig vllm = BackendConfig.of(
                    "vllm",
                    "vllm",
                    Map.of(
                            "command", SimulatorCommand.javaCommand(),
                            "env",
                                    Map.of(
                                            "SIM_LEDGER",
                                            ledger.toString(),
                                            "SIM_LOAD_MS",
                                            "3000",
                                            "SIM_WAKE_MS",
                                            "150")));
            List<ModelDescriptor> models = new ArrayList<>();
            for (String id : List.of("left", "right")) {
                models.add(ModelDescriptor.builder(id, "vllm")
                        .source("org/" + id)
                        .args(List.of("--gpu-memory-utilization", "0.6"))
                        .options(Map.of("sleep", sleep))
                        .build());
            }
            List<String> nvidiaSmi = new ArrayList<>(SimulatorCommand.fakeNvidiaSmiCommand());
            nvidiaSmi.addAll(List.of("--ledger", ledger.toString()));
            List<Long> swapNanos = new ArrayList<>();
            try (Gateway gateway = Gateway.builder()
                    .config(new GatewayConfig(SchedulerConfig.ofDefaults(), List.of(vllm), models))
                    .gpus(GpuInventory.nvidiaSmi(nvidiaSmi, Duration.ofMillis(100)))
                    .shutdownHook(false)
                    .build()) {
                gateway.acquire("left", true).get().close();
                gateway.acquire("right", true).get().close();
                for (int i = 0; i < swaps; i++) {
                    long start = System.nanoTime();
                    gateway.acquire(i % 2 == 0 ? "left" : "right", true).get().close();
                    swapNanos.add(System.nanoTime() - start);
                }
            }
            results.put(sleep, swapNanos);
        }
        double cold = median(results.get(false));
        double warm = median(results.get(true));
        System.out.println("| swap between two vLLM models on one GPU | median ms |");
        System.out.println("|---|---|");
        System.out.printf(Locale.ROOT, "| cold restart (sleep off) | %.0f |%n", cold / 1e6);
        System.out.printf(Locale.ROOT, "| wake from sleep (sleep: true) | %.0f |%n", warm / 1e6);
        System.out.printf(Locale.ROOT, "%nswap time ratio (wake / cold): %.3f%n", warm / cold);
    }

    private static double median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    private static void awaitHealthy(URI engine) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            try {
                if (HTTP.send(
                                        HttpRequest.newBuilder(engine.resolve("/health"))
                                                .build(),
                                        HttpResponse.BodyHandlers.discarding())
                                .statusCode()
                        == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("engine at " + engine + " never became healthy");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
