package dev.switchboard.app.http;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.switchboard.core.event.GatewayEvent;
import dev.switchboard.core.lifecycle.ModelState;
import dev.switchboard.core.lifecycle.ModelStatus;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Models and model events in the shapes llama.cpp's router writes ({@code tools/server/server-models.cpp}),
 * which clients of {@code GET /models} and {@code GET /models/sse} already parse.
 */
final class RouterViews {

    private RouterViews() {}

    /** {@code {"data":[...],"object":"list"}}, like the router's model list. */
    record ModelList(List<Model> data, String object) {}

    /**
     * One model; {@code created} is the listing time, as llama.cpp has it. {@code meta} is what the
     * engine reported about the loaded model ({@code n_ctx}, {@code n_params}, ...), while it runs.
     */
    record Model(
            String id,
            List<String> aliases,
            List<String> tags,
            String object,
            @JsonProperty("owned_by") String ownedBy,
            long created,
            Status status,
            Architecture architecture,
            String source,
            @JsonProperty("can_remove") boolean canRemove,
            Object meta) {}

    /**
     * {@code preset} is the model's options as an INI section; {@code exit_code} and {@code failed}
     * appear only for a model whose engine failed.
     */
    record Status(
            String value,
            List<String> args,
            String preset,
            @JsonProperty("exit_code") Integer exitCode,
            Boolean failed) {}

    /** What the model reads and writes, as OpenRouter-style clients look for it. */
    record Architecture(
            @JsonProperty("input_modalities") List<String> inputModalities,
            @JsonProperty("output_modalities") List<String> outputModalities) {}

    /** One {@code /models/sse} message: {@code {"model":..,"event":..,"data":{..}}}. */
    record Event(String model, String event, Map<String, Object> data) {}

    static ModelList list(List<ModelStatus> statuses, Instant now) {
        return new ModelList(statuses.stream().map(s -> model(s, now)).toList(), "list");
    }

    static Model model(ModelStatus status, Instant now) {
        boolean failed = status.failed() && !status.state().holdsEngine();
        Map<String, Object> metadata = status.model().metadata();
        String source = source(metadata.get("origin"));
        return new Model(
                status.model().id(),
                status.model().aliases().stream().sorted().toList(),
                status.model().tags().stream().sorted().toList(),
                "model",
                "llamacpp",
                now.getEpochSecond(),
                new Status(
                        value(status.state()),
                        status.args(),
                        metadata.get("presetIni") instanceof String ini ? ini : null,
                        failed ? exitCode(status) : null,
                        failed ? Boolean.TRUE : null),
                new Architecture(inputModalities(metadata.get("inputModalities")), List.of("text")),
                source,
                source.equals("cache"),
                status.state().holdsEngine() ? status.engineInfo().get("meta") : null);
    }

    /**
     * llama.cpp's {@code server_model_source}: where the backend found the model ({@code origin}
     * metadata); models from anywhere else (configuration) read as {@code preset}, as llama.cpp
     * reads a model of unknown origin.
     */
    private static String source(Object origin) {
        return switch (String.valueOf(origin)) {
            case "models-dir" -> "models_dir";
            case "cache" -> "cache";
            default -> "preset";
        };
    }

    private static List<String> inputModalities(Object listed) {
        return listed instanceof List<?> list && !list.isEmpty()
                ? list.stream().map(String::valueOf).toList()
                : List.of("text");
    }

    /**
     * The router's status word. A stopping engine still runs, and llama.cpp keeps such a model
     * {@code loaded} until it exits; a failed one is {@code unloaded} with {@code failed} set.
     */
    static String value(ModelState state) {
        return switch (state) {
            case UNLOADED, FAILED -> "unloaded";
            case STARTING, WAKING -> "loading";
            case READY, STOPPING -> "loaded";
            case FALLING_ASLEEP, SLEEPING -> "sleeping";
        };
    }

    /**
     * The event llama.cpp would broadcast for a gateway event: {@code model_status} when a load
     * begins, {@code status_change} for later changes (with the exit code once unloaded and the
     * progress while loading, the child's model entry as {@code info} once loaded). Entering {@code
     * STOPPING}, and moves the router's status words do not tell apart (falling asleep, then
     * asleep), have no router counterpart.
     *
     * @param status the model's status now, asked only when an exit code is due
     */
    static Optional<Event> event(GatewayEvent event, Supplier<Optional<ModelStatus>> status) {
        Map<String, Object> data = new LinkedHashMap<>();
        return switch (event) {
            // tool calls concern no model; the router's model stream has nothing like them
            case GatewayEvent.ToolCalled call -> Optional.empty();
            case GatewayEvent.StateChanged change
            when change.to() == ModelState.STOPPING || value(change.from()).equals(value(change.to())) ->
                Optional.empty();
            case GatewayEvent.StateChanged change
            when change.to() == ModelState.STARTING || change.to() == ModelState.WAKING -> {
                data.put("status", value(change.to()));
                yield Optional.of(new Event(change.model(), "model_status", data));
            }
            case GatewayEvent.StateChanged change -> {
                data.put("status", value(change.to()));
                if (change.to() == ModelState.READY) {
                    // the child's model entry, as the router relays its ready line
                    status.get()
                            .map(ModelStatus::engineInfo)
                            .filter(info -> !info.isEmpty())
                            .ifPresent(info -> data.put("info", info));
                }
                if (!change.to().holdsEngine()) {
                    data.put(
                            "exit_code", status.get().map(RouterViews::exitCode).orElse(0));
                }
                yield Optional.of(new Event(change.model(), "status_change", data));
            }
            case GatewayEvent.CircuitChanged circuit -> Optional.empty(); // llama.cpp has no breakers
            case GatewayEvent.LoadProgress progress -> {
                data.put("status", value(ModelState.STARTING));
                // the child's own payload, as the router relays it ({"stages", "current", "value"})
                data.put(
                        "progress",
                        progress.detail().isEmpty() ? Map.of("value", progress.progress()) : progress.detail());
                yield Optional.of(new Event(progress.model(), "status_change", data));
            }
            case GatewayEvent.DownloadProgress download -> {
                data.put("file", download.file());
                data.put("downloaded", download.doneBytes());
                data.put("total", download.totalBytes());
                yield Optional.of(new Event(download.model(), "download_progress", data));
            }
            case GatewayEvent.DownloadFinished finished -> {
                data.put("id", finished.id());
                yield Optional.of(new Event(finished.model(), "download_finished", data));
            }
            case GatewayEvent.DownloadFailed failed -> {
                data.put("message", failed.message());
                yield Optional.of(new Event(failed.model(), "download_failed", data));
            }
            case GatewayEvent.ConfigChanged changed -> Optional.empty(); // no router counterpart
        };
    }

    /** The engine's exit code; a failure without one (it never exited, say) reads as -1. */
    private static int exitCode(ModelStatus status) {
        return status.lastExitCode().orElse(status.failed() ? -1 : 0);
    }
}
