package dev.switchboard.simulator.internal.llama;

import dev.switchboard.simulator.JournalEvent;
import dev.switchboard.simulator.internal.cli.UsageException;
import dev.switchboard.simulator.internal.engine.Console;
import dev.switchboard.simulator.internal.engine.Generator;
import dev.switchboard.simulator.internal.engine.GpuMemory;
import dev.switchboard.simulator.internal.engine.MemoryPlans;
import dev.switchboard.simulator.internal.engine.Residency;
import dev.switchboard.simulator.internal.engine.Simulation;
import dev.switchboard.simulator.internal.gpu.Gpu;
import dev.switchboard.simulator.internal.gpu.GpuClaim;
import dev.switchboard.simulator.internal.gpu.Shortfall;
import dev.switchboard.simulator.internal.http.ApiError;
import dev.switchboard.simulator.internal.http.ErrorFormat;
import dev.switchboard.simulator.internal.http.ErrorKind;
import dev.switchboard.simulator.internal.http.Exchange;
import dev.switchboard.simulator.internal.http.HttpApp;
import dev.switchboard.simulator.internal.http.Router;
import dev.switchboard.simulator.internal.json.Json;
import dev.switchboard.simulator.internal.openai.InferenceHost;
import dev.switchboard.simulator.internal.openai.InferenceRequest;
import dev.switchboard.simulator.internal.openai.OpenAiEndpoints;
import dev.switchboard.simulator.internal.openai.OpenAiFormat;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A simulated {@code llama-server}: binds its port at once and answers every route with 503 "Loading model" until the
 * model has loaded; serves {@code -np} requests at a time; optionally sleeps when idle and wakes on the next request;
 * speaks the router child protocol when {@code LLAMA_SERVER_ROUTER_PORT} is set; exits on
 * {@code cmd_router_to_child:exit} (status 0) or at the end of stdin (status 1), both read only once the model has
 * loaded, as llama-server's router child does.
 */
public final class LlamaServer implements InferenceHost {

    /** The engine's flags that take no value. */
    public static final Set<String> SWITCHES = LlamaOptions.SWITCHES;

    /** Model memory when {@code --sim-memory-mb} does not say. */
    private static final long DEFAULT_MEMORY_MIB = 1024;

    // llama.cpp's GGML_ABORT ends the process with SIGABRT
    private static final int ABORT_STATUS = 134;

    private static final Set<String> PUBLIC_PATHS = Set.of("/health", "/v1/health", "/models", "/v1/models", "/");
    private static final Duration IDLE_CHECK = Duration.ofMillis(100);

    private final Simulation simulation;
    private final LlamaOptions options;
    private final RouterChannel router;
    private final Semaphore slots;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Residency residency;
    private final OpenAiEndpoints openAi;
    private volatile boolean loaded;
    private volatile long lastActivityNanos = System.nanoTime();

    private LlamaServer(Simulation simulation, LlamaOptions options, GpuMemory memory) {
        this.simulation = simulation;
        this.options = options;
        this.router = new RouterChannel(
                simulation.knobs().protocol(), simulation.env().containsKey("LLAMA_SERVER_ROUTER_PORT"));
        this.slots = new Semaphore(options.slots(), true);
        this.residency = new Residency(
                memory,
                simulation.journal(),
                simulation.knobs().sleep(),
                simulation.knobs().wake());
        this.openAi = new OpenAiEndpoints(this, new OpenAiFormat(LlamaResponses.FLAVOR), simulation);
    }

    /** Runs the simulated llama-server; returns once the model is loaded, leaving the server running. */
    public static void run(Simulation simulation) {
        LlamaOptions options = LlamaOptions.from(simulation.line());
        if (options.modelPath().isEmpty()) {
            throw new UsageException("no model given (-m or -hf); the simulator does not play llama-server's router");
        }
        List<Gpu> visible = simulation.visibleGpus();
        GpuMemory memory = new GpuMemory(simulation.ledger(), "llama-server", plan(options, simulation, visible));
        new LlamaServer(simulation, options, memory).start(memory, visible);
    }

