package dev.switchboard.app.http;

import dev.switchboard.app.ServerSettings;
import dev.switchboard.app.http.internal.EventStreams;
import dev.switchboard.app.http.internal.Json;
import dev.switchboard.app.http.metrics.GatewayMetrics;
import dev.switchboard.core.Gateway;
import dev.switchboard.tools.Tools;
import dev.switchboard.tools.ToolsConfig;
import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.config.JavalinConfig;
import io.javalin.http.HttpStatus;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import io.javalin.util.JavalinException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's HTTP server: the OpenAI-compatible API, llama.cpp's router API, the admin API with
 * metrics, and the web UI at {@code /ui/}. Requests run on virtual threads; responses stream
 * uncompressed so every event reaches the client as the engine writes it.
 *
 * <pre>{@code
 * GatewayServer server = GatewayServer.start(gateway, ServerSettings.defaults());
 * ...
 * server.stop(Duration.ofSeconds(30));
 * gateway.close();
 * }</pre>
 *
 * The server does not own the gateway: stop the server first, then close the gateway.
 */
public final class GatewayServer {
    private static final Logger log = LoggerFactory.getLogger(GatewayServer.class);
    private static final Duration HEARTBEAT = Duration.ofSeconds(15);

    private final Javalin app;
    private final int port;
    private final GatewayMetrics metrics;
    private final EventStreams streams;
    private final Tools tools;
    private final AtomicBoolean stopped = new AtomicBoolean();

    private GatewayServer(Javalin app, GatewayMetrics metrics, EventStreams streams, Tools tools) {
        this.app = app;
        this.port = app.port();
        this.metrics = metrics;
        this.streams = streams;
        this.tools = tools;
    }

    /**
     * Binds {@code settings.host():settings.port()} and starts serving {@code gateway}.
     *
     * @throws io.javalin.util.JavalinBindException when the port cannot be bound
     */
    public static GatewayServer start(Gateway gateway, ServerSettings settings) {
        return start(gateway, settings, Tools.start(ToolsConfig.disabled(), call -> {}));
    }

    /**
     * Like {@link #start(Gateway, ServerSettings)}, serving {@code tools} at {@code /tools}; the
     * server closes them when it stops (before requests drain, so no tool call holds the drain up).
     */
    public static GatewayServer start(Gateway gateway, ServerSettings settings, Tools tools) {
        GatewayMetrics metrics = new GatewayMetrics(gateway);
        EventStreams streams = new EventStreams(HEARTBEAT);
        ModelProxy proxy = new ModelProxy(gateway, settings.maxBodyBytes(), metrics);
        Javalin app = Javalin.create(config -> {
            configure(config, settings);
            config.routes.before(new ApiKeyCheck(settings.apiKeys()));
            ApiErrors.register(config.routes);
            OpenAiRoutes.register(config.routes, gateway, proxy);
            RouterRoutes.register(config.routes, gateway, proxy, settings.maxBodyBytes(), streams);
            AdminRoutes.register(config.routes, gateway, proxy, streams, metrics);
            ToolRoutes.register(config.routes, tools, settings.maxBodyBytes());
            if (settings.webUi()) {
                config.staticFiles.add(files -> {
                    files.hostedPath = "/ui";
                    files.directory = "/ui";
                    files.location = Location.CLASSPATH;
                });
                config.routes.get("/", ctx -> ctx.redirect("/ui/", HttpStatus.FOUND));
            }
        });
        try {
            app.start(settings.host(), settings.port());
        } catch (RuntimeException e) {
            metrics.close();
            tools.close();
            throw e;
        }
        log.info("listening on http://{}:{}/", settings.host(), app.port());
        return new GatewayServer(app, metrics, streams, tools);
    }

    private static void configure(JavalinConfig config, ServerSettings settings) {
        config.concurrency.useVirtualThreads = true;
        config.startup.showJavalinBanner = false;
        // compression would hold back streamed events until a compressor block fills
        config.http.compressionStrategy = CompressionStrategy.NONE;
        config.http.maxRequestSize = settings.maxBodyBytes();
        config.jsonMapper(new JavalinJackson(Json.MAPPER, true));
        // counts in-flight requests, so that stop() can let them finish
        config.jetty.modifyServer(server -> server.setHandler(new GracefulHandler()));
    }

    /** The bound port (useful when the settings asked for port 0); still the same after {@link #stop}. */
    public int port() {
        return port;
    }

    /**
     * Stops taking new requests, lets in-flight ones finish for up to {@code drain} (event streams
     * end at once), then stops the server. Idempotent.
     */
    public void stop(Duration drain) {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        streams.closeAll();
        tools.close();
        Server jetty = app.jettyServer().server();
        jetty.setStopTimeout(Math.max(1, drain.toMillis()));
        try {
            app.stop();
        } catch (JavalinException e) {
            // Jetty stopped anyway; what timed out was waiting for the last requests
            log.warn("requests still running after {} were cut off: {}", drain, e.getMessage());
        } finally {
            metrics.close();
        }
        log.info("stopped");
    }
}
