package dev.switchboard.core.process.internal;

import dev.switchboard.core.process.LogBuffer;
import dev.switchboard.core.spi.ChildSignal;
import dev.switchboard.core.spi.LaunchSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
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
 */
public final class Supervisor implements EngineLauncher, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Supervisor.class);

    /** The guard: see the class comment. Its exit code is the engine's. */
    static final String GUARD = String.join(
            "\n",
            // the gateway's pipe on fd 4: sh gives background jobs /dev/null as stdin
            "exec 4<&0 0</dev/null",
            "fifo=$(mktemp -u \"${TMPDIR:-/tmp}/switchboard-stdin.XXXXXXXX\") && mkfifo -m 600 \"$fifo\" || exit 125",
            // read-write opens of a FIFO never block, so neither side can wait for one that died;
            // the engine's side opens its read end while it still holds this one, then drops the name
            "exec 3<>\"$fifo\"",
            "{ exec <\"$fifo\" 3>&- 4<&-; rm -f \"$fifo\"; if command -v setsid >/dev/null 2>&1; then exec setsid \"$@\"; fi; exec \"$@\"; } &",
            "child=$!",
            "stop() { kill -TERM -$child 2>/dev/null || kill -TERM $child 2>/dev/null; }",
            "trap stop TERM INT HUP",
            "{ cat <&4 >&3 4<&- 3>&-; exec 3>&- 4<&-; stop; sleep 10; kill -KILL -$child 2>/dev/null || kill -KILL $child 2>/dev/null; } &",
            "watcher=$!",
            "exec 3>&- 4<&-",
            "wait $child; code=$?",
            "while kill -0 $child 2>/dev/null; do wait $child; code=$?; done",
            "kill $watcher 2>/dev/null",
            // the engine may have died before it removed the name
            "rm -f \"$fifo\"",
            "exit $code");

    private static final int PORT_RANGE_START = 20000;
    private static final int PORT_RANGE_SIZE = 12000;
    private static final PortCursor PORTS = new PortCursor(PORT_RANGE_SIZE);

    private final Set<ChildProcess> live = ConcurrentHashMap.newKeySet();

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
        List<String> command = new ArrayList<>(List.of("/bin/sh", "-c", GUARD, "switchboard-guard"));
        command.addAll(spec.command());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(spec.environment());
        if (spec.workingDirectory() != null) {
            builder.directory(spec.workingDirectory().toFile());
        }
        Process process = builder.start();
        ChildProcess child = new ChildProcess(modelId, spec, process, output, signals);
        live.add(child);
        child.exit().whenComplete((code, error) -> live.remove(child));
        log.debug("spawned model '{}' as pid {}: {}", modelId, process.pid(), String.join(" ", spec.command()));
        return child;
    }

    /** The children still running. */
    public Set<ChildProcess> live() {
        return Set.copyOf(live);
    }

    /** Stops every child, gracefully within the timeout, all at once. */
    @Override
    public void stopAll(Duration timeout) {
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
