package dev.switchboard.app.http;

import dev.switchboard.app.activity.ActivityLog;
import dev.switchboard.app.http.internal.BoundedBody;
import dev.switchboard.app.http.internal.ClientWatch;
import dev.switchboard.app.http.internal.EngineNotFound;
import dev.switchboard.app.http.internal.Json;
import dev.switchboard.app.http.internal.MultipartUpload;
import dev.switchboard.app.http.internal.Responses;
import dev.switchboard.app.http.internal.ServletResponseSink;
import dev.switchboard.app.stream.SessionSink;
import dev.switchboard.app.stream.StreamSession;
import dev.switchboard.app.stream.StreamSessions;
import dev.switchboard.core.Gateway;
import dev.switchboard.core.GatewayException;
import dev.switchboard.core.forward.ClientGoneException;
import dev.switchboard.core.forward.ProxyRequest;
import dev.switchboard.core.forward.RequestBody;
import dev.switchboard.core.forward.ResponseSink;
import dev.switchboard.core.lifecycle.Lease;
import dev.switchboard.core.spi.ModelDescriptor;
import io.javalin.http.Context;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Relays one request to the engine of the model it names, the way llama.cpp's router does: the model
 * comes from the body's {@code model} (a form field for multipart uploads) or, for GET routes, from
 * {@code ?model=}; {@code ?autoload=false} refuses to load it implicitly. The request waits for its
 * model (cancelled if the client hangs up meanwhile), then the answer streams back as the engine
 * writes it. A multipart upload is read only up to its {@code model} field; the rest streams from the
 * client to the engine, never held whole (see {@link MultipartUpload}).
 */
public final class ModelProxy {
    private static final Logger log = LoggerFactory.getLogger(ModelProxy.class);
    /** nginx's "client closed request": what the metrics count when the client left before any answer. */
    private static final int CLIENT_GONE = 499;

    private static final String CONVERSATION_ID = "X-Conversation-Id";

    private final Gateway gateway;
    private final long maxBodyBytes;
    private final ActivityLog activity;
    private final Duration fakeDelay;
    private final StreamSessions sessions;

    /** @param fakeDelay {@link dev.switchboard.app.ServerSettings#debugFakeTiming()}'s pause, or zero */
    ModelProxy(Gateway gateway, long maxBodyBytes, ActivityLog activity, Duration fakeDelay, StreamSessions sessions) {
        this.gateway = gateway;
        this.maxBodyBytes = maxBodyBytes;
        this.activity = activity;
        this.fakeDelay = fakeDelay;
        this.sessions = sessions;
    }

    /** The test knob's pause (before a load starts, and once a request holds its model), no lock held. */
    void debugPause() throws InterruptedException {
        if (!fakeDelay.isZero()) {
            Thread.sleep(fakeDelay);
        }
    }

    /**
     * For POST routes: the model is named in the body. With {@code X-Conversation-Id} the answer is
     * kept in a stream session (see {@link StreamSessions}): the request no longer ends when its
     * client leaves, only when a stop arrives.
     */
    public void forwardWithBody(Context ctx) throws IOException, InterruptedException {
        String conversation = ctx.header(CONVERSATION_ID);
        if (conversation != null && conversation.isEmpty()) {
            conversation = null;
        }
        String contentType = ctx.contentType();
        if (MultipartUpload.isMultipart(contentType)) {
            try (MultipartUpload upload = MultipartUpload.read(
                    BoundedBody.stream(ctx.req(), maxBodyBytes), ctx.req().getContentLengthLong(), contentType)) {
                forward(ctx, upload.model().orElse(null), upload.body(), conversation);
            }
            return;
        }
        byte[] body = body(ctx);
        forward(ctx, Json.textField(body, "model"), RequestBody.of(body), conversation);
    }

    /** The request's body, refused with 413 past the configured limit. */
    public byte[] body(Context ctx) throws IOException {
        return BoundedBody.read(ctx.req(), maxBodyBytes);
    }

    /** For GET routes scoped to one model with {@code ?model=}. */
    void forwardWithQuery(Context ctx) throws IOException, InterruptedException {
        forward(ctx, ctx.queryParam("model"), RequestBody.EMPTY, null);
    }

    private void forward(Context ctx, String name, RequestBody body, String conversation)
            throws IOException, InterruptedException {
        ProxyRequest request = request(ctx, ctx.req().getRequestURI(), body);
        serve(ctx, name, body, conversation, (lease, sink) -> {
            EngineNotFound checked = new EngineNotFound(sink, lease.model().id(), ctx.method() + " " + ctx.path());
            gateway.forward(lease, request, checked);
            checked.finish();
        });
    }

