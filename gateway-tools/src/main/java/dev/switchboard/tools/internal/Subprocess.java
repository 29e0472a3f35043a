package dev.switchboard.tools.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs a command with a time limit and an output cap. Its pipes are read on platform threads:
 * a virtual thread blocked in a native pipe read would pin its carrier. Callers wait on the
 * returned future, which is cheap on a virtual thread.
 */
final class Subprocess {
    /** The output as read (capped), the exit status (-1 when it never ran) and whether it timed out. */
    record Result(byte[] output, int exitCode, boolean timedOut) {
        String text() {
            return new String(output, StandardCharsets.UTF_8);
        }
    }

    /** Receives output as it is read; false stops the command (the client went away). */
    @FunctionalInterface
    interface Chunks {
        boolean push(String chunk);
    }

    private static final ExecutorService PUMPS = Executors.newCachedThreadPool(
            Thread.ofPlatform().name("switchboard-tool-pipe-", 0).daemon(true).factory());
    private static final ScheduledExecutorService TIMERS = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("switchboard-tool-timer").daemon(true).factory());

    /** Every command still running, so that a shutdown leaves none behind. */
    private static final java.util.Set<Process> LIVE = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private Subprocess() {}

    /** Kills every command still running (the gateway is stopping). */
    static void killAll() {
        LIVE.forEach(Subprocess::killTree);
    }

    /**
     * Starts {@code argv}; {@code stdin} (may be null) is written then closed, stderr joins stdout
     * when {@code combineStderr}. The future never fails: a command that cannot start completes
     * with exit code -1 and {@code failed to spawn process}.
     */
    static CompletableFuture<Result> start(
            List<String> argv,
            Path cwd,
            byte[] stdin,
            boolean combineStderr,
            long maxOutput,
            int timeoutSeconds,
            Chunks chunks) {
        ProcessBuilder builder = new ProcessBuilder(argv);
        if (cwd != null) {
            builder.directory(cwd.toFile());
        }
        builder.redirectErrorStream(combineStderr);
        if (!combineStderr) {
            builder.redirectError(ProcessBuilder.Redirect.DISCARD);
        }
        Process process;
        try {
            process = builder.start();
        } catch (IOException | RuntimeException e) {
            return CompletableFuture.completedFuture(
                    new Result("failed to spawn process".getBytes(StandardCharsets.UTF_8), -1, false));
        }
        LIVE.add(process);
        AtomicBoolean timedOut = new AtomicBoolean();
        ScheduledFuture<?> timer = TIMERS.schedule(
                () -> {
                    timedOut.set(true);
                    killTree(process);
                },
                timeoutSeconds,
                TimeUnit.SECONDS);
        CompletableFuture<Result> result = new CompletableFuture<>();
        PUMPS.execute(() -> {
            try {
                writeStdin(process, stdin);
                byte[] output = pump(process, maxOutput, chunks);
                int code = process.waitFor();
                result.complete(new Result(output, code, timedOut.get()));
            } catch (InterruptedException e) {
                killTree(process);
                Thread.currentThread().interrupt();
                result.complete(new Result(new byte[0], -1, timedOut.get()));
            } finally {
                timer.cancel(false);
                killTree(process);
                LIVE.remove(process);
            }
        });
        return result;
    }

    /** Kills the process and every process it started, so that none is left behind. */
    static void killTree(Process process) {
        process.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    private static void writeStdin(Process process, byte[] stdin) {
        try (OutputStream in = process.getOutputStream()) {
            if (stdin != null && stdin.length > 0) {
                in.write(stdin);
            }
        } catch (IOException e) {
            // a child that does not read its stdin; its exit code tells what happened
        }
    }

    private static byte[] pump(Process process, long maxOutput, Chunks chunks) {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        Utf8Chunker chunker = new Utf8Chunker();
        boolean truncated = false;
        byte[] buffer = new byte[4096];
        try (InputStream out = process.getInputStream()) {
            int n;
            while ((n = out.read(buffer)) > 0) {
                if (truncated) {
                    continue; // keep draining, else the child blocks on a full pipe
                }
                int keep = (int) Math.min(n, maxOutput - output.size());
                output.write(buffer, 0, keep);
                if (chunks != null && keep > 0 && !chunks.push(chunker.decode(buffer, keep))) {
                    killTree(process);
                    break;
                }
                truncated = keep < n;
            }
        } catch (IOException e) {
            // the pipe closed under a kill
        }
        if (truncated) {
            output.writeBytes("\n[output truncated]".getBytes(StandardCharsets.UTF_8));
        }
        return output.toByteArray();
    }

    /** Decodes UTF-8 chunk by chunk, holding back a sequence split between two reads. */
    private static final class Utf8Chunker {
        private byte[] pending = new byte[0];

        String decode(byte[] bytes, int length) {
            byte[] all = new byte[pending.length + length];
            System.arraycopy(pending, 0, all, 0, pending.length);
            System.arraycopy(bytes, 0, all, pending.length, length);
            int end = all.length;
            int back = 0;
            // step back over an incomplete trailing sequence (at most 3 bytes)
            while (back < 3 && back < end && (all[end - 1 - back] & 0xC0) == 0x80) {
                back++;
            }
            if (back < end) {
                int lead = all[end - 1 - back] & 0xFF;
                int need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
                int cut = need > back + 1 ? end - 1 - back : end;
                pending = java.util.Arrays.copyOfRange(all, cut, end);
                return new String(all, 0, cut, StandardCharsets.UTF_8);
            }
            pending = new byte[0];
            return new String(all, StandardCharsets.UTF_8);
        }
    }
}
