package dev.switchboard.core.lifecycle.internal;

import dev.switchboard.core.process.LogBuffer;
import dev.switchboard.core.process.internal.EngineLauncher;
import dev.switchboard.core.process.internal.EngineProcess;
import dev.switchboard.core.process.internal.StartFailure;
import dev.switchboard.core.spi.ChildSignal;
import dev.switchboard.core.spi.LaunchSpec;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/** Engines the test drives: each becomes ready, crashes or exits when the test says. */
final class FakeEngines implements EngineLauncher {
    private final List<Engine> started = new CopyOnWriteArrayList<>();
    private final AtomicInteger pids = new AtomicInteger(1000);

    /** One fake engine. */
    static final class Engine implements EngineProcess {
        final String modelId;
        final LogBuffer output;
        final long pid;
        final CompletableFuture<Void> ready = new CompletableFuture<>();
        final CompletableFuture<Integer> exit = new CompletableFuture<>();
        final AtomicInteger stops = new AtomicInteger();

        Engine(String modelId, LogBuffer output, long pid) {
            this.modelId = modelId;
            this.output = output;
            this.pid = pid;
        }

        /** The engine says it serves. */
        void becomeReady() {
            ready.complete(null);
        }

        /** The engine prints a line and dies. */
        void crash(int code) {
            output.append("fatal: engine gave up");
            exit.complete(code);
        }

        boolean alive() {
            return !exit.isDone();
        }

        @Override
        public List<Long> pids() {
            return List.of(pid);
        }

        @Override
        public CompletableFuture<Integer> exit() {
            return exit;
        }

        @Override
        public void awaitReady(HttpClient http) throws StartFailure, InterruptedException {
            try {
                CompletableFuture.anyOf(ready, exit).get();
            } catch (ExecutionException e) {
                throw new StartFailure("model '" + modelId + "' failed to start", null, output.tail(20));
            }
            if (exit.isDone()) {
                int code = exit.join();
                throw new StartFailure(
                        "model '" + modelId + "' failed to start: engine exited with code " + code,
                        code,
                        output.tail(20));
            }
        }

        @Override
        public void stop(Duration timeout) {
            stops.incrementAndGet();
            exit.complete(0);
        }
    }

    @Override
    public EngineProcess start(String modelId, LaunchSpec spec, LogBuffer output, Consumer<ChildSignal> signals) {
        Engine engine = new Engine(modelId, output, pids.incrementAndGet());
        output.append("engine for " + modelId + " starting");
        started.add(engine);
        return engine;
    }

    @Override
    public void stopAll(Duration timeout) {
        started.stream().filter(Engine::alive).forEach(engine -> engine.stop(timeout));
    }

    /** Every engine started so far, oldest first. */
    List<Engine> started() {
        return List.copyOf(started);
    }

    List<Engine> of(String modelId) {
        return started.stream().filter(e -> e.modelId.equals(modelId)).toList();
    }

    /** The newest engine of the model. */
    Engine last(String modelId) {
        List<Engine> engines = of(modelId);
        if (engines.isEmpty()) {
            throw new AssertionError("no engine was started for '" + modelId + "'");
        }
        return engines.getLast();
    }
}