    /**
     * Serves a request for the model named {@code name} the way every proxied request is served: it
     * waits for the model in the same queue (cancelled if the client hangs up), holds a lease while
     * {@code exchange} talks to the engine, goes through the model's circuit breaker when {@code
     * exchange} uses {@link Gateway#forward}, and is traced in the activity log (and so the metrics)
     * with the status the sink relayed.
     *
     * @param body the client's request, kept in the activity log when capture is on
     */
    public void serve(Context ctx, String name, byte[] body, Exchange exchange)
            throws IOException, InterruptedException {
        serve(ctx, name, RequestBody.of(body), null, exchange);
    }

    private void serve(Context ctx, String name, RequestBody body, String conversation, Exchange exchange)
            throws IOException, InterruptedException {
        if (name == null || name.isEmpty()) {
            throw GatewayException.invalidRequest("model name is missing from the request");
        }
        // a streamed upload is not captured; nor is its client watched while it waits, as the watch
        // reads the connection, where the rest of the upload still is
        byte[] captured = body instanceof RequestBody.Bytes bytes ? bytes.bytes() : null;
        boolean watchClient = conversation == null && captured != null;
        ActivityLog.Trace trace = activity.begin(name, ctx.endpoint().path, captured == null ? new byte[0] : captured);
        ServletResponseSink sink = new ServletResponseSink(ctx.req(), ctx.res());
        int status = 500;
        // registered before the wait, so that a stop during the model's load cancels this request
        AtomicReference<CompletableFuture<Lease>> waiting = new AtomicReference<>();
        long ticket = 0;
        String modelId = name;
        try {
            ModelDescriptor model = gateway.resolve(name);
            modelId = model.id();
            trace.model(model.id());
            ApiKeyCheck.requireModel(ctx, model.id());
            boolean autoload = autoload(ctx);
            if (!autoload && !gateway.status(model.id()).state().holdsEngine()) {
                throw GatewayException.invalidRequest("model is not loaded");
            }
            if (conversation != null) {
                ticket = sessions.remember(
                        conversation,
                        model.id(),
                        () -> Optional.ofNullable(waiting.get()).ifPresent(pending -> pending.cancel(false)));
            }
            if (autoload && !gateway.status(model.id()).state().holdsEngine() && !fakeDelay.isZero()) {
                pauseBeforeLoad(ctx, watchClient);
            }
            CompletableFuture<Lease> pending = gateway.acquire(model.id(), autoload);
            waiting.set(pending);
            if (conversation != null && !sessions.alive(conversation, ticket)) {
                pending.cancel(false); // stopped before the wait began
            }
            try (Lease lease = awaitLease(ctx, trace, pending, model.id(), watchClient)) {
                // the test knob's pause once the request holds its model, so the model counts as busy
                debugPause();
                log.debug("{} {} -> model '{}' at {}", ctx.method(), ctx.path(), model.id(), lease.baseUri());
                ResponseSink traced = trace.watch(sink);
                if (conversation == null) {
                    exchange.run(lease, traced);
                } else {
                    runInSession(lease, exchange, traced, conversation, ticket);
                }
                status = sink.status();
                finish(sink);
            }
        } catch (GatewayException e) {
            status = e.status();
            throw e;
        } catch (CancellationException | ClientGoneException e) {
            if (conversation != null && !sink.begun() && !sessions.alive(conversation, ticket)) {
                status = 400;
                throw cancelledByStop();
            }
            status = sink.begun() ? sink.status() : CLIENT_GONE;
            log.debug("{} {}: the client went away", ctx.method(), ctx.path());
        } catch (IOException e) {
            status = sink.status();
            log.warn("model '{}': the engine broke off its answer: {}", modelId, e.getMessage());
            if (!endStreamWithError(ctx, sink, modelId)) {
                Responses.abort(ctx.req(), e);
            }
        } finally {
            trace.finish(status);
        }
    }

