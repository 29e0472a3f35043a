package dev.switchboard.tools.internal;

import dev.switchboard.tools.McpServerConfig;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The SDK's client transport for one stdio MCP server, owned by the gateway's process rules: the
 * child starts with the configured working directory and environment, its pipes are read and
 * written on platform threads (never a virtual thread in a native pipe call), a line that is not
 * JSON-RPC is skipped, and closing kills the child and everything it started, so a grandchild
 * that inherited the pipes neither outlives the gateway nor holds a reader open.
 */
final class StdioTransport implements McpClientTransport {
    private static final Logger log = LoggerFactory.getLogger(StdioTransport.class);
    private static final int STDERR_TAIL_LINES = 20;

    private final McpServerConfig config;
    private final Runnable onClosed;
    private final McpJsonMapper mapper = McpJsonDefaults.getMapper();
    private final ExecutorService writer;
    private final Scheduler writes;
    private final Deque<String> stderrTail = new ArrayDeque<>();
    private volatile Process process;
    private volatile boolean running;

    /**
     * @param onClosed run once when the child's stdout ends (it exited or was killed)
     */
    StdioTransport(McpServerConfig config, Runnable onClosed) {
        this.config = config;
        this.onClosed = onClosed;
        this.writer = Executors.newSingleThreadExecutor(Thread.ofPlatform()
                .name("switchboard-mcp-" + config.name() + "-in")
                .daemon(true)
                .factory());
        this.writes = Schedulers.fromExecutorService(writer);
    }

    @Override
    public Mono<Void> connect(Function<Mono<McpSchema.JSONRPCMessage>, Mono<McpSchema.JSONRPCMessage>> handler) {
        return Mono.<Void>fromRunnable(() -> start(handler)).subscribeOn(writes);
    }

    private void start(Function<Mono<McpSchema.JSONRPCMessage>, Mono<McpSchema.JSONRPCMessage>> handler) {
        List<String> argv = new ArrayList<>();
        argv.add(config.command());
        argv.addAll(config.args());
        ProcessBuilder builder = new ProcessBuilder(argv);
        builder.environment().putAll(config.env());
        if (!config.cwd().isEmpty()) {
            builder.directory(new File(config.cwd()));
        }
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new IllegalStateException("failed to spawn '" + config.command() + "': " + e.getMessage(), e);
        }
        running = true;
        Thread.ofPlatform()
                .name("switchboard-mcp-" + config.name() + "-out")
                .daemon(true)
                .start(() -> readMessages(process, handler));
        Thread.ofPlatform()
                .name("switchboard-mcp-" + config.name() + "-err")
                .daemon(true)
                .start(() -> readStderr(process));
    }

    private void readMessages(
            Process child, Function<Mono<McpSchema.JSONRPCMessage>, Mono<McpSchema.JSONRPCMessage>> handler) {
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                McpSchema.JSONRPCMessage message;
                try {
                    message = McpSchema.deserializeJsonRpcMessage(mapper, line);
                } catch (IOException | RuntimeException e) {
                    log.debug("MCP '{}': skipping a line that is not JSON-RPC: {}", config.name(), line);
                    continue;
                }
                handler.apply(Mono.just(message))
                        .subscribe(null, e -> log.debug("MCP '{}': message handling failed", config.name(), e));
            }
        } catch (IOException e) {
            // the pipe closed under a kill
        } finally {
            running = false;
            onClosed.run();
        }
    }

    private void readStderr(Process child) {
        try (BufferedReader err =
                new BufferedReader(new InputStreamReader(child.getErrorStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = err.readLine()) != null) {
                log.debug("MCP '{}' stderr: {}", config.name(), line);
                synchronized (stderrTail) {
                    stderrTail.addLast(line);
                    if (stderrTail.size() > STDERR_TAIL_LINES) {
                        stderrTail.removeFirst();
                    }
                }
            }
        } catch (IOException e) {
            // the pipe closed under a kill
        }
    }

    /** Whether the child runs and its stdout is still open. */
    boolean isAlive() {
        Process child = process;
        return running && child != null && child.isAlive();
    }

    /** The last lines the child wrote on stderr, for a log line when it dies. */
    String stderrTail() {
        synchronized (stderrTail) {
            return String.join("\n", stderrTail);
        }
    }

    @Override
    public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message) {
        return Mono.<Void>fromRunnable(() -> {
                    Process child = process;
                    if (child == null || !running) {
                        throw new IllegalStateException("transport closed");
                    }
                    try {
                        OutputStream in = child.getOutputStream();
                        in.write((mapper.writeValueAsString(message) + "\n").getBytes(StandardCharsets.UTF_8));
                        in.flush();
                    } catch (IOException e) {
                        throw new IllegalStateException("transport closed", e);
                    }
                })
                .subscribeOn(writes);
    }

    @Override
    public Mono<Void> closeGracefully() {
        return Mono.fromRunnable(this::close);
    }

    @Override
    public void close() {
        running = false;
        Process child = process;
        if (child != null) {
            Subprocess.killTree(child);
        }
        writer.shutdownNow();
    }

    @Override
    public <T> T unmarshalFrom(Object data, TypeRef<T> typeRef) {
        return mapper.convertValue(data, typeRef);
    }
}
