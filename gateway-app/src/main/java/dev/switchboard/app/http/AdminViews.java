package dev.switchboard.app.http;

import dev.switchboard.core.event.GatewayEvent;
import dev.switchboard.core.lifecycle.GpuUsage;
import dev.switchboard.core.lifecycle.ModelStatus;
import dev.switchboard.core.spi.GpuInfo;
import dev.switchboard.core.spi.Placement;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** The admin API's JSON: everything the gateway knows about models, GPUs and events, camelCase. */
final class AdminViews {

    private AdminViews() {}

    /**
     * One model.
     *
     * @param state the gateway's state, lower case: {@code unloaded}, {@code starting}, {@code
     *     ready}, {@code sleeping}, {@code stopping}, {@code failed}
     * @param loadProgress loading progress in [0, 1] while starting, absent when unknown
     * @param lastUsed ISO-8601, absent when never used
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
            String lastUsed,
            Double loadProgress,
            List<String> args) {}

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

    /** A state change on {@code /api/events}; {@code type} is {@code state}. */
    record StateEvent(String type, String model, String from, String to, String reason, String at) {}

    /** Loading progress on {@code /api/events}; {@code type} is {@code progress}. */
    record ProgressEvent(String type, String model, double progress, String at) {}

    /** Download progress on {@code /api/events}; {@code type} is {@code download_progress}. */
    record DownloadEvent(String type, String model, String file, long downloaded, long total, String at) {}

    /** A {@code /tools} call's end on {@code /api/events}; {@code type} is {@code tool_call}. */
    record ToolEvent(
            String type, String tool, String toolType, String outcome, String detail, long millis, String at) {}

    /** A download's end on {@code /api/events}: the id it is listed as, or why it failed. */
    record DownloadDoneEvent(String type, String model, String id, String message, String at) {}

    static Model model(ModelStatus status) {
        Placement placement = status.placement();
        return new Model(
                status.model().id(),
                status.model().aliases(),
                status.model().tags(),
                status.model().backend(),
                lower(status.state().name()),
                status.inFlight(),
                new PlacementView(placement.gpuIds(), placement.tensorSplit(), new TreeMap<>(placement.bytesPerGpu())),
                status.failed(),
                status.exitCode(),
                status.failure(),
                status.lastUsed() == null ? null : status.lastUsed().toString(),
                status.loadProgress() < 0 ? null : status.loadProgress(),
                status.args());
    }

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
