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

    /** One model; {@code created} is the listing time, as llama.cpp has it. */
    record Model(
            String id,
            List<String> aliases,
            List<String> tags,
            String object,
            @JsonProperty("owned_by") String ownedBy,
            long created,
            Status status) {}

    /** {@code exit_code} and {@code failed} appear only for a model whose engine failed. */
    record Status(
            String value,
            List<String> args,
            @JsonProperty("exit_code") Integer exitCode,
            Boolean failed) {}

    /** One {@code /models/sse} message: {@code {"model":..,"event":..,"data":{..}}}. */
    record Event(String model, String event, Map<String, Object> data) {}

    static ModelList list(List<ModelStatus> statuses, Instant now) {
        return new ModelList(statuses.stream().map(s -> model(s, now)).toList(), "list");
    }

    static Model model(ModelStatus status, Instant now) {
        boolean failed = status.failed() && !status.state().holdsEngine();
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
                        failed ? exitCode(status) : null,
                        failed ? Boolean.TRUE : null));
    }

    /**
     * The router's status word. A stopping engine still runs, and llama.cpp keeps such a model
     * {@code loaded} until it exits; a failed one is {@code unloaded} with {@code failed} set.
     */
    static String value(ModelState state) {
        return switch (state) {
            case UNLOADED, FAILED -> "unloaded";
            case STARTING -> "loading";
            case READY, STOPPING -> "loaded";
            case SLEEPING -> "sleeping";
        };
    }

    /**
     * The event llama.cpp would broadcast for a gateway event: {@code model_status} when a load
     * begins, {@code status_change} for later changes (with the exit code once unloaded and the
     * progress while loading). Entering {@code STOPPING} has no router counterpart.
     *
     * @param status the model's status now, asked only when an exit code is due
     */
    static Optional<Event> event(GatewayEvent event, Supplier<Optional<ModelStatus>> status) {
        Map<String, Object> data = new LinkedHashMap<>();
        return switch (event) {
            case GatewayEvent.StateChanged change when change.to() == ModelState.STOPPING -> Optional.empty();
            // tool calls concern no model; the router's model stream has nothing like them
            case GatewayEvent.ToolCalled call -> Optional.empty();
            case GatewayEvent.StateChanged change
            when change.to() == ModelState.STARTING -> {
                data.put("status", value(change.to()));
                yield Optional.of(new Event(change.model(), "model_status", data));
            }
            case GatewayEvent.StateChanged change -> {
                data.put("status", value(change.to()));
                if (!change.to().holdsEngine()) {
                    data.put(
                            "exit_code", status.get().map(RouterViews::exitCode).orElse(0));
                }
                yield Optional.of(new Event(change.model(), "status_change", data));
            }
            case GatewayEvent.LoadProgress progress -> {
                data.put("status", value(ModelState.STARTING));
                data.put("progress", Map.of("value", progress.progress()));
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
        };
    }

    /** The engine's exit code; a failure without one (it never exited, say) reads as -1. */
    private static int exitCode(ModelStatus status) {
        return status.lastExitCode().orElse(status.failed() ? -1 : 0);
    }
}
