package dev.switchboard.app.parity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.app.parity.RouterClient.Reply;
import dev.switchboard.simulator.SimulatorCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.ToLongFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A soak: a gateway process with every model slot filled by a running engine (more engines than CPU
 * cores), its virtual-thread scheduler without spare carriers, probed every two seconds with
 * {@code /health} and a chat request, idle in the first half and lightly loaded in the second.
 * Every probe answers; latency, resident memory and thread count stay flat; SIGTERM still stops it
 * cleanly with no engine left. CI runs 60 s; {@code -Dswitchboard.soak.seconds=600} runs the full ten
 * minutes (see docs/RELIABILITY.md).
 */
class SoakTest {
    private static final Duration PROBE_EVERY = Duration.ofSeconds(2);
    private static final int CORES = Runtime.getRuntime().availableProcessors();
    private static final int CARRIERS = Math.max(2, CORES);

    @TempDir
    Path dir;

    private EngineJournal journal;
    private GatewayProcess gateway;

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (journal != null) {
            journal.pids().forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        }
    }

    record Sample(long atMillis, long healthMicros, long chatMicros, long rssKib, int threads) {}

    @Test
    void servesEveryProbeWithFlatLatencyMemoryAndThreadsAndStopsCleanly() throws Exception {
        Duration length = Duration.ofSeconds(Long.getLong("switchboard.soak.seconds", 60));
        int engines = CORES + 2;
        Path llamaServer = SimulatorCommand.writeLauncher(dir.resolve("llama-server"));
        StringBuilder models = new StringBuilder();
        for (int i = 0; i < engines; i++) {
            models.append("  m")
                    .append(i)
                    .append(":\n    cmd: ")
                    .append(llamaServer)
                    .append(" -m /models/m")
                    .append(i)
                    .append(".gguf --alias m")
                    .append(i)
                    .append(" --port ${PORT}\n");
        }
        Path config = Files.writeString(
                dir.resolve("config.yaml"),
                "server: { port: 0 }\ngpus: none\nscheduler: { maxLoaded: " + engines
                        + ", idleTtl: 0 }\nbackends:\n  run: { type: command }\nmodels:\n" + models);
        journal = new EngineJournal(dir.resolve("engines.journal"));
        gateway = GatewayProcess.start(
                dir,
                List.of(
                        "-Djdk.virtualThreadScheduler.parallelism=" + CARRIERS,
                        "-Djdk.virtualThreadScheduler.maxPoolSize=" + CARRIERS),
                journal.engineEnvironment(),
                "--config",
                config.toString());
        RouterClient client = gateway.client();
        for (int i = 0; i < engines; i++) {
            client.loadAndWait("m" + i); // every slot filled
        }
        assertThat(journal.pids()).hasSize(engines);

        List<Sample> samples = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        long start = System.nanoTime();
        long end = start + length.toNanos();
        int probe = 0;
        Thread load = null;
        while (System.nanoTime() < end) {
            if (load == null && System.nanoTime() > start + length.toNanos() / 2) {
                load = lightLoad(client, engines, end); // the second half is lightly loaded
            }
            long t0 = System.nanoTime();
            Reply health = client.get("/health");
            long t1 = System.nanoTime();
            String model = "m" + (probe++ % engines);
            Reply chat = client.post("/v1/chat/completions", RouterClient.chat(model, 4));
            long t2 = System.nanoTime();
            if (health.status() != 200 || chat.status() != 200) {
                failures.add("probe " + probe + ": health " + health.status() + ", chat " + chat.status() + " "
                        + chat.body());
            }
            samples.add(new Sample(
                    Duration.ofNanos(t0 - start).toMillis(), (t1 - t0) / 1000, (t2 - t1) / 1000, status("VmRSS:"), (int)
                            status("Threads:")));
            LockSupport.parkNanos(Math.max(0, PROBE_EVERY.toNanos() - (System.nanoTime() - t0)));
        }
        if (load != null) {
            load.join();
        }

        // the first quarter is warm-up (JIT, first GCs); compare the rest with it
        List<Sample> early = samples.subList(0, Math.max(1, samples.size() / 4));
        List<Sample> late = samples.subList(samples.size() / 2, samples.size());
        System.out.printf(
                "soak: %ds, %d engines on %d cores, %d probes; chat median %d ms early, %d ms late; RSS max %d MiB"
                        + " early, %d MiB late; threads max %d early, %d late%n",
                length.toSeconds(),
                engines,
                CORES,
                samples.size(),
                median(early, Sample::chatMicros) / 1000,
                median(late, Sample::chatMicros) / 1000,
                max(early, Sample::rssKib) / 1024,
                max(late, Sample::rssKib) / 1024,
                max(early, s -> s.threads()),
                max(late, s -> s.threads()));
        assertThat(failures).isEmpty();
        assertThat(samples.size()).isGreaterThanOrEqualTo((int) (length.toSeconds() / PROBE_EVERY.toSeconds() / 2));
        // generous bounds: the machine is shared and loaded; a leak grows without bound, noise does not
        assertThat(median(late, Sample::chatMicros)).isLessThan(3 * median(early, Sample::chatMicros) + 200_000);
        assertThat(median(late, Sample::healthMicros)).isLessThan(3 * median(early, Sample::healthMicros) + 100_000);
        assertThat(max(late, Sample::rssKib)).isLessThan(max(early, Sample::rssKib) * 3 / 2 + 64 * 1024);
        assertThat(max(late, s -> s.threads())).isLessThanOrEqualTo(max(early, s -> s.threads()) + 16);

        Set<Long> pids = journal.pids();
        gateway.process().destroy(); // SIGTERM
        assertThat(gateway.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(gateway.process().exitValue()).as(gateway.log()).isZero();
        assertThat(pids)
                .noneMatch(
                        pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
    }

    /** Two clients asking every model in turn for a short answer, one request a second each. */
    private static Thread lightLoad(RouterClient client, int engines, long endNanos) {
        return Thread.ofPlatform().daemon().start(() -> {
            List<Thread> clients = new ArrayList<>();
            for (int c = 0; c < 2; c++) {
                int offset = c;
                clients.add(Thread.ofPlatform().daemon().start(() -> {
                    for (int i = offset; System.nanoTime() < endNanos; i++) {
                        client.post("/v1/chat/completions", RouterClient.chat("m" + (i % engines), 8));
                        LockSupport.parkNanos(Duration.ofSeconds(1).toNanos());
                    }
                }));
            }
            for (Thread t : clients) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
    }

    /** A number from {@code /proc/PID/status} (kB for sizes). */
    private long status(String field) throws IOException {
        return Files.readAllLines(
                        Path.of("/proc", Long.toString(gateway.process().pid()), "status"))
                .stream()
                .filter(line -> line.startsWith(field))
                .map(line -> line.substring(field.length()).trim().split("\\s+")[0])
                .mapToLong(Long::parseLong)
                .findFirst()
                .orElseThrow();
    }

    private static long median(List<Sample> samples, ToLongFunction<Sample> value) {
        long[] values = samples.stream().mapToLong(value).sorted().toArray();
        return values[values.length / 2];
    }

    private static long max(List<Sample> samples, ToLongFunction<Sample> value) {
        return samples.stream().mapToLong(value).max().orElse(0);
    }
}
