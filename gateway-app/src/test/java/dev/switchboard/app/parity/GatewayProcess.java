package dev.switchboard.app.parity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.app.Main;
import dev.switchboard.simulator.SimulatorCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code java dev.switchboard.app.Main ARGS --port 0} as a process of its own, as a user runs it,
 * its output in a log file. Closing it kills it and every process it started that is still its
 * descendant.
 */
public final class GatewayProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)");

    private final Process process;
    private final Path log;
    private RouterClient client;

    private GatewayProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /**
     * Starts the gateway with {@code env} added to its environment (its engines inherit it) and,
     * unless {@code env} names one in {@code LLAMA_CACHE}, an empty download cache; waits until it
     * listens.
     */
    public static GatewayProcess start(Path dir, Map<String, String> env, String... args) {
        return start(dir, List.of(), env, args);
    }

    /** As {@link #start(Path, Map, String...)}, with {@code jvmOptions} added to the JVM's options. */
    public static GatewayProcess start(Path dir, List<String> jvmOptions, Map<String, String> env, String... args) {
        List<String> command = new ArrayList<>();
        // SIGHUP at its default, as a service manager starts the gateway: a build run under nohup hands
        // it down ignored, and a JVM keeps an ignored SIGHUP ignored (env execs: the pid is the JVM's)
        command.addAll(List.of("env", "--default-signal=HUP"));
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(SimulatorCommand.JVM_OPTIONS); // a quick start matters more than peak speed here
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        command.addAll(List.of("--port", "0"));
        Path log = dir.resolve("gateway.log");
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        try {
            Path noCache = Files.createDirectories(dir.resolve("no-cache"));
            builder.environment().put("LLAMA_CACHE", noCache.toString());
            builder.environment().putAll(env);
            GatewayProcess gateway = new GatewayProcess(builder.start(), log);
            try {
                gateway.client = new RouterClient(gateway.awaitPort());
                return gateway;
            } catch (RuntimeException | AssertionError e) {
                gateway.close();
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private int awaitPort() {
        return await().atMost(RouterClient.PATIENCE)
                .until(
                        () -> {
                            assertThat(process.isAlive()).as(log()).isTrue();
                            Matcher listening = LISTENING.matcher(log());
                            return listening.find() ? Integer.parseInt(listening.group(1)) : 0;
                        },
                        port -> port > 0);
    }

    public Process process() {
        return process;
    }

    /** A client of its HTTP API. */
    public RouterClient client() {
        return client;
    }

    /** What it has printed so far. */
    public String log() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        if (client != null) {
            client.close();
        }
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }
}
