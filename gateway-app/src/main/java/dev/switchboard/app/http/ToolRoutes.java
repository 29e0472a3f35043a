package dev.switchboard.app.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.app.http.internal.BoundedBody;
import dev.switchboard.app.http.internal.Json;
import dev.switchboard.core.GatewayException;
import dev.switchboard.tools.ToolException;
import dev.switchboard.tools.ToolRequest;
import dev.switchboard.tools.Tools;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * llama-server's {@code /tools}: {@code GET} lists the tools, {@code POST {"tool", "params",
 * "stream"}} calls one, with the {@code x-tool-cwd}, {@code x-tool-runtime} and {@code
 * x-resp-type} headers. A streamed call answers server-sent events {@code data: {"chunk": TEXT}}
 * and a last {@code data: {"done": true}} (with {@code "error"} when it failed). When nothing is
 * configured both answer 403 {@code feature_disabled}, as llama-server does.
 *
 * <p>These routes run tools on the gateway's host: a deployment that hands out several API keys
 * should let only some of them reach {@link #PATHS} (the scoped keys' route class for admin-like
 * routes is the place to name them).
 */
final class ToolRoutes {
    /** The paths these routes serve, for a route-class check (scoped API keys). */
    static final List<String> PATHS = List.of("/tools");

    private final Tools tools;
    private final long maxBodyBytes;

    private ToolRoutes(Tools tools, long maxBodyBytes) {
        this.tools = tools;
        this.maxBodyBytes = maxBodyBytes;
    }

    static void register(RoutesConfig routes, Tools tools, long maxBodyBytes) {
        ToolRoutes r = new ToolRoutes(tools, maxBodyBytes);
        routes.get("/tools", r::list);
        routes.post("/tools", r::call);
    }

    private void requireOn() {
        if (!tools.isOn()) {
            throw new GatewayException(403, "feature_disabled", "this feature is disabled");
        }
    }

    private void list(Context ctx) {
        requireOn();
        ctx.json(tools.list());
    }

    private void call(Context ctx) throws IOException {
        requireOn();
        JsonNode body = Json.readBody(BoundedBody.read(ctx.req(), maxBodyBytes));
        JsonNode tool = body.get("tool");
        if (tool == null || !tool.isTextual()) {
            throw GatewayException.invalidRequest("'tool' must name a tool");
        }
        JsonNode params = body.path("params");
        if (!params.isMissingNode() && !params.isNull() && !params.isObject()) {
            throw GatewayException.invalidRequest("'params' must be an object");
        }
        ToolRequest request = new ToolRequest(
                tool.asText(),
                params.isObject() ? (ObjectNode) params : Json.MAPPER.createObjectNode(),
                ctx.header("x-tool-cwd"),
                ctx.header("x-tool-runtime"),
                ctx.header("x-resp-type"));
        try {
            if (body.path("stream").asBoolean(false)) {
                stream(ctx, request);
            } else {
                ctx.json(tools.call(request));
            }
        } catch (ToolException e) {
            throw new GatewayException(e.kind().status(), type(e.kind()), e.getMessage());
        }
    }

    private void stream(Context ctx, ToolRequest request) {
        OutputStream[] out = new OutputStream[1];
        tools.stream(request, new Tools.StreamSink() {
            @Override
            public boolean chunk(String text) {
                return send(ctx, out, Map.of("chunk", text));
            }

            @Override
            public void done(String error) {
                send(ctx, out, error.isEmpty() ? Map.of("done", true) : Map.of("done", true, "error", error));
            }
        });
    }

    /** Writes one event, starting the event stream on the first; false once the client is gone. */
    private static boolean send(Context ctx, OutputStream[] out, Map<String, Object> event) {
        try {
            if (out[0] == null) {
                ctx.status(200).contentType("text/event-stream");
                ctx.res().setHeader("Cache-Control", "no-cache");
                out[0] = ctx.res().getOutputStream();
            }
            out[0].write(("data: " + Json.write(event) + "\n\n").getBytes(StandardCharsets.UTF_8));
            out[0].flush();
            return true;
        } catch (IOException | UncheckedIOException e) {
            return false;
        }
    }

    private static String type(ToolException.Kind kind) {
        return switch (kind) {
            case BAD_REQUEST, NOT_FOUND -> "invalid_request_error";
            case FORBIDDEN -> "permission_error";
            case FAILED -> "server_error";
        };
    }
}
