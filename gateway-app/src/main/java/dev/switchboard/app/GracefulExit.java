package dev.switchboard.app;

import dev.switchboard.app.http.GatewayServer;
import dev.switchboard.core.Gateway;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shutdown hook of a serving gateway: lets in-flight requests drain, stops the HTTP server,
 * stops every engine, then ends the JVM with status 0. A JVM stopped by SIGTERM or Ctrl-C exits
 * with 128 + the signal number even when its hooks succeed; for a server, being told to stop and
 * stopping cleanly is a success, so the hook halts with 0 once everything is down (1 if a step
 * failed).
 */
final class GracefulExit implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(GracefulExit.class);

    private final GatewayServer server;
    private final Gateway gateway;
    private final Duration drain;
    private final CountDownLatch stopped = new CountDownLatch(1);

    GracefulExit(GatewayServer server, Gateway gateway, Duration drain) {
        this.server = server;
        this.gateway = gateway;
        this.drain = drain;
    }

    @Override
    public void run() {
        log.info("stopping: draining requests for up to {}s", drain.toSeconds());
        boolean clean = step("stop the HTTP server", () -> server.stop(drain));
        clean &= step("stop the engines", gateway::close);
        log.info(clean ? "stopped" : "stopped with errors");
        stopped.countDown();
        System.out.flush();
        System.err.flush();
        Runtime.getRuntime().halt(clean ? 0 : 1);
    }

    /** The port the server listens on. */
    int port() {
        return server.port();
    }

    /** Blocks the calling thread until the hook has run (the JVM ends right after). */
    void awaitShutdown() throws InterruptedException {
        stopped.await();
    }

    private static boolean step(String what, Runnable action) {
        try {
            action.run();
            return true;
        } catch (RuntimeException e) {
            log.error("could not {}: {}", what, e.toString());
            return false;
        }
    }
}