    /**
     * The test knob's pause before a load, watching the client as a queued request does: one that
     * hangs up meanwhile is not served (llama.cpp pauses after its queue, where a client that left
     * has dropped out already).
     *
     * @throws CancellationException when the client hung up during the pause
     */
    private void pauseBeforeLoad(Context ctx, boolean watchClient) throws InterruptedException {
        if (!watchClient) {
            debugPause();
            return;
        }
        CountDownLatch gone = new CountDownLatch(1);
        ClientWatch watch = ClientWatch.start(ctx.req(), ctx.res(), gone::countDown);
        try {
            if (gone.await(fakeDelay.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new CancellationException("the client hung up");
            }
        } finally {
            watch.close();
        }
    }

    /** Relays the answer into the conversation's stream session as well as to the client. */
    private void runInSession(Lease lease, Exchange exchange, ResponseSink sink, String conversation, long ticket)
            throws IOException, InterruptedException {
        StreamSession session = sessions.begin(conversation, ticket);
        if (session == null) {
            throw cancelledByStop();
        }
        SessionSink tee = new SessionSink(sink, session);
        try {
            exchange.run(lease, tee);
        } finally {
            if (tee.eventStream()) {
                sessions.finish(session);
            } else {
                sessions.discard(session); // nothing to resume in a plain answer
            }
        }
    }

    /** Ends the client's body; a client that left meanwhile is no error. */
    private static void finish(ServletResponseSink sink) {
        try {
            sink.finish();
        } catch (IOException e) {
            log.debug("the client left before the end of its answer: {}", e.getMessage());
        }
    }

    private static GatewayException cancelledByStop() {
        return GatewayException.invalidRequest("request cancelled by a stop while the model was loading");
    }

    /**
     * Ends an event stream whose engine died with a last {@code error} event in the OpenAI shape, so
     * the client sees why the answer stops rather than a cut connection; other answers cannot carry
     * an error after their start and are cut.
     *
     * @return whether the stream was ended so
     */
    private static boolean endStreamWithError(Context ctx, ServletResponseSink sink, String model) {
        String type = ctx.res().getContentType();
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("text/event-stream")) {
            return false;
        }
        ApiErrors.Body error = ApiErrors.body(
                502, "model '" + model + "': the engine stopped in the middle of its answer; retry the request");
        // the blank line first ends whatever event the engine left unfinished
        String event = "\n\nevent: error\ndata: " + Json.write(error) + "\n\n";
        try {
            // through the sink: a stream goes out in whole chunks, which the event and the end join
            OutputStream out = sink.body();
            out.write(event.getBytes(StandardCharsets.UTF_8));
            out.flush();
            sink.finish();
            return true;
        } catch (IOException gone) {
            return false; // the client left too
        }
    }

    /**
     * Waits for the model to be ready for this request, counted as waiting and watching for the
     * client to hang up meanwhile.
     *
     * @throws CancellationException when the client hung up (or a stop came) while waiting
     */
    private Lease awaitLease(
            Context ctx, ActivityLog.Trace trace, CompletableFuture<Lease> pending, String model, boolean watchClient)
            throws InterruptedException {
        try {
            if (pending.isDone()) {
                return pending.get(); // the model was ready: the usual case
            }
            ActivityLog.Waiting waiting = trace.waiting();
            ClientWatch watch =
                    watchClient ? ClientWatch.start(ctx.req(), ctx.res(), () -> pending.cancel(false)) : null;
            try {
                return pending.get();
            } finally {
                if (watch != null) {
                    watch.close();
                }
                waiting.close();
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GatewayException failure) {
                throw failure;
            }
            throw new IllegalStateException("acquiring model '" + model + "' failed", e.getCause());
        } catch (InterruptedException e) {
            pending.cancel(false);
            throw e;
        }
    }

    /** {@code ?autoload=true|1} or anything else; without it, the scheduler's setting. */
    private boolean autoload(Context ctx) {
        String value = ctx.queryParam("autoload");
        if (value == null || value.isEmpty()) {
            return gateway.scheduler().autoload();
        }
        return value.equals("true") || value.equals("1");
    }

    /**
     * The client's request with its headers, sent to {@code path} of the engine with {@code body}
     * (the client's query string kept).
     */
    public static ProxyRequest request(Context ctx, String path, byte[] body) {
        return request(ctx, path, RequestBody.of(body));
    }

    private static ProxyRequest request(Context ctx, String path, RequestBody body) {
        HttpServletRequest req = ctx.req();
        String query = req.getQueryString();
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String name : Collections.list(req.getHeaderNames())) {
            headers.put(name, Collections.list(req.getHeaders(name)));
        }
        return new ProxyRequest(req.getMethod(), path + (query == null ? "" : "?" + query), headers, body);
    }

    /** One request's talk with the engine of its leased model. */
    @FunctionalInterface
    public interface Exchange {

        /** Talks to the engine and relays an answer into {@code sink}. */
        void run(Lease lease, ResponseSink sink) throws IOException, InterruptedException;
    }
}
