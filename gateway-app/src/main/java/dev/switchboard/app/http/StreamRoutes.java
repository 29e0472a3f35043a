package dev.switchboard.app.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.app.http.internal.BoundedBody;
import dev.switchboard.app.http.internal.ChunkedBody;
import dev.switchboard.app.http.internal.Json;
import dev.switchboard.app.stream.StreamSession;
import dev.switchboard.app.stream.StreamSessions;
import dev.switchboard.core.Gateway;
import dev.switchboard.core.GatewayException;
import dev.switchboard.core.lifecycle.ModelState;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * llama.cpp's resumable stream routes, served by the gateway for every engine: {@code GET
 * /v1/stream?conv_id=ID&from=N} replays a session's bytes from offset N and follows it until it
 * ends, {@code DELETE /v1/stream?conv_id=ID} stops it (204, known or not), {@code POST
 * /v1/streams/lookup {"conversation_ids":[...]}} describes the sessions of the ids asked about. The
 * id travels in the query string since it may hold a model name with slashes.
 */
final class StreamRoutes {
    private final Gateway gateway;
    private final StreamSessions sessions;
    private final long maxBodyBytes;

    private StreamRoutes(Gateway gateway, StreamSessions sessions, long maxBodyBytes) {
        this.gateway = gateway;
        this.sessions = sessions;
        this.maxBodyBytes = maxBodyBytes;
    }

    static void register(RoutesConfig routes, Gateway gateway, StreamSessions sessions, long maxBodyBytes) {
        StreamRoutes stream = new StreamRoutes(gateway, sessions, maxBodyBytes);
        routes.get("/v1/stream", stream::resume);
        routes.delete("/v1/stream", stream::stop);
        routes.post("/v1/streams/lookup", stream::lookup);
    }

    private void resume(Context ctx) throws IOException, InterruptedException {
        String id = conversationId(ctx);
        Optional<StreamSession> found = sessions.get(id);
        if (found.isEmpty()) {
            boolean loading = sessions.modelOf(id)
                    .map(model -> gateway.status(model).state() == ModelState.STARTING)
                    .orElse(false);
            if (loading) {
                throw new GatewayException(503, "unavailable_error", "Stream owner model is loading, retry later");
            }
            throw new GatewayException(404, "not_found_error", "Stream not found or expired");
        }
        StreamSession session = found.get();
        long offset;
        try {
            String from = ctx.queryParam("from");
            offset = from == null || from.isEmpty() ? 0 : Long.parseLong(from);
            if (offset < 0) {
                throw new NumberFormatException();
            }
        } catch (NumberFormatException e) {
            throw GatewayException.invalidRequest("Invalid 'from' offset");
        }
        if (offset < session.droppedPrefix()) {
            throw GatewayException.invalidRequest("Stream offset lost, please restart");
        }
        ctx.status(HttpStatus.OK).contentType("text/event-stream");
        ctx.res().setHeader("Cache-Control", "no-cache");
        OutputStream out = ChunkedBody.open(ctx.res());
        while (true) {
            byte[] chunk = session.readFrom(offset, () -> false);
            if (chunk == null || chunk.length == 0) {
                break; // done, or the rest was dropped while this reader lagged
            }
            out.write(chunk);
            out.flush(); // a write to a client that left fails here and ends the replay
            offset += chunk.length;
        }
        out.close();
    }

    private void stop(Context ctx) {
        sessions.stop(conversationId(ctx));
        ctx.status(HttpStatus.NO_CONTENT);
    }

    private void lookup(Context ctx) throws IOException {
        JsonNode body = Json.readBody(BoundedBody.read(ctx.req(), maxBodyBytes));
        List<String> ids = new ArrayList<>();
        body.path("conversation_ids").forEach(id -> {
            if (id.isTextual() && !id.asText().isEmpty()) {
                ids.add(id.asText());
            }
        });
        List<Map<String, Object>> found = new ArrayList<>();
        for (StreamSession session : sessions.lookup(ids)) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("conversation_id", session.conversationId());
            entry.put("is_done", session.isDone());
            entry.put("total_bytes", session.totalBytes());
            entry.put("started_at", session.startedAtSeconds());
            entry.put("completed_at", session.completedAtSeconds());
            found.add(entry);
        }
        ctx.json(found);
    }

    private static String conversationId(Context ctx) {
        String id = ctx.queryParam("conv_id");
        if (id == null || id.isEmpty()) {
            throw GatewayException.invalidRequest("Missing conversation id in path");
        }
        return id;
    }
}
