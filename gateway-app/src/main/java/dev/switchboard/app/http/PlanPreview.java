package dev.switchboard.app.http;

import dev.switchboard.core.Gateway;
import dev.switchboard.core.lifecycle.GpuUsage;
import dev.switchboard.core.lifecycle.ModelState;
import dev.switchboard.core.lifecycle.ModelStatus;
import dev.switchboard.core.placement.LoadedModel;
import dev.switchboard.core.placement.NewModel;
import dev.switchboard.core.placement.PlanRequest;
import dev.switchboard.core.placement.PlanResult;
import dev.switchboard.core.placement.Planner;
import dev.switchboard.core.spi.Backend;
import dev.switchboard.core.spi.MemoryEstimate;
import dev.switchboard.core.spi.ModelDescriptor;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * A dry run of the planner for a model that is not loaded: the planner is a pure function, so it
 * is asked the same question the model manager would ask, from the gateway's current snapshot
 * (GPU readings, loaded models, the backend's estimate), and nothing is started or stopped. The
 * manager's own answer can differ a little: it also knows learned footprints and reload costs.
 */
final class PlanPreview {
    /** The reload cost the preview assumes for every loaded model, the manager's is learned. */
    private static final Duration RELOAD_COST = Duration.ofSeconds(10);

    /**
     * The dry run's answer.
     *
     * @param fits whether it can start now (after the evictions listed)
     * @param gpus where it would run
     * @param bytesPerGpu what it would take on each
     * @param evict idle models that would be stopped first
     * @param summary in words: "fits on GPU 1", "needs evicting a, b", "already loaded", or why not
     */
    record View(
            String model,
            boolean fits,
            List<Integer> gpus,
            Map<Integer, Long> bytesPerGpu,
            List<String> evict,
            long neededBytes,
            String summary) {}

    private PlanPreview() {}

    static View plan(Gateway gateway, String name) throws InterruptedException {
        ModelDescriptor model = gateway.resolve(name);
        ModelStatus status = gateway.status(model.id());
        if (status.state().holdsEngine()) {
            return new View(
                    model.id(),
                    true,
                    status.placement().gpuIds(),
                    new TreeMap<>(status.placement().bytesPerGpu()),
                    List.of(),
                    0,
                    "already loaded");
        }
        MemoryEstimate need = estimate(gateway, model);
        if (!model.gpus().isEmpty() && need.gpuCount() == 0) {
            need = need.withGpuCount(model.gpus().size());
        }
        List<LoadedModel> loaded = new ArrayList<>();
        for (ModelStatus other : gateway.models()) {
            if (other.state().holdsEngine()) {
                boolean busy = other.state() != ModelState.READY || other.inFlight() > 0;
                Instant lastUsed = other.lastUsed() == null ? Instant.EPOCH : other.lastUsed();
                loaded.add(new LoadedModel(
                        other.model().id(),
                        other.placement().bytesPerGpu(),
                        busy,
                        lastUsed,
                        other.model().priority(),
                        RELOAD_COST));
            }
        }
        PlanRequest request = new PlanRequest(
                gateway.gpus().stream().map(GpuUsage::gpu).toList(),
                Map.of(),
                loaded,
                gateway.scheduler().maxLoaded(),
                new NewModel(model.id(), need, model.gpus()),
                Instant.now());
        return switch (Planner.plan(request)) {
            case PlanResult.Fits fits -> {
                List<Integer> gpus = fits.placement().gpuIds();
                String where = gpus.isEmpty()
                        ? "fits on the CPU"
                        : "fits on GPU "
                                + String.join(
                                        " + ",
                                        gpus.stream().map(String::valueOf).toList());
                String summary =
                        fits.evict().isEmpty() ? where : where + ", needs evicting " + String.join(", ", fits.evict());
                yield new View(
                        model.id(),
                        true,
                        gpus,
                        new TreeMap<>(fits.placement().bytesPerGpu()),
                        fits.evict(),
                        need.isFraction() ? 0 : need.totalBytes(),
                        summary);
            }
            case PlanResult.NoFit noFit ->
                new View(
                        model.id(),
                        false,
                        List.of(),
                        Map.of(),
                        List.of(),
                        noFit.neededBytes(),
                        (noFit.kind() == PlanResult.NoFit.Kind.WAIT ? "must wait: " : "never fits: ") + noFit.reason());
        };
    }

    /** The backend's estimate, read on a platform thread: it may read the model's files. */
    private static MemoryEstimate estimate(Gateway gateway, ModelDescriptor model) throws InterruptedException {
        Backend backend = gateway.backends().get(model.backend());
        if (backend == null) {
            return MemoryEstimate.none();
        }
        CompletableFuture<MemoryEstimate> estimate = new CompletableFuture<>();
        Thread.ofPlatform().daemon().name("plan-estimate").start(() -> {
            try {
                estimate.complete(backend.estimate(model));
            } catch (RuntimeException e) {
                estimate.completeExceptionally(e);
            }
        });
        try {
            return estimate.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException(
                    "estimating model '" + model.id() + "' failed: "
                            + e.getCause().getMessage(),
                    e.getCause());
        }
    }
}
