package dev.switchboard.tools.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.tools.ToolCall;
import dev.switchboard.tools.ToolException;
import dev.switchboard.tools.ToolListener;
import dev.switchboard.tools.ToolRequest;
import dev.switchboard.tools.Tools;
import dev.switchboard.tools.ToolsConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@link Tools} llama-server's flags describe: built-in tools first, then MCP servers' tools. */
public final class ToolSet implements Tools {
    private static final Logger log = LoggerFactory.getLogger(ToolSet.class);

    private final List<Tool> tools;
    private final Runtimes runtimes;
    private final McpServers mcp;
    private final ToolListener listener;
    private final boolean on;

    private ToolSet(List<Tool> tools, Runtimes runtimes, McpServers mcp, ToolListener listener, boolean on) {
        this.tools = List.copyOf(tools);
        this.runtimes = runtimes;
        this.mcp = mcp;
        this.listener = listener;
        this.on = on;
    }

    public static Tools start(ToolsConfig config, ToolListener listener) {
        List<Tool> all = BuiltinTools.all();
        List<String> known = all.stream().map(t -> t.name).toList();
        for (String name : config.enabled()) {
            if (!name.equals("all") && !known.contains(name)) {
                throw new IllegalArgumentException(
                        "unknown tool \"" + name + "\". available tools: " + String.join(", ", known));
            }
        }
        List<Tool> tools = new ArrayList<>();
        for (Tool tool : all) {
            if (config.enabled().contains("all") || config.enabled().contains(tool.name)) {
                tools.add(tool);
            }
        }
        Runtimes runtimes = config.isOn()
                ? new Runtimes(config.runtime(), Confinement.of(config.roots()), config.allowedRuntimes())
                : null;
        McpServers mcp = new McpServers(config.mcpServers());
        try {
            Set<String> seen = new HashSet<>(tools.stream().map(t -> t.name).toList());
            for (McpServers.Definition definition : mcp.warmUp()) {
                McpTool tool = new McpTool(mcp, definition);
                if (!seen.add(tool.name)) {
                    log.warn(
                            "MCP tool \"{}\" from server \"{}\" collides with an existing tool, skipping",
                            tool.name,
                            definition.server());
                    continue;
                }
                tools.add(tool);
            }
        } catch (RuntimeException e) {
            mcp.close();
            if (runtimes != null) {
                runtimes.close();
            }
            throw e;
        }
        return new ToolSet(tools, runtimes, mcp, listener, config.isOn());
    }

    @Override
    public boolean isOn() {
        return on;
    }

    @Override
    public ArrayNode list() {
        ArrayNode list = Tool.JSON.createArrayNode();
        tools.forEach(tool -> list.add(tool.toJson()));
        return list;
    }

    @Override
    public ObjectNode call(ToolRequest request) {
        Tool tool = find(request.tool(), false);
        long start = System.nanoTime();
        try {
            ObjectNode result = invoke(tool, request, null);
            String error = result.path("error").asText("");
            report(tool, error.isEmpty() ? "ok" : "error", error, start);
            return result;
        } catch (RuntimeException e) {
            report(tool, "rejected", String.valueOf(e.getMessage()), start);
            throw e;
        }
    }

    @Override
    public void stream(ToolRequest request, StreamSink sink) {
        Tool tool = find(request.tool(), true);
        long start = System.nanoTime();
        ObjectNode params = params(request);
        ToolIo io;
        try {
            io = io(tool, request);
        } catch (RuntimeException e) {
            report(tool, "rejected", String.valueOf(e.getMessage()), start);
            throw e;
        }
        // the tool runs beside this thread, which alone writes to the client
        BlockingQueue<Object[]> queue = new LinkedBlockingQueue<>();
        AtomicBoolean gone = new AtomicBoolean();
        Subprocess.Chunks chunks = text -> {
            if (!text.isEmpty()) {
                queue.add(new Object[] {text});
            }
            return !gone.get();
        };
        Thread.ofVirtual().name("switchboard-tool-" + tool.name).start(() -> {
            String error = "";
            try {
                tool.invoke(new Tool.Call(params, () -> io, chunks));
            } catch (RuntimeException e) {
                error = e.getMessage() != null ? e.getMessage() : e.toString();
            }
            queue.add(new Object[] {null, error});
        });
        try {
            while (true) {
                Object[] item = queue.take();
                if (item[0] == null) {
                    String error = (String) item[1];
                    if (!gone.get()) {
                        sink.done(error);
                    }
                    report(tool, gone.get() ? "cancelled" : error.isEmpty() ? "ok" : "error", error, start);
                    return;
                }
                if (!gone.get() && !sink.chunk((String) item[0])) {
                    gone.set(true);
                }
            }
        } catch (InterruptedException e) {
            gone.set(true);
            Thread.currentThread().interrupt();
        }
    }

    private Tool find(String name, boolean stream) {
        for (Tool tool : tools) {
            if (tool.name.equals(name)) {
                if (stream && !tool.stream) {
                    throw new ToolException(
                            ToolException.Kind.NOT_FOUND, "tool \"" + name + "\" does not support stream = true");
                }
                return tool;
            }
        }
        throw new ToolException(ToolException.Kind.NOT_FOUND, "unknown tool \"" + name + "\"");
    }

    private ObjectNode invoke(Tool tool, ToolRequest request, Subprocess.Chunks chunks) {
        ObjectNode params = params(request);
        ToolIo io = io(tool, request);
        try {
            return tool.invoke(new Tool.Call(params, () -> io, chunks));
        } catch (Confinement.Denied e) {
            return Tool.error(e.getMessage());
        }
    }

    /** Only the headers set the working directory, the runtime and the response type. */
    private static ObjectNode params(ToolRequest request) {
        ObjectNode params = request.params().deepCopy();
        params.remove(List.of("cwd", "runtime", "resp_type"));
        if (!request.cwd().isEmpty()) {
            params.put("cwd", request.cwd());
        }
        if (!request.runtime().isEmpty()) {
            params.put("runtime", request.runtime());
        }
        if (!request.respType().isEmpty()) {
            params.put("resp_type", request.respType());
        }
        return params;
    }

    /** The IO of a built-in tool's call, set up before it runs so a bad runtime or cwd fails the request. */
    private ToolIo io(Tool tool, ToolRequest request) {
        if (tool instanceof McpTool) {
            return null;
        }
        try {
            return runtimes.forCall(request.runtime(), request.cwd());
        } catch (Confinement.Denied e) {
            throw new ToolException(ToolException.Kind.FORBIDDEN, e.getMessage());
        }
    }

    private void report(Tool tool, String outcome, String detail, long start) {
        try {
            listener.onCall(
                    new ToolCall(tool.name, tool.type(), outcome, detail, Duration.ofNanos(System.nanoTime() - start)));
        } catch (RuntimeException e) {
            log.warn("tool listener failed", e);
        }
    }

    @Override
    public void close() {
        mcp.close();
        Subprocess.killAll();
        if (runtimes != null) {
            runtimes.close();
        }
    }
}
