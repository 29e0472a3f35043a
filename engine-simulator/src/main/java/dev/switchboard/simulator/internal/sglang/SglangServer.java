package dev.switchboard.simulator.internal.sglang;

import static dev.switchboard.simulator.internal.json.Json.array;
import static dev.switchboard.simulator.internal.json.Json.object;

import dev.switchboard.simulator.JournalEvent;
import dev.switchboard.simulator.internal.engine.Console;
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
import dev.switchboard.simulator.internal.http.FastApi;
import dev.switchboard.simulator.internal.http.HttpApp;
import dev.switchboard.simulator.internal.http.Router;
import dev.switchboard.simulator.internal.openai.Flavor;
import dev.switchboard.simulator.internal.openai.InferenceHost;
import dev.switchboard.simulator.internal.openai.OpenAiEndpoints;
import dev.switchboard.simulator.internal.openai.OpenAiFormat;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A simulated {@code python -m sglang.launch_server}. Like SGLang it opens its port once the model has loaded, then
 * answers {@code /health} with 503 until its warm-up generation (8 tokens) is done. {@code /release_memory_occupation}
 * gives the GPU memory back only with {@code --enable-memory-saver}; a generation request while it is gone kills the
 * process. It does not watch stdin.
 */
public final class SglangServer implements InferenceHost {

    /** The engine's flags that take no value. */
    public static final Set<String> SWITCHES = SglangOptions.SWITCHES;

    private static final Flavor FLAVOR = new Flavor(
            "",
            "",
            Optional.empty(),
            "",
            false,
            object("logprobs", null, "matched_stop", null),
            object("reasoning_content", null, "tool_calls", null),
            false);

    /** {@code {"object":"error","message":..,"type":..,"param":null,"code":..}}, SGLang's {@code ErrorResponse}. */
    private static final ErrorFormat ERRORS = (kind, message) ->
            object("object", "error", "message", message, "type", type(kind), "param", null, "code", kind.status());

    // SGLang's warm-up request asks for this many tokens
    private static final int WARMUP_TOKENS = 8;

    private final Simulation simulation;
    private final SglangOptions options;
    private final Residency residency;
    private volatile boolean warmedUp;

    private SglangServer(Simulation simulation, SglangOptions options, GpuMemory memory) {
        this.simulation = simulation;
        this.options = options;
        this.residency = new Residency(
                memory,
                simulation.journal(),
                simulation.knobs().sleep(),
                simulation.knobs().wake());
    }

    /** Runs the simulated SGLang server; returns once it has warmed up. */
    public static void run(Simulation simulation) {
        SglangOptions options = SglangOptions.from(simulation.line());
        Console.log("[engine-simulator] server_args=ServerArgs(model_path='" + options.modelPath() + "', port="
                + options.port() + ", tp_size=" + options.tensorParallelSize() + ")");
        GpuMemory memory = new GpuMemory(simulation.ledger(), "python3", plan(options, simulation));
        new SglangServer(simulation, options, memory).start(memory);
    }

    private void start(GpuMemory memory) {
        Console.log("[TP0] Load weight begin.");
        simulation.load(memory, this::outOfMemory, fraction -> {});
        Console.log("[TP0] Load weight end.");
        OpenAiEndpoints openAi = new OpenAiEndpoints(this, new OpenAiFormat(FLAVOR), simulation);
        Router routes = FastApi.router()
                .gate(FastApi.apiKey(options.apiKey(), path -> !path.startsWith("/health")))
                .get("/health", this::health)
                .get("/health_generate", this::health)
                .get("/get_model_info", exchange -> exchange.json(200, modelInfo()))
                .get("/v1/models", exchange -> exchange.json(200, models()))
                .post("/v1/chat/completions", openAi.chat())
                .post("/v1/completions", openAi.completions())
                .post("/v1/embeddings", openAi.embeddings())
                .post("/v1/responses", openAi.responses());
        if (options.metrics()) {
            routes.get(
                    "/metrics",
                    FastApi.gauge(
                            "sglang:token_usage",
                            "The token usage.",
                            Map.of("model_name", options.servedName()),
                            simulation.knobs().kvCacheUsage()));
        }
        for (String method : List.of("GET", "POST")) {
            routes.route(method, "/release_memory_occupation", this::release)
                    .route(method, "/resume_memory_occupation", this::resume);
        }
        HttpApp app;
        try {
            app = HttpApp.start(
                    Optional.of(options.host()),
                    options.port(),
                    routes.without(simulation.knobs().withoutRoutes()),
                    Map.of("Server", "uvicorn"));
        } catch (IOException e) {
            Console.log("ERROR:    [Errno 98] error while attempting to bind on address ('" + options.host() + "', "
                    + options.port() + "): address already in use");
            simulation.lifecycle().exit(1);
            return;
        }
        FastApi.logStartup(options.host(), app.port());
        if (!options.skipWarmup()) {
            simulation.generator().pause(WARMUP_TOKENS);
        }
        warmedUp = true;
        Console.log("The server is fired up and ready to roll!");
        simulation
                .journal()
                .write(
                        JournalEvent.READY,
                        object("personality", "sglang", "model", options.servedName(), "port", app.port()));
    }

