package dev.switchboard.app.http;

import dev.switchboard.app.activity.ActivityEvent;
import dev.switchboard.app.activity.ActivityLog;
import dev.switchboard.app.activity.ModelTimeline;
import dev.switchboard.app.activity.RequestRecord;
import dev.switchboard.core.event.GatewayEvent;
import dev.switchboard.core.lifecycle.GpuUsage;
import dev.switchboard.core.lifecycle.ModelState;
import dev.switchboard.core.lifecycle.ModelStatus;
import dev.switchboard.core.spi.GpuInfo;
import dev.switchboard.core.spi.Placement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;

/** The admin API's JSON: everything the gateway knows about models, GPUs and events, camelCase. */
final class AdminViews {

    private AdminViews() {}

    /**
     * One model.
     *
     * @param state the gateway's state, lower case: {@code unloaded}, {@code starting}, {@code
     *     ready}, {@code falling_asleep}, {@code sleeping}, {@code waking}, {@code stopping}, {@code
     *     failed}
     * @param lastLines the engine's last output lines when it failed, else empty
     * @param circuit its circuit breaker's state: {@code closed}, {@code open}, {@code half_open}
     * @param loadProgress loading progress in [0, 1] while starting, absent when unknown
     * @param lastUsed ISO-8601, absent when never used
     * @param queued requests waiting for it to be ready
     * @param since ISO-8601: when it entered its state, absent when that was before the server started
     * @param reason why it entered its state ("request", "evicted to make room for 'b'", "idle for 600s")
     * @param stopReason why it last left service (eviction, idle TTL, unload, failure), absent if never
     * @param memoryBytes memory it is placed to take on its GPUs (the planner's estimate)
     * @param ttlSeconds while ready and idle: seconds until its idle TTL unloads it
     * @param warm whether it sleeps in its engine's warm tier (wakes faster than a cold start)
     * @param warmTier whether its engine has a warm tier, so that it can be put to sleep
     * @param logTail the last lines of its engine's output, when it failed
     */
    record Model(
            String id,
            List<String> aliases,
            List<String> tags,
            String backend,
            String state,
            int inFlight,
            PlacementView placement,
            boolean failed,
            Integer exitCode,
            String failure,
            List<String> lastLines,
            String lastUsed,
            Double loadProgress,
            List<String> args,
            int queued,
            String since,
            String reason,
            String stopReason,
            long memoryBytes,
            Long ttlSeconds,
            boolean warm,
            boolean warmTier,
            List<String> logTail,
            String circuit) {}

    /** Where a model runs: GPU indexes, the tensor split and bytes reserved per GPU index. */
    record PlacementView(List<Integer> gpus, List<Double> tensorSplit, Map<Integer, Long> bytesPerGpu) {}

    /**
     * One GPU: the device's memory reading and what the gateway's models hold on it.
     *
     * @param reservedBytes memory the gateway's models are placed to take
     * @param models bytes per model id
     */
    record Gpu(
            int index,
            String uuid,
            String name,
            long totalBytes,
            long usedBytes,
            long freeBytes,
            long reservedBytes,
            Map<String, Long> models) {}

    /** {@code /api/activity}: the switch, the ring's size, whether bodies are kept, the requests newest first. */
    record Activity(boolean enabled, int capacity, boolean capture, List<Request> requests) {}

    /**
     * One request in the activity log; times in milliseconds, absent when not seen; tokens absent
     * when the engine reported no {@code usage}.
     */
    record Request(
            long id,
            String at,
            String model,
            String route,
            int status,
            boolean streamed,
            double queueMs,
            Double firstByteMs,
            Double firstTokenMs,
            double durationMs,
            Integer promptTokens,
            Integer completionTokens,
            Double tokensPerSecond,
            RequestRecord.Capture capture) {}

    /** A request arrived, on {@code /api/events}; {@code type} is {@code request_started}. */
    record RequestStartedEvent(String type, long id, String model, String route, String at) {}

    /** A request ended, on {@code /api/events}; {@code type} is {@code request}. */
    record RequestEvent(String type, String model, Request request, String at) {}

    /** The wait for a model changed, on {@code /api/events}; {@code type} is {@code queue}. */
    record QueueEvent(String type, String model, int waiting, String at) {}

    /** A state change on {@code /api/events}; {@code type} is {@code state}. */
    record StateEvent(String type, String model, String from, String to, String reason, String at) {}

    /** A circuit breaker's state change on {@code /api/events}; {@code type} is {@code circuit}. */
    record CircuitEvent(String type, String model, String from, String to, String at) {}

    /** Loading progress on {@code /api/events}; {@code type} is {@code progress}. */
    record ProgressEvent(String type, String model, double progress, String at) {}

    /** Download progress on {@code /api/events}; {@code type} is {@code download_progress}. */
    record DownloadEvent(String type, String model, String file, long downloaded, long total, String at) {}

    /** A {@code /tools} call's end on {@code /api/events}; {@code type} is {@code tool_call}. */
    record ToolEvent(
            String type, String tool, String toolType, String outcome, String detail, long millis, String at) {}

    /** A download's end on {@code /api/events}: the id it is listed as, or why it failed. */
    record DownloadDoneEvent(String type, String model, String id, String message, String at) {}

