package dev.switchboard.core.process.internal;

import dev.switchboard.core.process.LogBuffer;
import dev.switchboard.core.spi.ChildProtocol;
import dev.switchboard.core.spi.ChildSignal;
import dev.switchboard.core.spi.LaunchSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running engine process, owned by the {@link Supervisor}: its output goes to a {@link
 * LogBuffer}, its state signals to a listener; it can be waited on until ready and stopped
 * gracefully, then forcefully.
 */
public final class ChildProcess implements EngineProcess {
    private static final Logger log = LoggerFactory.getLogger(ChildProcess.class);
    private static final Duration FIRST_POLL = Duration.ofMillis(10);
    private static final Duration MAX_POLL = Duration.ofMillis(250);
    private static final Duration TERM_GRACE = Duration.ofSeconds(3);
    /**
     * How long a child whose backend reads its output may stay silent before its health is polled
     * too: one that speaks its protocol says when it is ready, and is never polled.
     */
    private static final Duration PROTOCOL_GRACE = Duration.ofSeconds(1);
    /** How long a failed start waits for the rest of the child's output, for its error message. */
    private static final Duration DRAIN_WAIT = Duration.ofSeconds(1);

    /** Stands for the engine's process id in a stop command (llama-swap's {@code cmdStop}). */
    public static final String PID_MACRO = "${PID}";

    private final String modelId;
    private final LaunchSpec spec;
    private final Process process;
    private final LogBuffer output;
    private final CompletableFuture<Void> readySignal = new CompletableFuture<>();
    private final CompletableFuture<Void> drained = new CompletableFuture<>(); // the output read to its end
    private volatile boolean signalled; // the child has spoken its protocol
    private final CompletableFuture<Integer> exit;

    ChildProcess(String modelId, LaunchSpec spec, Process process, LogBuffer output, Consumer<ChildSignal> signals) {
        this.modelId = modelId;
        this.spec = spec;
        this.process = process;
        this.output = output;
        this.exit = process.onExit().thenApply(Process::exitValue);
        // A platform thread: a virtual thread blocked in a pipe read pins its carrier, and one pump per
        // loaded engine on as many carriers as cores would stop every request in the gateway.
        Thread.ofPlatform().daemon().name("engine-output-" + modelId).start(() -> pumpOutput(signals));
    }

