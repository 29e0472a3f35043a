package dev.switchboard.core.process.internal;

import dev.switchboard.core.command.CommandLine;
import dev.switchboard.core.process.LogBuffer;
import dev.switchboard.core.spi.ChildSignal;
import dev.switchboard.core.spi.LaunchSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the engine child processes: spawns them, and makes sure none outlives the gateway.
 *
 * <p>The JVM has no parent-death signal, and an engine that watches its stdin may not watch it the
 * whole time (llama-server does only once its model is loaded), so every engine runs under a small
 * POSIX-sh guard. The guard puts the engine in its own session and process group and feeds the
 * engine's stdin through a FIFO from its own, so the lines the gateway writes (llama.cpp's stop
 * line) still reach the engine and nothing else reads them; when the gateway's pipe reaches EOF,
 * which happens when the gateway dies for any reason, the guard ends the engine's stdin and kills
 * its group, SIGTERM then SIGKILL after 10 s.
 *
 * <p>Starting a guard costs a shell, {@code mktemp}, {@code mkfifo} and {@code rm}, some 20-30 ms on
 * a small machine, before the engine's own start. So once a start is in sight ({@link #prepare})
 * the supervisor keeps one guard started ahead, which waits for its engine's command on its stdin;
 * a start then costs the engine's {@code setsid} and its own exec. A spare guard whose gateway dies
 * reads the end of its stdin and exits.
 */