    static Model model(ModelStatus status, Observed observed) {
        Placement placement = status.placement();
        String id = status.model().id();
        Optional<ModelTimeline.Entry> moved =
                observed.timeline().entry(id).filter(entry -> entry.state() == status.state());
        long memory = placement.bytesPerGpu().values().stream()
                .mapToLong(Long::longValue)
                .sum();
        return new Model(
                id,
                status.model().aliases(),
                status.model().tags(),
                status.model().backend(),
                lower(status.state().name()),
                status.inFlight(),
                new PlacementView(placement.gpuIds(), placement.tensorSplit(), new TreeMap<>(placement.bytesPerGpu())),
                status.failed(),
                status.exitCode(),
                status.failure(),
                status.lastLines(),
                status.lastUsed() == null ? null : status.lastUsed().toString(),
                status.loadProgress() < 0 ? null : status.loadProgress(),
                status.args(),
                observed.activity().waiting(id),
                moved.map(entry -> entry.since().toString()).orElse(null),
                moved.map(ModelTimeline.Entry::reason).orElse(null),
                observed.timeline()
                        .entry(id)
                        .map(ModelTimeline.Entry::stopReason)
                        .orElse(null),
                memory,
                ttlLeft(status, observed.idleTtl()),
                status.state() == ModelState.SLEEPING,
                observed.warmTier().test(id),
                status.failed() ? observed.logTail().apply(id) : List.of(),
                status.circuit());
    }

    /** Seconds until an idle ready model unloads; null when it is busy, not ready, or has no TTL. */
    private static Long ttlLeft(ModelStatus status, Duration defaultTtl) {
        Duration ttl = status.model().ttl() != null ? status.model().ttl() : defaultTtl;
        if (status.state() != ModelState.READY || status.inFlight() > 0 || ttl.isZero() || status.lastUsed() == null) {
            return null;
        }
        return Math.max(
                0, Duration.between(Instant.now(), status.lastUsed().plus(ttl)).toSeconds());
    }

    /**
     * What the app layer observes beside the gateway's own status.
     *
     * @param logTail the last lines of a model's engine output
     * @param warmTier whether a model's engine has a warm tier
     */
    record Observed(
            ActivityLog activity,
            ModelTimeline timeline,
            Duration idleTtl,
            java.util.function.Function<String, List<String>> logTail,
            Predicate<String> warmTier) {}

    static Gpu gpu(GpuUsage usage) {
        GpuInfo gpu = usage.gpu();
        return new Gpu(
                gpu.index(),
                gpu.uuid(),
                gpu.name(),
                gpu.totalBytes(),
                gpu.usedBytes(),
                gpu.freeBytes(),
                usage.reservedBytes(),
                new TreeMap<>(usage.models()));
    }

    /** A configuration reload added, changed or removed a model's declaration. */
    record ConfigEvent(String type, String model, String change, String at) {}

    static Request request(RequestRecord r) {
        return new Request(
                r.id(),
                r.at().toString(),
                r.model(),
                r.route(),
                r.status(),
                r.streamed(),
                round(r.queueMillis()),
                r.firstByteMillis() < 0 ? null : round(r.firstByteMillis()),
                r.firstTokenMillis() < 0 ? null : round(r.firstTokenMillis()),
                round(r.durationMillis()),
                r.promptTokens() < 0 ? null : r.promptTokens(),
                r.completionTokens() < 0 ? null : r.completionTokens(),
                r.tokensPerSecond() < 0 ? null : round(r.tokensPerSecond()),
                r.capture());
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }

    static Object event(ActivityEvent event) {
        String now = Instant.now().toString();
        return switch (event) {
            case ActivityEvent.Started started ->
                new RequestStartedEvent("request_started", started.id(), started.model(), started.route(), now);
            case ActivityEvent.Queue queue -> new QueueEvent("queue", queue.model(), queue.waiting(), now);
            case ActivityEvent.Finished finished ->
                new RequestEvent(
                        "request",
                        finished.request().model(),
                        request(finished.request().withoutCapture()),
                        now);
        };
    }

    static Object event(GatewayEvent event) {
        return switch (event) {
            case GatewayEvent.StateChanged change ->
                new StateEvent(
                        "state",
                        change.model(),
                        lower(change.from().name()),
                        lower(change.to().name()),
                        change.reason(),
                        change.at().toString());
            case GatewayEvent.CircuitChanged circuit ->
                new CircuitEvent(
                        "circuit",
                        circuit.model(),
                        lower(circuit.from().name()),
                        lower(circuit.to().name()),
                        circuit.at().toString());
            case GatewayEvent.LoadProgress progress ->
                new ProgressEvent(
                        "progress",
                        progress.model(),
                        progress.progress(),
                        progress.at().toString());
            case GatewayEvent.DownloadProgress download ->
                new DownloadEvent(
                        "download_progress",
                        download.model(),
                        download.file(),
                        download.doneBytes(),
                        download.totalBytes(),
                        download.at().toString());
            case GatewayEvent.DownloadFinished finished ->
                new DownloadDoneEvent(
                        "download_finished",
                        finished.model(),
                        finished.id(),
                        null,
                        finished.at().toString());
            case GatewayEvent.DownloadFailed failed ->
                new DownloadDoneEvent(
                        "download_failed",
                        failed.model(),
                        null,
                        failed.message(),
                        failed.at().toString());
            case GatewayEvent.ConfigChanged changed ->
                new ConfigEvent(
                        "config",
                        changed.model(),
                        changed.change(),
                        changed.at().toString());
            case GatewayEvent.ToolCalled call ->
                new ToolEvent(
                        "tool_call",
                        call.tool(),
                        call.type(),
                        call.outcome(),
                        call.detail(),
                        call.millis(),
                        call.at().toString());
        };
    }

    private static String lower(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
