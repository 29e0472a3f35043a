package dev.switchboard.app;

import dev.switchboard.app.cli.Cli;
import dev.switchboard.app.cli.Invocation;
import dev.switchboard.app.cli.ServeOptions;
import dev.switchboard.app.config.AppConfig;
import dev.switchboard.app.config.ConfigException;
import dev.switchboard.app.config.ConfigLoader;
import dev.switchboard.app.http.GatewayServer;
import dev.switchboard.core.Gateway;
import dev.switchboard.core.event.GatewayEvent;
import dev.switchboard.tools.Tools;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * The {@code switchboard} command. It reads the command line and the configuration, starts the
 * gateway and its HTTP server, logs {@code listening on http://HOST:PORT} and serves until SIGTERM
 * or Ctrl-C; then requests drain (up to 10 s), every engine stops and the process exits 0. A usage
 * or configuration error, or a gateway that cannot start (a backend type with no jar, a port in
 * use), prints one message on stderr and exits 2 without a stack trace and without leaving
 * anything running. {@code switchboard convert FILE} prints a llama-swap file as Switchboard YAML.
 */
public final class Main {
    private static final Logger log = LoggerFactory.getLogger(Main.class);
    private static final Duration DRAIN = Duration.ofSeconds(10);

    private final Map<String, String> env;
    private final PrintStream out;
    private final PrintStream err;

    Main(Map<String, String> env, PrintStream out, PrintStream err) {
        this.env = env;
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        System.exit(new Main(System.getenv(), System.out, System.err).run(args));
    }

    /** Runs one command line and returns its exit status; serving returns only at shutdown. */
    int run(String[] args) {
        return switch (Cli.parse(args, env)) {
            case Invocation.Exit exit -> {
                (exit.isError() ? err : out).print(exit.text());
                yield exit.status();
            }
            case Invocation.Convert convert -> convert(convert.file());
            case Invocation.Serve serve -> serve(serve.options());
        };
    }

    private int convert(Path file) {
        try {
            AppConfig config = ConfigLoader.keepingEnvironmentReferences().loadLlamaSwap(file);
            config.warnings().forEach(err::println);
            out.print(config.toYaml());
            return 0;
        } catch (ConfigException e) {
            err.println(e.getMessage());
            return Cli.USAGE_ERROR;
        }
    }

    private int serve(ServeOptions options) {
        GracefulExit exit;
        try {
            AppConfig config = configure(options);
            exit = start(config, options.config());
        } catch (ConfigException e) {
            err.println(e.getMessage());
            return Cli.USAGE_ERROR;
        } catch (RuntimeException e) {
            log.debug("start-up failed", e);
            err.println("switchboard: " + (e.getMessage() != null ? e.getMessage() : e.toString()));
            return Cli.USAGE_ERROR;
        }
        if (TrainingRun.requested()) {
            TrainingRun.exercise(exit.port());
            exit.run(); // stops and exits, writing the cache
        }
        try {
            exit.awaitShutdown();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    private AppConfig configure(ServeOptions options) {
        AppConfig config = configured(options);
        boolean fakeTiming =
                !env.getOrDefault("LLAMA_SERVER_DEBUG_FAKE_TIMING", "").isEmpty();
        return config.withServer(config.server().withDebugFakeTiming(fakeTiming));
    }

    private AppConfig configured(ServeOptions options) {
        if (options.demo()) {
            return options.applyTo(Demo.config(env));
        }
        if (options.config() != null) {
            return options.applyTo(ConfigLoader.withEnvironment(env).load(options.config()));
        }
        return options.routerConfig();
    }

    /** @param file the configuration file, reloaded on SIGHUP; null without one */
    private GracefulExit start(AppConfig config, Path file) {
        config.warnings().forEach(log::warn);
        AtomicInteger boundPort = new AtomicInteger();
        int configuredPort = config.server().port();
        Gateway gateway = Gateway.builder()
                .config(config.gateway())
                .gpus(config.gpus().inventory())
                // models loaded at start-up may launch before the server has bound its port
                .gatewayPort(() -> boundPort.get() != 0 ? boundPort.get() : configuredPort)
                .shutdownHook(false)
                .build();
        ConfigReload reload = file == null ? null : new ConfigReload(file, ConfigLoader.withEnvironment(env), gateway);
        GatewayServer server;
        try {
            // every tool call is an event on the gateway's bus, beside the models' own
            Tools tools = Tools.start(
                    config.tools(),
                    call -> gateway.publish(new GatewayEvent.ToolCalled(
                            "",
                            call.tool(),
                            call.type(),
                            call.outcome(),
                            call.detail(),
                            call.took().toMillis(),
                            Instant.now())));
            server = GatewayServer.start(
                    gateway, config.server(), config.activity(), tools, reload == null ? null : reload::reload);
        } catch (RuntimeException e) {
            gateway.close();
            throw e;
        }
        boundPort.set(server.port());
        // registered only now: a failed start must exit 2, which this hook would turn into 0
        GracefulExit exit = new GracefulExit(server, gateway, DRAIN);
        Runtime.getRuntime().addShutdownHook(new Thread(exit, "switchboard-shutdown"));
        if (reload != null) {
            reloadOnHangup(reload);
        }
        log.info("listening on {}", url(config.server().host(), server.port()));
        return exit;
    }

    /** {@code kill -HUP PID} re-reads the configuration file, as daemons do. */
    private static void reloadOnHangup(ConfigReload reload) {
        SignalHandler before = Signal.handle(
                new Signal("HUP"),
                signal -> Thread.ofPlatform().name("config-reload").start(() -> {
                    try {
                        reload.reload();
                    } catch (ConfigException e) {
                        // logged as rejected; the configuration in force keeps serving
                    } catch (RuntimeException e) {
                        log.warn("configuration reload failed; the configuration in force keeps serving", e);
                    }
                }));
        if (before == SignalHandler.SIG_IGN) {
            // the JVM keeps a SIGHUP it was started with ignored: the handler above never runs
            log.warn("SIGHUP is ignored in this process (started under nohup?), so kill -HUP will not reload"
                    + " the configuration; POST /api/config/reload does");
        }
    }

    private static String url(String host, int port) {
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