    private void health(Exchange exchange) throws IOException {
        exchange.empty(warmedUp ? 200 : 503);
    }

    private void release(Exchange exchange) throws IOException {
        residency.sleep(1, options.memorySaver());
        exchange.json(200, null);
    }

    // SGLang reports a failed resume as {"error":{"message":..}} with status 400 and keeps running
    private void resume(Exchange exchange) throws IOException {
        Optional<Shortfall> shortfall = residency.wake();
        if (shortfall.isPresent()) {
            exchange.json(
                    400,
                    object(
                            "error",
                            object(
                                    "message",
                                    "CUDA out of memory. Tried to allocate "
                                            + shortfall.get().requestedMib() + " MiB on GPU "
                                            + shortfall.get().gpu().index())));
            return;
        }
        exchange.json(200, null);
    }

    private Map<String, Object> modelInfo() {
        return object(
                "model_path",
                options.modelPath(),
                "tokenizer_path",
                options.modelPath(),
                "is_generation",
                true,
                "preferred_sampling_params",
                null,
                "weight_version",
                "default");
    }

    private Map<String, Object> models() {
        Map<String, Object> card = object(
                "id", options.servedName(),
                "object", "model",
                "created", Instant.now().getEpochSecond(),
                "owned_by", "sglang",
                "root", options.modelPath(),
                "max_model_len", options.contextLength());
        return object("object", "list", "data", array(card));
    }

    @Override
    public ErrorFormat errors() {
        return ERRORS;
    }

    @Override
    public ApiError malformed(String detail) {
        return ERRORS.error(ErrorKind.BAD_REQUEST, "JSON decode error: " + detail);
    }

    @Override
    public Admission admit(Optional<String> requestedModel, Purpose purpose) {
        if (residency.asleep() && options.memorySaver()) {
            Console.log("[TP0] Scheduler hit an exception: CUDA error: an illegal memory access was encountered");
            simulation.lifecycle().exitSoon(1);
            throw ERRORS.error(ErrorKind.SERVER, "The scheduler died while the GPU memory was released.");
        }
        // SGLang names the model as the request did
        return Admission.of(requestedModel.orElse(options.servedName()));
    }

    private static String type(ErrorKind kind) {
        return switch (kind) {
            case BAD_REQUEST -> "Bad Request";
            case UNAUTHORIZED -> "Unauthorized";
            case NOT_FOUND -> "Not Found";
            case SERVER -> "Internal Server Error";
            case NOT_SUPPORTED -> "Not Implemented";
            case UNAVAILABLE -> "Service Unavailable";
        };
    }

    // SGLang takes its static fraction of tp GPUs, starting at --base-gpu-id among the visible ones
    private static List<GpuClaim> plan(SglangOptions options, Simulation simulation) {
        if (simulation.ledger().isEmpty()) {
            return List.of();
        }
        List<Gpu> visible = simulation.visibleGpus();
        int end = options.baseGpuId() + options.tensorParallelSize();
        if (options.baseGpuId() < 0 || end > visible.size()) {
            Console.log("RuntimeError: CUDA error: invalid device ordinal");
            simulation.lifecycle().exit(1);
        }
        List<Gpu> gpus = visible.subList(options.baseGpuId(), end);
        return MemoryPlans.fractionUnlessSized(gpus, simulation.knobs().memoryMib(), options.memFractionStatic());
    }

    private List<String> outOfMemory(Shortfall shortfall) {
        return List.of(
                "torch.OutOfMemoryError: CUDA out of memory. Tried to allocate " + shortfall.requestedMib()
                        + " MiB. GPU " + shortfall.gpu().index() + " has a total capacity of "
                        + shortfall.gpu().totalMib() + " MiB of which " + shortfall.freeMib() + " MiB is free.",
                "RuntimeError: Not enough memory. Please try to increase --mem-fraction-static.");
    }
}
