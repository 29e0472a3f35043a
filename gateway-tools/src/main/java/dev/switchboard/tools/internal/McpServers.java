package dev.switchboard.tools.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.tools.McpServerConfig;
import io.modelcontextprotocol.client.McpAsyncClient;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The configured stdio MCP servers, as llama-server runs them: at start-up each is spawned once to
 * list its tools and stopped again (one that fails is logged and left out); a call spawns its
 * server on demand and keeps it, a server found dead is respawned, and one that fails to start is
 * left alone for a few seconds. The JSON-RPC session (handshake, id correlation, timeouts) is the
 * MCP SDK's; closing cancels every call in flight at once.
 */
final class McpServers implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(McpServers.class);
    private static final Duration WARM_UP_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration COOLDOWN = Duration.ofSeconds(5);
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

    /** A tool one server advertised. */
    record Definition(String server, String name, String description, Map<String, Object> inputSchema) {}

    private final class Session {
        final StdioTransport transport;
        final McpAsyncClient client;
        final Set<CompletableFuture<?>> calls = ConcurrentHashMap.newKeySet();

        Session(McpServerConfig config, Duration timeout) {
            this.transport = new StdioTransport(config, this::failCalls);
            this.client = McpClient.async(transport)
                    .requestTimeout(timeout)
                    .initializationTimeout(timeout)
                    .clientInfo(new McpSchema.Implementation("switchboard", "1.0"))
                    .build();
        }

        /** The child's output ended: every call waiting on it fails now instead of at its timeout. */
        void failCalls() {
            calls.forEach(call -> call.completeExceptionally(new IllegalStateException("transport closed")));
        }

        void close() {
            transport.close();
            client.close();
            failCalls();
        }
    }

    private final List<McpServerConfig> configs;
    private final Map<String, Session> sessions = new HashMap<>();
    private final Map<String, Long> coolingUntil = new HashMap<>();
    private final Set<CompletableFuture<?>> inFlight = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    McpServers(List<McpServerConfig> configs) {
        this.configs = List.copyOf(configs);
    }

    /** Spawns each server once, lists its tools and stops it; a server that fails adds none. */
    List<Definition> warmUp() {
        List<Definition> found = new ArrayList<>();
        for (McpServerConfig config : configs) {
            Session session = new Session(config, WARM_UP_TIMEOUT);
            try {
                session.client.initialize().block(WARM_UP_TIMEOUT);
                McpSchema.ListToolsResult listed = session.client.listTools().block(WARM_UP_TIMEOUT);
                List<McpSchema.Tool> tools = listed == null || listed.tools() == null ? List.of() : listed.tools();
                log.info("MCP warmup: '{}' discovered {} tools", config.name(), tools.size());
                for (McpSchema.Tool tool : tools) {
                    found.add(new Definition(
                            config.name(),
                            tool.name(),
                            tool.description() == null ? "" : tool.description(),
                            tool.inputSchema()));
                }
            } catch (RuntimeException e) {
                log.warn("MCP warmup: failed to start '{}': {}{}", config.name(), message(e), tail(session.transport));
            } finally {
                session.close();
            }
        }
        return found;
    }

    /**
     * Calls {@code tool} on {@code server}: llama-server's result shape, the text parts joined as
     * {@code plain_text_response}, or {@code error}.
     */
    ObjectNode call(String server, String tool, ObjectNode arguments) {
        Session session = session(server);
        if (session == null) {
            return Tool.error("MCP server unavailable: " + server);
        }
        Map<String, Object> args = Tool.JSON.convertValue(arguments, MAP);
        CompletableFuture<McpSchema.CallToolResult> call = session.client
                .callTool(new McpSchema.CallToolRequest(tool, args))
                .toFuture();
        session.calls.add(call);
        inFlight.add(call);
        if (closed) {
            call.cancel(true);
        }
        try {
            return result(call.get());
        } catch (ExecutionException e) {
            return Tool.error(message(e.getCause()));
        } catch (CancellationException e) {
            return Tool.error("cancelled");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Tool.error("cancelled");
        } finally {
            session.calls.remove(call);
            inFlight.remove(call);
        }
    }

    private static ObjectNode result(McpSchema.CallToolResult result) {
        String text = result.content() == null
                ? ""
                : result.content().stream()
                        .filter(McpSchema.TextContent.class::isInstance)
                        .map(part -> ((McpSchema.TextContent) part).text())
                        .collect(Collectors.joining("\n"));
        if (Boolean.TRUE.equals(result.isError())) {
            return Tool.error(text.isEmpty() ? "MCP tool returned an error" : text);
        }
        return Tool.text(text);
    }

    private static String message(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && !(cause instanceof McpError) && !(cause instanceof TimeoutException)) {
            cause = cause.getCause();
        }
        if (cause instanceof TimeoutException) {
            return "request timed out";
        }
        if (cause instanceof McpError mcp && mcp.getJsonRpcError() != null) {
            return mcp.getJsonRpcError().message();
        }
        return cause.getMessage() != null ? cause.getMessage() : cause.toString();
    }

    private static String tail(StdioTransport transport) {
        String tail = transport.stderrTail();
        return tail.isEmpty() ? "" : "; last stderr: " + tail;
    }

    /** The live session of {@code server}, (re)started when needed; null while it cools down. */
    private synchronized Session session(String server) {
        if (closed) {
            return null;
        }
        Long until = coolingUntil.get(server);
        if (until != null) {
            if (System.nanoTime() - until < 0) {
                return null;
            }
            coolingUntil.remove(server);
        }
        Session session = sessions.get(server);
        if (session != null) {
            if (session.transport.isAlive()) {
                return session;
            }
            log.warn("MCP '{}' is no longer alive, respawning{}", server, tail(session.transport));
            sessions.remove(server);
            session.close();
        }
        McpServerConfig config = configs.stream()
                .filter(c -> c.name().equals(server))
                .findFirst()
                .orElse(null);
        if (config == null) {
            return null;
        }
        Session fresh = new Session(config, Duration.ofMillis(config.timeoutMs()));
        try {
            fresh.client.initialize().toFuture().get(config.timeoutMs(), TimeUnit.MILLISECONDS);
            sessions.put(server, fresh);
            return fresh;
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            log.warn("MCP '{}': failed to start: {}{}", server, message(e), tail(fresh.transport));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        fresh.close();
        coolingUntil.put(server, System.nanoTime() + COOLDOWN.toNanos());
        return null;
    }

    /** Cancels every call in flight, then stops every server and what it started. */
    @Override
    public void close() {
        closed = true;
        inFlight.forEach(call -> call.cancel(true));
        List<Session> open;
        synchronized (this) {
            open = new ArrayList<>(sessions.values());
            sessions.clear();
        }
        open.forEach(Session::close);
    }
}
