package dev.switchboard.app.http;

import dev.switchboard.app.http.internal.BoundedBody;
import dev.switchboard.app.http.internal.ClientWatch;
import dev.switchboard.app.http.internal.Json;
import dev.switchboard.app.http.internal.MultipartFields;
import dev.switchboard.app.http.internal.Responses;
import dev.switchboard.app.http.internal.ServletResponseSink;
import dev.switchboard.app.http.metrics.GatewayMetrics;
import dev.switchboard.core.Gateway;
import dev.switchboard.core.GatewayException;
import dev.switchboard.core.forward.ClientGoneException;
import dev.switchboard.core.forward.ProxyRequest;
import dev.switchboard.core.lifecycle.Lease;
import dev.switchboard.core.spi.ModelDescriptor;
import io.javalin.http.Context;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Relays one request to the engine of the model it names, the way llama.cpp's router does: the model
 * comes from the body's {@code model} (a form field for multipart uploads) or, for GET routes, from
 * {@code ?model=}; {@code ?autoload=false} refuses to load it implicitly. The request waits for its
 * model (cancelled if the client hangs up meanwhile), then the answer streams back as the engine
 * writes it.
 */
final class ModelProxy {
    private static final Logger log = LoggerFactory.getLogger(ModelProxy.class);
    /** nginx's "client closed request": what the metrics count when the client left before any answer. */
    private static final int CLIENT_GONE = 499;

    private final Gateway gateway;
    private final long maxBodyBytes;
    private final GatewayMetrics metrics;

    ModelProxy(Gateway gateway, long maxBodyBytes, GatewayMetrics metrics) {
        this.gateway = gateway;
        this.maxBodyBytes = maxBodyBytes;
        this.metrics = metrics;
    }

    /** For POST routes: the model is named in the body. */
    void forwardWithBody(Context ctx) throws IOException, InterruptedException {
        byte[] body = BoundedBody.read(ctx.req(), maxBodyBytes);
        forward(ctx, modelNamedIn(ctx.contentType(), body), body);
    }

    /** For GET routes scoped to one model with {@code ?model=}. */
    void forwardWithQuery(Context ctx) throws IOException, InterruptedException {
        forward(ctx, ctx.queryParam("model"), new byte[0]);
    }

    private void forward(Context ctx, String name, byte[] body) throws IOException, InterruptedException {
        if (name == null || name.isEmpty()) {
            throw GatewayException.invalidRequest("model name is missing from the request");
        }
        ModelDescriptor model = gateway.resolve(name);
        boolean autoload = autoload(ctx);
        if (!autoload && !gateway.status(model.id()).state().holdsEngine()) {
            throw GatewayException.invalidRequest("model is not loaded");
        }
        long started = System.nanoTime();
        ServletResponseSink sink = new ServletResponseSink(ctx.req(), ctx.res());
        int status = 500;
        try (Lease lease = awaitLease(ctx, model.id(), autoload)) {
            log.debug("{} {} -> model '{}' at {}", ctx.method(), ctx.path(), model.id(), lease.baseUri());
            gateway.forward(lease, request(ctx, body), sink);
            status = sink.status();
        } catch (GatewayException e) {
            status = e.status();
            throw e;
        } catch (CancellationException | ClientGoneException e) {
            status = sink.begun() ? sink.status() : CLIENT_GONE;
            log.debug("{} {}: the client went away", ctx.method(), ctx.path());
        } catch (IOException e) {
            status = sink.status();
            log.warn("model '{}': the engine broke off its answer: {}", model.id(), e.getMessage());
            Responses.abort(ctx.req(), e);
        } finally {
            metrics.recordRequest(model.id(), status, Duration.ofNanos(System.nanoTime() - started));
        }
    }

    /**
     * Waits for the model to be ready for this request, counted as waiting and watching for the
     * client to hang up meanwhile.
     *
     * @throws CancellationException when the client hung up while waiting
     */
    private Lease awaitLease(Context ctx, String model, boolean autoload) throws InterruptedException {
        CompletableFuture<Lease> pending = gateway.acquire(model, autoload);
        try {
            if (pending.isDone()) {
                return pending.get(); // the model was ready: the usual case
            }
            GatewayMetrics.Waiting waiting = metrics.waiting();
            ClientWatch watch = ClientWatch.start(ctx.req(), ctx.res(), () -> pending.cancel(false));
            try {
                return pending.get();
            } finally {
                watch.close();
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

    private static String modelNamedIn(String contentType, byte[] body) {
        if (MultipartFields.isMultipart(contentType)) {
            return MultipartFields.field(body, contentType, "model").orElse(null);
        }
        return Json.textField(body, "model");
    }

    /** {@code ?autoload=true|1} or anything else; without it, the scheduler's setting. */
    private boolean autoload(Context ctx) {
        String value = ctx.queryParam("autoload");
        if (value == null || value.isEmpty()) {
            return gateway.scheduler().autoload();
        }
        return value.equals("true") || value.equals("1");
    }

    private static ProxyRequest request(Context ctx, byte[] body) {
        HttpServletRequest req = ctx.req();
        String query = req.getQueryString();
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String name : Collections.list(req.getHeaderNames())) {
            headers.put(name, Collections.list(req.getHeaders(name)));
        }
        return new ProxyRequest(
                req.getMethod(), req.getRequestURI() + (query == null ? "" : "?" + query), headers, body);
    }
}
