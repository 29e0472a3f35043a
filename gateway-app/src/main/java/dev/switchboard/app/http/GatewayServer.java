package dev.switchboard.app.http;

import dev.switchboard.app.ServerSettings;
import dev.switchboard.app.activity.ActivityLog;
import dev.switchboard.app.activity.ActivitySettings;
import dev.switchboard.app.activity.ModelTimeline;
import dev.switchboard.app.http.chat.ConversationRoutes;
import dev.switchboard.app.http.internal.EventStreams;
import dev.switchboard.app.http.internal.Json;
import dev.switchboard.app.http.internal.WebUiFiles;
import dev.switchboard.app.http.llamaswap.LlamaSwapRoutes;
import dev.switchboard.app.http.metrics.GatewayMetrics;
import dev.switchboard.app.http.ollama.OllamaRoutes;
import dev.switchboard.app.stream.StreamSessions;
import dev.switchboard.core.Gateway;
import dev.switchboard.tools.Tools;
import dev.switchboard.tools.ToolsConfig;
import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.config.JavalinConfig;
import io.javalin.http.HttpStatus;
import io.javalin.json.JavalinJackson;
import io.javalin.util.JavalinException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
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
    /** llama.cpp's router pauses this long per load and per proxied request under its timing knob. */
    private static final Duration FAKE_DELAY = Duration.ofSeconds(2);

    private final Javalin app;
    private final int port;
    private final GatewayMetrics metrics;
    private final ModelTimeline timeline;
    private final EventStreams streams;
    private final Tools tools;
    private final AtomicBoolean stopped = new AtomicBoolean();

    private GatewayServer(
            Javalin app, GatewayMetrics metrics, ModelTimeline timeline, EventStreams streams, Tools tools) {
        this.app = app;
        this.port = app.port();
        this.metrics = metrics;
        this.timeline = timeline;
        this.streams = streams;
        this.tools = tools;
    }

    /**
     * Binds {@code settings.host():settings.port()} and starts serving {@code gateway}.
     *
     * @throws io.javalin.util.JavalinBindException when the port cannot be bound
     */
    public static GatewayServer start(Gateway gateway, ServerSettings settings) {
        return start(gateway, settings, ActivitySettings.defaults(), noTools(), null);
    }

    /** The same, keeping the last requests as {@code activity} says. */
    public static GatewayServer start(Gateway gateway, ServerSettings settings, ActivitySettings activitySettings) {
        return start(gateway, settings, activitySettings, noTools(), null);
    }

    /** The same, serving {@code tools} at {@code /tools}. */
    public static GatewayServer start(Gateway gateway, ServerSettings settings, Tools tools) {
        return start(gateway, settings, ActivitySettings.defaults(), tools, null);
    }

    /**
     * Binds {@code settings.host():settings.port()} and starts serving {@code gateway}, keeping the
     * last requests as {@code activity} says, serving {@code tools} at {@code /tools} (the server
     * closes them when it stops, before requests drain, so no tool call holds the drain up), with
     * {@code POST /api/config/reload} calling {@code reload}.
     *
     * @param reload re-reads the configuration file and applies it (throwing {@link
     *     dev.switchboard.app.config.ConfigException} for a bad one); null without a file
     * @throws io.javalin.util.JavalinBindException when the port cannot be bound
     */
    public static GatewayServer start(
            Gateway gateway,
            ServerSettings settings,
            ActivitySettings activitySettings,
            Tools tools,
            Supplier<Gateway.ModelChanges> reload) {
        ActivityLog activity = new ActivityLog(activitySettings);
        ModelTimeline timeline = new ModelTimeline(gateway);
        GatewayMetrics metrics = new GatewayMetrics(gateway, activity);
        EventStreams streams = new EventStreams(HEARTBEAT);
        StreamSessions sessions = StreamSessions.withDefaults();
        ModelProxy proxy = new ModelProxy(
                gateway,
                settings.maxBodyBytes(),
                activity,
                settings.debugFakeTiming() ? FAKE_DELAY : Duration.ZERO,
                sessions);
        Javalin app = Javalin.create(config -> {
            configure(config, settings);
            config.routes.before(new CorsCheck(settings.cors()));
            config.routes.before(new ApiKeyCheck(settings.allKeys()));
            config.routes.before(new QueryStringCheck());
            ApiErrors.register(config.routes);
            OpenAiRoutes.register(config.routes, gateway, proxy);
            ConversationRoutes.register(config.routes, gateway, proxy);
            OllamaRoutes.register(config.routes, gateway, proxy);
            LlamaSwapRoutes.register(config.routes, gateway, proxy);
            RouterRoutes.register(config.routes, gateway, proxy, settings.maxBodyBytes(), streams);
            AdminRoutes.register(config.routes, gateway, proxy, streams, metrics, activity, timeline);
            StreamRoutes.register(config.routes, gateway, sessions, settings.maxBodyBytes());
            ConfigRoutes.register(config.routes, reload);
            ToolRoutes.register(config.routes, tools, settings.maxBodyBytes());
            if (settings.webUi()) {
                WebUiFiles ui = new WebUiFiles("/ui");
                config.routes.get("/ui", ui); // and /ui/: Javalin ignores a trailing slash
                config.routes.get("/ui/{file}", ui);
                config.routes.get("/", ctx -> ctx.redirect("/ui/", HttpStatus.FOUND));
            }
        });
        try {
            app.start(settings.host(), settings.port());
        } catch (RuntimeException e) {
            metrics.close();
            timeline.close();
            tools.close();
            throw e;
        }
        log.info("listening on http://{}:{}/", settings.host(), app.port());
        Json.initializeInBackground();
        return new GatewayServer(app, metrics, timeline, streams, tools);
    }

    private static Tools noTools() {
        return Tools.start(ToolsConfig.disabled(), call -> {});
    }

    private static void configure(JavalinConfig config, ServerSettings settings) {
        config.concurrency.useVirtualThreads = true;
        config.startup.showJavalinBanner = false;
        // compression would hold back streamed events until a compressor block fills
        config.http.compressionStrategy = CompressionStrategy.NONE;
        config.http.maxRequestSize = settings.maxBodyBytes();
        config.jsonMapper(new JavalinJackson(Json.MAPPER, true));
        // counts in-flight requests, so that stop() can let them finish
        config.jetty.modifyServer(server -> {
            server.setHandler(new GracefulHandler());
            server.setErrorHandler(new JettyErrors());
        });
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
            timeline.close();
        }
        log.info("stopped");
    }
}