    private void start(GpuMemory memory, List<Gpu> visible) {
        Console.log("build: " + LlamaResponses.BUILD_INFO + " (simulated by engine-simulator)");
        HttpApp app = bind();
        Console.log("srv    load_model: loading model '" + options.modelPath().orElseThrow() + "'");
        simulation.load(memory, shortfall -> outOfMemory(shortfall, visible), router::loading);
        lastActivityNanos = System.nanoTime();
        loaded = true;
        Console.log("srv    load_model: model loaded");
        RouterChannel.watchStdin(
                () -> {
                    Console.log("srv    operator(): exit command received, exiting...");
                    app.close();
                    simulation.lifecycle().exit(0);
                },
                () -> {
                    Console.log("srv    operator(): EOF on stdin detected, forcing shutdown...");
                    simulation.lifecycle().exit(1);
                });
        Console.log("main: server is listening on http://" + options.host() + ":" + app.port()
                + " - starting the main loop");
        simulation
                .journal()
                .write(
                        JournalEvent.READY,
                        Json.object("personality", "llama.cpp", "model", options.modelName(), "port", app.port()));
        router.loaded(LlamaResponses.modelInfo(options));
        if (options.sleepIdleSeconds() > 0) {
            Thread.ofVirtual().name("idle-sleep").start(this::sleepWhenIdle);
        }
    }

    private HttpApp bind() {
        Router routes = new Router(
                        exchange -> exchange.json(404, LlamaResponses.NOT_FOUND),
                        exchange -> exchange.json(404, LlamaResponses.NOT_FOUND))
                .gate(this::admitRequest)
                .get("/health", exchange -> exchange.json(200, Json.object("status", "ok")))
                .get("/v1/health", exchange -> exchange.json(200, Json.object("status", "ok")))
                .get("/models", exchange -> exchange.json(200, LlamaResponses.models(options)))
                .get("/v1/models", exchange -> exchange.json(200, LlamaResponses.models(options)))
                .get("/props", exchange -> exchange.json(200, LlamaResponses.props(options, residency.asleep())))
                .post("/completion", this::nativeCompletion)
                .post("/completions", this::nativeCompletion)
                .post("/v1/completions", openAi.completions())
                .post("/chat/completions", openAi.chat())
                .post("/v1/chat/completions", openAi.chat())
                .post("/v1/embeddings", openAi.embeddings())
                .post("/v1/responses", openAi.responses())
                .post("/responses", openAi.responses())
                .post("/v1/messages", openAi.messages());
        try {
            return HttpApp.start(
                    Optional.of(options.host()),
                    options.port(),
                    routes.without(simulation.knobs().withoutRoutes()),
                    Map.of("Server", "llama.cpp"));
        } catch (IOException e) {
            Console.log("srv    start: couldn't bind HTTP server socket, hostname: " + options.host() + ", port: "
                    + options.port());
            simulation.lifecycle().exit(1);
            throw new IllegalStateException(e);
        }
    }

    private void nativeCompletion(Exchange exchange) throws IOException {
        openAi.answer(exchange, InferenceRequest::completion, LlamaResponses.NATIVE_COMPLETION, "");
    }

    // llama-server's middlewares: CORS preflight, "Loading model" until loaded, then the API key
    private boolean admitRequest(Exchange exchange) throws IOException {
        if (exchange.method().equals("OPTIONS")) {
            exchange.responseHeader("Access-Control-Allow-Credentials", "true");
            exchange.responseHeader("Access-Control-Allow-Methods", "GET, POST");
            exchange.responseHeader("Access-Control-Allow-Headers", "*");
            exchange.empty(200);
            return false;
        }
        if (!loaded) {
            exchange.json(503, LlamaResponses.LOADING);
            return false;
        }
        if (options.apiKeys().isEmpty() || PUBLIC_PATHS.contains(exchange.path())) {
            return true;
        }
        String key = exchange.header("Authorization")
                .or(() -> exchange.header("X-Api-Key"))
                .map(value -> value.startsWith("Bearer ") ? value.substring("Bearer ".length()) : value)
                .orElse("");
        if (options.apiKeys().contains(key)) {
            return true;
        }
        exchange.json(401, LlamaResponses.INVALID_API_KEY);
        return false;
    }