public final class Supervisor implements EngineLauncher, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Supervisor.class);

    /**
     * The guard: see the class comment. Its exit code is the engine's. The engine's command is
     * either the guard's arguments, when the first line on its stdin is empty, or that line: shell
     * words the gateway quoted, evaluated. A guard can so be started before its engine is known.
     */
    static final String GUARD = String.join(
            "\n",
            // the gateway's pipe on fd 4: sh gives background jobs /dev/null as stdin
            "exec 4<&0 0</dev/null",
            // stopped before it has its engine: the FIFO's name goes too
            "trap 'rm -f \"$fifo\"; exit 143' TERM INT HUP",
            "fifo=$(mktemp -u \"${TMPDIR:-/tmp}/switchboard-stdin.XXXXXXXX\") && mkfifo -m 600 \"$fifo\" || exit 125",
            // read-write opens of a FIFO never block, so neither side can wait for one that died;
            // the engine's read end is opened here too, and the name is not needed after that
            "exec 3<>\"$fifo\" 5<\"$fifo\"",
            "rm -f \"$fifo\"",
            // the end of the gateway's pipe before any command: nothing to guard
            "IFS= read -r launch <&4 || exit 0",
            "if [ -n \"$launch\" ]; then eval \"$launch\"; fi",
            "{ exec <&5 5<&- 3>&- 4<&-; if command -v setsid >/dev/null 2>&1; then exec setsid \"$@\"; fi; exec \"$@\"; } &",
            "child=$!",
            "stop() { kill -TERM -$child 2>/dev/null || kill -TERM $child 2>/dev/null; }",
            "trap stop TERM INT HUP",
            "{ cat <&4 >&3 4<&- 3>&- 5<&-; exec 3>&- 4<&-; stop; sleep 10; kill -KILL -$child 2>/dev/null || kill -KILL $child 2>/dev/null; } &",
            "watcher=$!",
            "exec 3>&- 4<&- 5<&-",
            "wait $child; code=$?",
            "while kill -0 $child 2>/dev/null; do wait $child; code=$?; done",
            "kill $watcher 2>/dev/null",
            "exit $code");

    /** How long after a start the next spare guard is started. */
    private static final Duration REFILL_DELAY = Duration.ofSeconds(1);

    /** Names a shell can export; the guard's sh drops any other from the engine's environment. */
    private static final Pattern SHELL_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private static final int PORT_RANGE_START = 20000;
    private static final int PORT_RANGE_SIZE = 12000;
    private static final PortCursor PORTS = new PortCursor(PORT_RANGE_SIZE);

    private final Set<ChildProcess> live = ConcurrentHashMap.newKeySet();

    // a guard started ahead, for the next engine; spawned on a platform thread, as it waits in
    // native code for the process to start
    private final ScheduledExecutorService guardStarts = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("engine-guards").daemon().factory());
    private final Object spareLock = new Object();
    private CompletableFuture<Process> spare; // guarded by spareLock
    private boolean closed; // guarded by spareLock

    /**
     * Starts an engine process.
     *
     * @param output where its stdout and stderr lines go
     * @param signals receives the state signals its protocol reports
     */
    @Override
    public ChildProcess start(String modelId, LaunchSpec spec, LogBuffer output, Consumer<ChildSignal> signals)
            throws IOException {
        if (!spec.hasProcess()) {
            throw new IllegalArgumentException("model '" + modelId + "' has no process to start");
        }
        Process process = guard(spec);
        ChildProcess child = new ChildProcess(modelId, spec, process, output, signals);
        live.add(child);
        child.exit().whenComplete((code, error) -> live.remove(child));
        log.debug("spawned model '{}' as pid {}: {}", modelId, process.pid(), String.join(" ", spec.command()));
        return child;
    }

    /** An engine may be started soon: has a guard started for it (see the class comment). Returns at once. */
    @Override
    public void prepare() {
        synchronized (spareLock) {
            if (spare == null && !closed) {
                spare = CompletableFuture.supplyAsync(
                        () -> {
                            try {
                                return spawn(List.of(), Map.of(), null);
                            } catch (IOException e) {
                                throw new UncheckedIOException(e);
                            }
                        },
                        guardStarts);
            }
        }
    }

    /** Starts the next spare a while after a start, so that its shell does not slow that start down. */
    private void refillLater() {
        synchronized (spareLock) {
            if (!closed) {
                guardStarts.schedule(this::prepare, REFILL_DELAY.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }

    /** The spare guard with the spec's command, or a new guard when there is none or it cannot take it. */
    private Process guard(LaunchSpec spec) throws IOException {
        if (spec.workingDirectory() == null && quotable(spec)) {
            CompletableFuture<Process> ready;
            synchronized (spareLock) {
                ready = spare;
                spare = null;
            }
            refillLater();
            Process guard =
                    ready == null ? null : ready.exceptionally(failure -> null).join();
            if (guard != null && guard.isAlive()) {
                try {
                    ChildProcess.writeLine(guard, commandLine(spec));
                    return guard;
                } catch (IOException e) {
                    guard.destroyForcibly(); // died meanwhile: start a new one
                }
            }
        }
        Process guard = spawn(spec.command(), spec.environment(), spec.workingDirectory());
        ChildProcess.writeLine(guard, "");
        return guard;
    }

    private static Process spawn(List<String> engine, Map<String, String> environment, Path directory)
            throws IOException {
        List<String> command = new ArrayList<>(List.of("/bin/sh", "-c", GUARD, "switchboard-guard"));
        command.addAll(engine);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        if (directory != null) {
            builder.directory(directory.toFile());
        }
        return builder.start();
    }

    /** Whether the spec's command and environment fit on the one line a spare guard reads. */
    private static boolean quotable(LaunchSpec spec) {
        return Stream.concat(spec.command().stream(), spec.environment().values().stream())
                .noneMatch(word -> word.indexOf('\n') >= 0);
    }

    /** The spec's environment and command as shell words, for a spare guard's eval. */
    private static String commandLine(LaunchSpec spec) {
        StringBuilder line = new StringBuilder();
        spec.environment().forEach((name, value) -> {
            if (SHELL_NAME.matcher(name).matches()) {
                line.append("export ")
                        .append(name)
                        .append('=')
                        .append(CommandLine.quote(List.of(value)))
                        .append("; ");
            }
        });
        return line.append("set -- ").append(CommandLine.quote(spec.command())).toString();
    }

    /** Ends the spare guard, if any, and starts no more. */
    private void discardSpare() {
        CompletableFuture<Process> discarded;
        synchronized (spareLock) {
            closed = true;
            discarded = spare;
            spare = null;
        }
        if (discarded != null) {
            // the end of its stdin, not a signal: one still making its FIFO removes it, then exits
            discarded.thenAccept(guard -> {
                try {
                    guard.getOutputStream().close();
                } catch (IOException e) {
                    guard.destroy();
                }
            });
        }
        guardStarts.shutdownNow();
    }

    /** The children still running. */
    public Set<ChildProcess> live() {
        return Set.copyOf(live);
    }

    /** Stops every child, gracefully within the timeout, all at once. */
    @Override
    public void stopAll(Duration timeout) {
        discardSpare();
        List<Thread> stoppers = new ArrayList<>();
        for (ChildProcess child : live()) {
            stoppers.add(Thread.ofVirtual().start(() -> {
                try {
                    child.stop(timeout);
                } catch (InterruptedException e) {
                    child.kill();
                    Thread.currentThread().interrupt();
                }
            }));
        }
        for (Thread stopper : stoppers) {
            try {
                stopper.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                live().forEach(ChildProcess::kill);
                return;
            }
        }
    }

    /** Kills every child at once. */
    @Override
    public void close() {
        discardSpare();
        live().forEach(ChildProcess::kill);
    }

    /**
     * A free local TCP port for a child to listen on. Ports come from a range below Linux's
     * ephemeral ports (32768 and up), so an outgoing connection cannot take a port between the
     * moment it is chosen and the moment the child binds it; the range is walked round-robin from
     * a random point, so a port handed out is not handed out again for thousands of starts.
     */
    public static int freePort() {
        // only the cursor is shared: the probe binds a socket, which is not done under a monitor
        for (int tries = 0; tries < PORT_RANGE_SIZE; tries++) {
            int port = PORT_RANGE_START + PORTS.next();
            try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                return port;
            } catch (IOException e) {
                // taken by someone else: try the next one
            }
        }
        throw new UncheckedIOException(new IOException(
                "no free local port in " + PORT_RANGE_START + ".." + (PORT_RANGE_START + PORT_RANGE_SIZE - 1)));
    }

    /** Round-robin over {@code [0, size)} from a random start; thread-safe. */
    private static final class PortCursor {
        private final int size;
        private final AtomicInteger next;

        PortCursor(int size) {
            this.size = size;
            this.next = new AtomicInteger(
                    java.util.concurrent.ThreadLocalRandom.current().nextInt(size));
        }

        int next() {
            return next.getAndUpdate(value -> (value + 1) % size);
        }
    }
}
