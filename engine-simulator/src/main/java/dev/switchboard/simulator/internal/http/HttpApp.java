package dev.switchboard.simulator.internal.http;

import com.sun.net.httpserver.HttpServer;
import dev.switchboard.simulator.internal.engine.Console;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** A listening HTTP server for one {@link Router}, each request on its own virtual thread. */
public final class HttpApp implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor;

    private HttpApp(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * Binds and starts serving.
     *
     * @param host the address to bind, or empty for every interface
     * @param port the port, 0 for any free one
     * @param headers headers every response carries, such as {@code Server}
     * @throws IOException when the address cannot be bound
     */
    public static HttpApp start(Optional<String> host, int port, Router router, Map<String, String> headers)
            throws IOException {
        InetSocketAddress address =
                host.map(name -> new InetSocketAddress(name, port)).orElseGet(() -> new InetSocketAddress(port));
        HttpServer server = HttpServer.create(address, 512);
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(executor);
        server.createContext("/", httpExchange -> {
            Exchange exchange = new Exchange(httpExchange);
            headers.forEach(exchange::responseHeader);
            try {
                router.dispatch(exchange);
            } catch (ApiError error) {
                exchange.json(error.status(), error.body());
            } catch (IOException e) {
                // the client went away; nothing is left to answer
            } catch (RuntimeException e) {
                // a simulator bug: say so on stderr rather than only hanging up
                Console.log("engine-simulator: " + exchange.method() + " " + exchange.path() + " failed: " + e);
                throw e;
            } finally {
                exchange.close();
            }
        });
        server.start();
        return new HttpApp(server, executor);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
