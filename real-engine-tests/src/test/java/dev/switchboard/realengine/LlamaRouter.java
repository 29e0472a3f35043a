package dev.switchboard.realengine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.app.parity.RouterClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * llama.cpp's own router, the reference: the real binary started as {@code llama-server --models-dir
 * DIR --host 127.0.0.1 --port P ARGS} (no model, hence router mode), its output in a log file.
 * Closing it kills it and its children.
 */
final class LlamaRouter implements AutoCloseable {

    private final Process process;
    private final Path log;
    private final RouterClient client;

    private LlamaRouter(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.client = new RouterClient(port);
    }

    /** Starts the router with an empty download cache and waits until {@code /health} answers. */
    static LlamaRouter start(Path dir, String... args) {
        try {
            int port = freePort();
            List<String> command = new ArrayList<>(List.of(
                    RealLlamaServer.binary().toString(), "--host", "127.0.0.1", "--port", Integer.toString(port)));
            command.addAll(List.of(args));
            Path log = dir.resolve("llama-router.log");
            ProcessBuilder builder =
                    new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment()
                    .put(
                            "LLAMA_CACHE",
                            Files.createDirectories(dir.resolve("router-cache")).toString());
            LlamaRouter router = new LlamaRouter(builder.start(), log, port);
            try {
                await().atMost(RouterClient.PATIENCE).ignoreExceptions().until(() -> {
                    assertThat(router.process.isAlive()).as(router.log()).isTrue();
                    return router.client.get("/health").status() == 200;
                });
                return router;
            } catch (RuntimeException | AssertionError e) {
                router.close();
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    RouterClient client() {
        return client;
    }

    String log() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        client.close();
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }
}