    @Override
    public ErrorFormat errors() {
        return LlamaResponses.ERRORS;
    }

    // nlohmann::json's parse error is no invalid_argument, so llama-server reports it as a server error
    @Override
    public ApiError malformed(String detail) {
        return errors().error(ErrorKind.SERVER, "[json.exception.parse_error.101] parse error: " + detail);
    }

    @Override
    public Admission admit(Optional<String> requestedModel, Purpose purpose) {
        if (purpose == Purpose.EMBEDDING && !options.embeddings()) {
            throw errors().error(
                            ErrorKind.NOT_SUPPORTED,
                            "This server does not support embeddings. Start it with `--embeddings`");
        }
        slots.acquireUninterruptibly();
        inFlight.incrementAndGet();
        wakeIfAsleep();
        return new Admission(options.modelName(), () -> {
            lastActivityNanos = System.nanoTime();
            inFlight.decrementAndGet();
            slots.release();
        });
    }

    private synchronized void wakeIfAsleep() {
        if (!residency.asleep()) {
            return;
        }
        Console.log("srv  handle_sleeping_state: server is exiting sleeping state");
        router.loading(0.0);
        Optional<Shortfall> shortfall = residency.wake();
        if (shortfall.isPresent()) {
            Console.log("GGML_ABORT: failed to reload model after sleeping");
            simulation.lifecycle().exit(ABORT_STATUS);
        }
        router.loading(1.0);
        router.awake();
    }

    private void sleepWhenIdle() {
        Duration idleLimit = Duration.ofSeconds(options.sleepIdleSeconds());
        while (true) {
            Generator.sleep(IDLE_CHECK);
            sleepIfIdle(idleLimit);
        }
    }

    private synchronized void sleepIfIdle(Duration idleLimit) {
        boolean idle = inFlight.get() == 0
                && Duration.ofNanos(System.nanoTime() - lastActivityNanos).compareTo(idleLimit) >= 0;
        if (idle && !residency.asleep()) {
            residency.sleep(1, true);
            router.sleeping();
            Console.log("srv  handle_sleeping_state: server is entering sleeping state");
        }
    }

    private static List<GpuClaim> plan(LlamaOptions options, Simulation simulation, List<Gpu> visible) {
        if (options.gpuLayers() == 0) {
            return List.of();
        }
        List<Gpu> devices =
                options.devices().map(list -> devices(list, visible)).orElse(visible);
        if (options.splitMode().equals("none") && !devices.isEmpty()) {
            devices = List.of(devices.get(Math.min(Math.max(options.mainGpu(), 0), devices.size() - 1)));
        }
        long total = simulation.knobs().memoryMib().orElse(DEFAULT_MEMORY_MIB);
        return MemoryPlans.split(devices, total, options.tensorSplit());
    }

    // --device CUDA0,CUDA1 numbers the visible GPUs from 0; "none" means the CPU
    private static List<Gpu> devices(String list, List<Gpu> visible) {
        List<Gpu> devices = new ArrayList<>();
        for (String name : list.split(",")) {
            String device = name.strip();
            if (device.equals("none")) {
                return List.of();
            }
            int number;
            try {
                number = Integer.parseInt(device.replaceFirst("^[A-Za-z]+", ""));
            } catch (NumberFormatException e) {
                throw new UsageException("invalid device: " + device);
            }
            if (number < 0 || number >= visible.size()) {
                throw new UsageException("invalid device: " + device);
            }
            devices.add(visible.get(number));
        }
        return devices;
    }

    private List<String> outOfMemory(Shortfall shortfall, List<Gpu> visible) {
        int device = visible.indexOf(shortfall.gpu());
        return List.of(
                "ggml_backend_cuda_buffer_type_alloc_buffer: allocating " + shortfall.requestedMib()
                        + ".00 MiB on device " + device + ": cudaMalloc failed: out of memory",
                "llama_model_load: error loading model: unable to allocate CUDA" + device + " buffer",
                "srv    load_model: failed to load model, '"
                        + options.modelPath().orElseThrow() + "'",
                "main: exiting due to model loading error");
    }
}
