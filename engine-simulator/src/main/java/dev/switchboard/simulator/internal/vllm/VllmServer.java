package dev.switchboard.simulator.internal.vllm;

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
 * A simulated {@code vllm serve}: the port stays closed until the model has loaded, as with vLLM's API server. With
 * {@code VLLM_SERVER_DEV_MODE=1} it offers {@code /sleep}, {@code /wake_up} and {@code /is_sleeping}; sleep gives the
 * GPU memory back only with {@code --enable-sleep-mode}. A generation request while the memory is gone kills it, as it
 * kills vLLM (vllm-project/vllm#15483). It does not watch stdin.
 */
public final class VllmServer implements InferenceHost {

    /** The engine's flags that take no value. */
    public static final Set<String> SWITCHES = VllmOptions.SWITCHES;

    private static final Flavor FLAVOR = new Flavor(
            "chatcmpl-",
            "cmpl-",
            Optional.empty(),
            "",
            true,
            object("logprobs", null, "stop_reason", null),
            object(
                    "refusal", null,
                    "annotations", null,
                    "audio", null,
                    "function_call", null,
                    "tool_calls", array(),
                    "reasoning_content", null),
            false);

    /** {@code {"error":{"message":..,"type":..,"param":null,"code":..}}}, vLLM's {@code ErrorResponse}. */
    private static final ErrorFormat ERRORS = (kind, message) ->
            object("error", object("message", message, "type", type(kind), "param", null, "code", kind.status()));

    private static final String ENGINE_DEAD =
            "EngineCore encountered an issue. See stack trace (above) for the root cause.";

    private final Simulation simulation;
    private final VllmOptions options;
    private final Residency residency;

    private VllmServer(Simulation simulation, VllmOptions options, GpuMemory memory) {
        this.simulation = simulation;
        this.options = options;
        this.residency = new Residency(
                memory,
                simulation.journal(),
                simulation.knobs().sleep(),
                simulation.knobs().wake());
    }

    /** Runs the simulated vLLM server; returns once it listens. */
    public static void run(Simulation simulation) {
        VllmOptions options = VllmOptions.from(simulation.line());
        Console.log("INFO [api_server.py] vLLM API server version 0.0.0 (simulated by engine-simulator)");
        Console.log("INFO [api_server.py] args: " + simulation.line().args());
        GpuMemory memory = new GpuMemory(simulation.ledger(), "python3", plan(options, simulation));
        new VllmServer(simulation, options, memory).start(memory);
    }

    private void start(GpuMemory memory) {
        simulation.load(memory, this::outOfMemory, fraction -> {});
        Console.log("INFO [gpu_model_runner.py] Model loading took "
                + simulation.knobs().load().toMillis() + " ms");
        OpenAiEndpoints openAi = new OpenAiEndpoints(this, new OpenAiFormat(FLAVOR), simulation);
        Router routes = FastApi.router()
                .gate(FastApi.apiKey(options.apiKey(), path -> path.startsWith("/v1")))
                .get("/health", exchange -> exchange.empty(200))
                .get("/v1/models", exchange -> exchange.json(200, models()))
                .post("/v1/chat/completions", openAi.chat())
                .post("/v1/completions", openAi.completions())
                .post("/v1/embeddings", openAi.embeddings())
                .post("/v1/audio/transcriptions", openAi.transcriptions())
                .post("/v1/audio/translations", openAi.transcriptions())
                .post("/v1/responses", openAi.responses())
                .post("/v1/messages", openAi.messages())
                .get(
                        "/metrics",
                        FastApi.gauge(
                                "vllm:kv_cache_usage_perc",
                                "KV-cache usage. 1 means 100 percent usage.",
                                Map.of("engine", "0", "model_name", options.servedName()),
                                simulation.knobs().kvCacheUsage()));
        if ("1".equals(simulation.env().get("VLLM_SERVER_DEV_MODE"))) {
            routes.post("/sleep", this::sleep)
                    .post("/wake_up", this::wakeUp)
                    .get("/is_sleeping", exchange -> exchange.json(200, object("is_sleeping", residency.asleep())));
        }
        HttpApp app;
        try {
            app = HttpApp.start(
                    options.host(),
                    options.port(),
                    routes.without(simulation.knobs().withoutRoutes()),
                    Map.of("Server", "uvicorn"));
        } catch (IOException e) {
            Console.log("OSError: [Errno 98] error while attempting to bind on address ('"
                    + options.host().orElse("0.0.0.0") + "', " + options.port() + "): address already in use");
            simulation.lifecycle().exit(1);
            return;
        }
        FastApi.logStartup(options.host().orElse("0.0.0.0"), app.port());
        simulation
                .journal()
                .write(
                        JournalEvent.READY,
                        object("personality", "vllm", "model", options.servedName(), "port", app.port()));
    }

    private void sleep(Exchange exchange) throws IOException {
        int level = exchange.query("level").map(Integer::parseInt).orElse(1);
        residency.sleep(level, options.sleepMode());
        Console.log("INFO [abstract.py] It took " + simulation.knobs().sleep().toMillis() + " ms to fall asleep.");
        exchange.empty(200);
    }

    private void wakeUp(Exchange exchange) throws IOException {
        Optional<Shortfall> shortfall = residency.wake();
        if (shortfall.isPresent()) {
            Console.log("ERROR [core.py] torch.OutOfMemoryError: CUDA out of memory. Tried to allocate "
                    + shortfall.get().requestedMib() + " MiB on GPU "
                    + shortfall.get().gpu().index() + ", "
                    + shortfall.get().freeMib() + " MiB free");
            Console.log("ERROR [core.py] " + ENGINE_DEAD);
            simulation.lifecycle().exitSoon(1);
            throw ERRORS.error(ErrorKind.SERVER, ENGINE_DEAD);
        }
        exchange.empty(200);
    }

    private Map<String, Object> models() {
        long created = Instant.now().getEpochSecond();
        Map<String, Object> permission = object(
                "id", "modelperm-simulated",
                "object", "model_permission",
                "created", created,
                "allow_create_engine", false,
                "allow_sampling", true,
                "allow_logprobs", true,
                "allow_search_indices", false,
                "allow_view", true,
                "allow_fine_tuning", false,
                "organization", "*");
        permission.put("group", null);
        permission.put("is_blocking", false);
        Map<String, Object> card = object(
                "id",
                options.servedName(),
                "object",
                "model",
                "created",
                created,
                "owned_by",
                "vllm",
                "root",
                options.model(),
                "parent",
                null,
                "max_model_len",
                options.maxModelLen(),
                "permission",
                array(permission));
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
        if (requestedModel.isPresent() && !requestedModel.get().equals(options.servedName())) {
            throw ERRORS.error(ErrorKind.NOT_FOUND, "The model `" + requestedModel.get() + "` does not exist.");
        }
        if (residency.asleep() && options.sleepMode()) {
            Console.log("ERROR [core.py] CUDA error: an illegal memory access was encountered");
            Console.log("CRITICAL [launcher.py] EngineCore is already dead, terminating server process");
            simulation.lifecycle().exitSoon(1);
            throw ERRORS.error(ErrorKind.SERVER, ENGINE_DEAD);
        }
        return Admission.of(options.servedName());
    }

    private static String type(ErrorKind kind) {
        return switch (kind) {
            case BAD_REQUEST -> "BadRequestError";
            case UNAUTHORIZED -> "Unauthorized";
            case NOT_FOUND -> "NotFoundError";
            case SERVER -> "InternalServerError";
            case NOT_SUPPORTED -> "NotImplementedError";
            case UNAVAILABLE -> "ServiceUnavailableError";
        };
    }

    // vLLM takes its utilization share of each of the first tensor-parallel-size visible GPUs
    private static List<GpuClaim> plan(VllmOptions options, Simulation simulation) {
        if (simulation.ledger().isEmpty()) {
            return List.of();
        }
        List<Gpu> visible = simulation.visibleGpus();
        if (visible.size() < options.tensorParallelSize()) {
            Console.log("ValueError: World size (" + options.tensorParallelSize()
                    + ") is larger than the number of available GPUs (" + visible.size() + ") in this node.");
            simulation.lifecycle().exit(1);
        }
        List<Gpu> gpus = visible.subList(0, options.tensorParallelSize());
        return MemoryPlans.fractionUnlessSized(gpus, simulation.knobs().memoryMib(), options.gpuMemoryUtilization());
    }

    private List<String> outOfMemory(Shortfall shortfall) {
        double gib = 1024.0;
        return List.of(String.format(
                "ValueError: Free memory on device cuda:%d (%.2f/%.2f GiB) on startup is less than desired GPU memory"
                        + " utilization (%s, %.2f GiB). Decrease GPU memory utilization or reduce GPU memory used by"
                        + " other processes.",
                shortfall.gpu().index(),
                shortfall.freeMib() / gib,
                shortfall.gpu().totalMib() / gib,
                options.gpuMemoryUtilization(),
                shortfall.requestedMib() / gib));
    }
}
