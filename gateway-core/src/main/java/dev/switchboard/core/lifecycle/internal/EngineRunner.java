package dev.switchboard.core.lifecycle.internal;

import dev.switchboard.core.lifecycle.internal.ModelLifecycle.Failure;
import dev.switchboard.core.process.LogBuffer;
import dev.switchboard.core.process.internal.EngineProcess;
import dev.switchboard.core.process.internal.StartFailure;
import dev.switchboard.core.process.internal.Supervisor;
import dev.switchboard.core.spi.Backend;
import dev.switchboard.core.spi.LaunchContext;
import dev.switchboard.core.spi.LaunchSpec;
import dev.switchboard.core.spi.ModelDescriptor;
import dev.switchboard.core.spi.Placement;
import java.io.IOException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The slow work of engines, on virtual threads and off the manager's lock: building a model's
 * launch, waiting until its engine serves, and stopping an engine until it is gone. Each outcome
 * goes to the callback given, on the worker's thread; the manager's callbacks re-enter its lock
 * and apply the outcome only while the model has not moved since the work began.
 */
final class EngineRunner {
    private static final Logger log = LoggerFactory.getLogger(EngineRunner.class);
    /** An engine's socket closes a moment before its exit is noticed (its guard exits after it). */
    private static final Duration EXIT_GRACE = Duration.ofSeconds(1);

    /** The manager's side of a start: records the launch and spawns its engine, under its lock. */
    @FunctionalInterface
    interface Spawner {
        /**
         * @return the spawned engine, null for a launch without a process
         * @throws StartFailure when the gateway is shutting down
         * @throws IOException when the engine cannot be spawned
         */
        EngineProcess spawn(ModelLifecycle lifecycle, LaunchSpec spec) throws StartFailure, IOException;
    }

    private final Supplier<HttpClient> http;
    private final IntSupplier gatewayPort;
    private final GpuReadings gpus;
    private final Duration stopTimeout;
    private final Spawner spawner;

    EngineRunner(
            Supplier<HttpClient> http,
            IntSupplier gatewayPort,
            GpuReadings gpus,
            Duration stopTimeout,
            Spawner spawner) {
        this.http = http;
        this.gatewayPort = gatewayPort;
        this.gpus = gpus;
        this.stopTimeout = stopTimeout;
        this.spawner = spawner;
    }

    /**
     * Starts the model's engine for the start it is in; called under the lock, returns at once.
     * Then {@code ready} runs once the engine serves, or {@code failed} when it cannot, its engine
     * stopped.
     */
    void start(ModelLifecycle lifecycle, Backend backend, Runnable ready, Consumer<Failure> failed) {
        ModelDescriptor model = lifecycle.model();
        LogBuffer output = lifecycle.output;
        Placement placement = lifecycle.placement;
        Thread.ofVirtual().name("start-" + model.id()).start(() -> {
            Optional<Failure> failure = run(lifecycle, backend, model, output, placement);
            if (failure.isEmpty()) {
                ready.run();
            } else {
                failed.accept(failure.get());
            }
        });
    }

    /** Builds the launch, spawns the engine and waits until it serves; what went wrong, if anything. */
    private Optional<Failure> run(
            ModelLifecycle lifecycle, Backend backend, ModelDescriptor model, LogBuffer output, Placement placement) {
        EngineProcess process = null;
        try {
            LaunchSpec spec =
                    backend.launch(model, placement, new LaunchContext(Supervisor.freePort(), gatewayPort.getAsInt()));
            process = spawner.spawn(lifecycle, spec);
            if (process != null) {
                process.awaitReady(http.get());
                gpus.learnFootprint(model.id(), process, placement);
            }
            return Optional.empty();
        } catch (StartFailure e) {
            stopQuietly(process);
            e.lastLines().forEach(line -> log.warn("[{}] {}", model.id(), line));
            Integer code = e.exitCode().isPresent() ? e.exitCode().getAsInt() : null;
            return Optional.of(new Failure(e.getMessage(), code, e.lastLines(), e.timedOut()));
        } catch (InterruptedException e) {
            stopQuietly(process);
            Thread.currentThread().interrupt();
            return Optional.of(new Failure("model '" + model.id() + "' start was interrupted", null, List.of()));
        } catch (Exception e) {
            stopQuietly(process);
            log.warn("model '{}' could not be launched", model.id(), e);
            return Optional.of(new Failure(
                    "model '" + model.id() + "' failed to start: " + e.getMessage(),
                    null,
                    output.tail(ModelLifecycle.FAILURE_LINES)));
        }
    }

    /** Tells the engine to exit, gracefully within the timeout; returns at once, {@code gone} runs once it has. */
    void stop(String modelId, EngineProcess process, Duration timeout, Runnable gone) {
        Thread.ofVirtual().name("stop-" + modelId).start(() -> {
            try {
                if (process != null) {
                    process.stop(timeout);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                gone.run();
            }
        });
    }

    /** Whether an engine that stopped answering has exited, or exits within a moment. */
    boolean awaitExit(EngineProcess process) throws InterruptedException {
        try {
            process.exit().get(EXIT_GRACE.toNanos(), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return true; // an exit future only fails when the process is gone anyway
        }
    }

    /** Stops an engine that failed, blocking until it is gone. */
    void stopQuietly(EngineProcess process) {
        if (process == null) {
            return;
        }
        try {
            process.stop(stopTimeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
