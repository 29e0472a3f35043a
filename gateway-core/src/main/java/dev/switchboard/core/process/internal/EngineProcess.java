package dev.switchboard.core.process.internal;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A running engine as the model manager drives it; {@link ChildProcess} is the real one. */
public interface EngineProcess {

    /** The process and its descendants, for per-process GPU memory readings. */
    List<Long> pids();

    /** Completes with the exit code when the engine ends. */
    CompletableFuture<Integer> exit();

    /**
     * Blocks until the engine is ready.
     *
     * @throws StartFailure when it exits or its start timeout passes first
     */
    void awaitReady(HttpClient http) throws StartFailure, InterruptedException;

    /** Stops the engine, gracefully within the timeout, then by force; blocks until it is gone. */
    void stop(Duration timeout) throws InterruptedException;
}
