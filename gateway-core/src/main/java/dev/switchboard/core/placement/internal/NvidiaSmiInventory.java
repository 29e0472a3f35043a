package dev.switchboard.core.placement.internal;

import dev.switchboard.core.placement.GpuInventory;
import dev.switchboard.core.placement.GpuInventoryException;
import dev.switchboard.core.spi.GpuInfo;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Reads the GPUs by running {@code nvidia-smi} with CSV query options. */
public final class NvidiaSmiInventory implements GpuInventory {
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(10);
    private static final String CSV_FORMAT = "--format=csv,noheader,nounits";

    private final List<String> commandPrefix;
    private final Duration timeout;
    private final CachedReading<List<GpuInfo>> gpus;
    private final CachedReading<Map<Long, Long>> memoryByPid;

    public NvidiaSmiInventory(List<String> commandPrefix, Duration cacheTtl) {
        this(commandPrefix, cacheTtl, COMMAND_TIMEOUT);
    }

    NvidiaSmiInventory(List<String> commandPrefix, Duration cacheTtl, Duration timeout) {
        if (commandPrefix.isEmpty()) {
            throw new IllegalArgumentException("the nvidia-smi command must not be empty");
        }
        if (cacheTtl.isNegative()) {
            throw new IllegalArgumentException("the cache TTL must not be negative, got " + cacheTtl);
        }
        this.commandPrefix = List.copyOf(commandPrefix);
        this.timeout = timeout;
        this.gpus = new CachedReading<>(
                () -> NvidiaSmiCsv.parseGpus(
                        run("--query-gpu=" + String.join(",", NvidiaSmiCsv.GPU_FIELDS), CSV_FORMAT)),
                cacheTtl);
        this.memoryByPid = new CachedReading<>(
                () -> NvidiaSmiCsv.parseComputeApps(
                        run("--query-compute-apps=" + String.join(",", NvidiaSmiCsv.COMPUTE_APP_FIELDS), CSV_FORMAT)),
                cacheTtl);
    }

    @Override
    public List<GpuInfo> gpus() {
        return gpus.get();
    }

    @Override
    public Map<Long, Long> memoryByPid() {
        return memoryByPid.get();
    }

    @Override
    public void refresh() {
        gpus.invalidate();
        memoryByPid.invalidate();
    }

    private String run(String... options) {
        List<String> command = new ArrayList<>(commandPrefix);
        command.addAll(List.of(options));
        Process process;
        try {
            process = new ProcessBuilder(command).start();
        } catch (IOException e) {
            throw new GpuInventoryException("nvidia-smi not found: " + e.getMessage(), e);
        }
        // both pipes are drained while waiting so a chatty process cannot block on a full pipe; the
        // readers are platform threads, as a virtual thread blocked in a pipe read pins its carrier
        try (ExecutorService readers = Executors.newThreadPerTaskExecutor(
                Thread.ofPlatform().daemon().name("nvidia-smi-reader").factory())) {
            Future<String> stdout = readers.submit(() -> read(process.getInputStream()));
            Future<String> stderr = readers.submit(() -> read(process.getErrorStream()));
            try {
                if (!exited(process)) {
                    throw new GpuInventoryException("nvidia-smi did not answer within " + timeout.toMillis() + " ms: "
                            + String.join(" ", command));
                }
                if (process.exitValue() != 0) {
                    // nvidia-smi reports most failures ("No devices were found") on stdout
                    String message = (stderr.get() + " " + stdout.get()).strip();
                    throw new GpuInventoryException(
                            "nvidia-smi failed with exit code " + process.exitValue() + ": " + message);
                }
                return stdout.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new GpuInventoryException("interrupted while reading GPUs with nvidia-smi", e);
            } catch (ExecutionException e) {
                throw new GpuInventoryException("could not read nvidia-smi's output", e.getCause());
            } finally {
                // ends the readers too: a process that is gone closes its pipes
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        }
    }

    /** Waits through the JDK's reaper thread: {@link Process#waitFor} pins a virtual thread on Java 21. */
    private boolean exited(Process process) throws InterruptedException, ExecutionException {
        try {
            process.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        }
    }

    private static String read(InputStream stream) throws IOException {
        try (stream) {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