    private void pumpOutput(Consumer<ChildSignal> signals) {
        // batched once the child's start no longer hangs on its output: before, a ready line counts at once
        BooleanSupplier batch = () -> spec.protocol() == ChildProtocol.NONE || readySignal.isDone();
        try (InputStream in = process.getInputStream()) {
            OutputLines.read(in, batch, line -> {
                output.append(line);
                log.debug("[{}] {}", modelId, line);
                spec.protocol().parse(line).ifPresent(signal -> {
                    signalled = true;
                    signals.accept(signal); // first: what a ready child says is known once it counts as ready
                    if (signal instanceof ChildSignal.Ready) {
                        readySignal.complete(null);
                    }
                });
            });
        } catch (IOException e) {
            log.debug("[{}] output closed: {}", modelId, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            drained.complete(null);
        }
    }

    /** The child's last lines, once its output is read to the end (a child that has exited is read out at once). */
    private List<String> lastWords() throws InterruptedException {
        try {
            drained.get(DRAIN_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
            // a descendant still holds the pipe open: what was read so far
        }
        return output.tail(20);
    }

    public String modelId() {
        return modelId;
    }

    /** The process the gateway started: the guard shell around the engine. */
    public long pid() {
        return process.pid();
    }

    /** This process and all its descendants, for per-process memory readings. */
    @Override
    public List<Long> pids() {
        return Stream.concat(Stream.of(process.toHandle()), process.descendants())
                .map(ProcessHandle::pid)
                .toList();
    }

    public LaunchSpec spec() {
        return spec;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Completes with the exit code when the process ends. */
    @Override
    public CompletableFuture<Integer> exit() {
        return exit;
    }

    /** The buffered output of this child. */
    public LogBuffer output() {
        return output;
    }

    /**
     * Blocks until the engine is ready: its protocol says so, or its health endpoint answers 200.
     * Polls from 10 ms, backing off to 250 ms, so a fast engine is picked up at once; a child that
     * speaks its protocol is not polled (the ready line comes at once, and the first start stays
     * clear of the HTTP client's set-up).
     *
     * @throws StartFailure when the process exits or the start timeout passes first
     */
    @Override
    public void awaitReady(HttpClient http) throws StartFailure, InterruptedException {
        long started = System.nanoTime();
        long deadline = started + spec.startTimeout().toNanos();
        URI health = spec.baseUri().resolve(spec.healthPath().isEmpty() ? "/" : spec.healthPath());
        // milliseconds, not a Duration: Duration.dividedBy computes with BigDecimal, which is slow
        // while a start's code is still interpreted, and it runs on the cores the engine loads on
        long pauseMillis = FIRST_POLL.toMillis();
        while (true) {
            if (!process.isAlive()) {
                int code = exit.join();
                throw new StartFailure(
                        "model '" + modelId + "' failed to start: engine exited with code " + code, code, lastWords());
            }
            boolean awaitSignal = spec.protocol() != ChildProtocol.NONE
                    && (signalled || System.nanoTime() - started < PROTOCOL_GRACE.toNanos());
            if (readySignal.isDone() || spec.healthPath().isEmpty() || (!awaitSignal && healthy(http, health))) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw StartFailure.timedOut(
                        "model '" + modelId + "' failed to start: not ready after "
                                + spec.startTimeout().toSeconds() + "s (its start timeout); the engine was stopped",
                        output.tail(20));
            }
            try {
                readySignal.get(pauseMillis, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
                // no ready signal yet: poll again
            }
            pauseMillis = Math.min(pauseMillis * 3 / 2, MAX_POLL.toMillis());
        }
    }

    private static boolean healthy(HttpClient http, URI health) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(health)
                .timeout(Duration.ofSeconds(2))
                .GET()
                .build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (ConnectException e) {
            return false; // port not open yet (vLLM binds only once loaded)
        } catch (IOException e) {
            log.trace("health probe of {} failed: {}", health, e.toString());
            return false;
        }
    }

    /**
     * Stops the engine: its graceful path first (the stop line on stdin, the stop command, or
     * SIGTERM), then SIGTERM, then SIGKILL to it and all its descendants. Blocks until it is gone.
     *
     * @param timeout how long the graceful path may take
     */
    @Override
    public void stop(Duration timeout) throws InterruptedException {
        if (process.isAlive()) {
            askToExit();
            if (!exited(timeout)) {
                log.warn("model '{}' did not stop within {}s; sending SIGTERM", modelId, timeout.toSeconds());
                List<ProcessHandle> family = family();
                family.forEach(ProcessHandle::destroy);
                if (!exited(TERM_GRACE)) {
                    log.warn("model '{}' ignored SIGTERM; sending SIGKILL", modelId);
                    family.forEach(ProcessHandle::destroyForcibly);
                    exit.join();
                }
            }
        }
        closeStdin();
    }

    /**
     * Waits for the exit through the JDK's reaper (a platform thread) rather than {@link
     * Process#waitFor}, whose monitor wait pins a virtual thread on Java 21.
     */
    private boolean exited(Duration timeout) throws InterruptedException {
        try {
            exit.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (java.util.concurrent.TimeoutException e) {
            return false;
        } catch (java.util.concurrent.ExecutionException e) {
            return true; // onExit() only fails when the process is gone anyway
        }
    }

    /** Kills the engine and its descendants at once (last resort at shutdown). */
    void kill() {
        family().forEach(ProcessHandle::destroyForcibly);
        closeStdin();
    }

    /** Writes a line to a process's stdin (its guard's, which passes it on to the engine). */
    static void writeLine(Process process, String line) throws IOException {
        OutputStream stdin = process.getOutputStream();
        stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        stdin.flush();
    }

    private void askToExit() {
        if (spec.stopLine() != null) {
            try {
                writeLine(process, spec.stopLine());
                return;
            } catch (IOException e) {
                log.debug("model '{}': cannot write the stop line: {}", modelId, e.getMessage());
            }
        } else if (!spec.stopCommand().isEmpty()) {
            try {
                String pid = Long.toString(enginePid());
                new ProcessBuilder(spec.stopCommand().stream()
                                .map(arg -> arg.replace(PID_MACRO, pid))
                                .toList())
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .start();
                return;
            } catch (IOException e) {
                log.warn("model '{}': stop command failed: {}", modelId, e.getMessage());
            }
        }
        process.destroy();
    }

    /** The engine itself: the guard's first child (the watcher is forked after it). */
    private long enginePid() {
        return process.children()
                .min(Comparator.comparing(child -> child.info().startInstant().orElse(Instant.MAX)))
                .map(ProcessHandle::pid)
                .orElse(process.pid());
    }

    /** Descendants first, collected before anyone dies so none is missed after reparenting. */
    private List<ProcessHandle> family() {
        return Stream.concat(process.descendants(), Stream.of(process.toHandle()))
                .toList();
    }

    private void closeStdin() {
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            log.trace("stdin of '{}' already closed", modelId);
        }
    }
}
