package dev.switchboard.app.parity;

import dev.switchboard.app.cli.Cli;
import dev.switchboard.app.cli.Invocation;
import dev.switchboard.app.config.AppConfig;
import dev.switchboard.app.http.GatewayServer;
import dev.switchboard.core.Gateway;
import dev.switchboard.simulator.SimulatorCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * Switchboard started in this JVM the way a llama.cpp user starts llama-server's router: a command
 * line and no configuration file, {@code --models-dir} holding GGUF files (see {@link ModelsDir}),
 * and the engine simulator as {@code --llama-server}. From the parsed command line on, everything is
 * the real gateway (the llamacpp backend, the router child protocol, the HTTP server on a free
 * port), wired as {@code dev.switchboard.app.Main} wires it.
 */
final class RouterUnderTest implements AutoCloseable {

    private final EngineJournal journal;
    private final Gateway gateway;
    private final GatewayServer server;
    private final RouterClient client;

    private RouterUnderTest(EngineJournal journal, Gateway gateway, GatewayServer server) {
        this.journal = journal;
        this.gateway = gateway;
        this.server = server;
        this.client = new RouterClient(server.port());
    }

    /**
     * Runs {@code switchboard --models-dir DIR/models --llama-server DIR/llama-server --host
     * 127.0.0.1 --port 0 ARGS...}.
     */
    static RouterUnderTest start(Path dir, String... args) {
        EngineJournal journal = new EngineJournal(dir.resolve("engines.journal"));
        List<String> line = new ArrayList<>(List.of(
                "--models-dir",
                ModelsDir.of(dir).toString(),
                "--llama-server",
                writeLlamaServer(dir, journal).toString(),
                "--host",
                "127.0.0.1",
                "--port",
                "0"));
        line.addAll(List.of(args));
        if (!(Cli.parse(line.toArray(String[]::new), Map.of()) instanceof Invocation.Serve serve)) {
            throw new IllegalArgumentException("not a command line that serves: " + line);
        }
        AppConfig config = serve.options().routerConfig();
        AtomicInteger port = new AtomicInteger();
        Gateway gateway = Gateway.builder()
                .config(config.gateway())
                .gpus(config.gpus().inventory())
                .gatewayPort(port::get)
                .shutdownHook(false)
                .build();
        try {
            GatewayServer server = GatewayServer.start(gateway, config.server());
            port.set(server.port());
            return new RouterUnderTest(journal, gateway, server);
        } catch (RuntimeException e) {
            gateway.close();
            throw e;
        }
    }

    /**
     * The simulator as {@code llama-server}, behind a wrapper that sets its environment: children
     * inherit the router's, and this JVM's own cannot be changed.
     */
    private static Path writeLlamaServer(Path dir, EngineJournal journal) {
        Path simulator = SimulatorCommand.writeLauncher(dir.resolve("simulator"));
        String script = "#!/bin/sh\n"
                + journal.engineEnvironment().entrySet().stream()
                        .map(variable -> "export " + variable.getKey() + "='" + variable.getValue() + "'\n")
                        .collect(Collectors.joining())
                + "exec '" + simulator + "' \"$@\"\n";
        try {
            Path file = Files.writeString(dir.resolve("llama-server"), script);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A client of the router's HTTP API. */
    RouterClient client() {
        return client;
    }

    /** What the router's children saw. */
    EngineJournal journal() {
        return journal;
    }

    @Override
    public void close() {
        // the client first: the server's graceful stop would wait for its idle connections
        client.close();
        try {
            server.stop(Duration.ofSeconds(1));
        } finally {
            gateway.close();
        }
    }
}
