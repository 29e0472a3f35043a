package dev.switchboard.core.forward;

import java.net.http.HttpClient;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import javax.net.ssl.SSLParameters;

/**
 * JDK {@link HttpClient}s built on a platform thread of their own, so that neither the gateway's
 * start nor a virtual thread waits on the class loading and the selector thread's start.
 */
public final class HttpClients {
    private HttpClients() {}

    /**
     * Starts building {@code builder}'s client, an HTTP/1.1 one (as an engine's or an upstream's) whose
     * TLS context is the JDK's default, created at its first TLS connection: building the JDK's
     * default context reads and parses its trust store, a tenth of a second of CPU at every start,
     * while engines on loopback talk plain HTTP. TLS connections use the default context's settings
     * (no HTTP/2: the parameters given do not name the protocols it needs). The future completes
     * with the client, or with what failed.
     */
    public static CompletableFuture<HttpClient> buildInBackground(HttpClient.Builder builder) {
        CompletableFuture<HttpClient> client = new CompletableFuture<>();
        build(
                builder.version(HttpClient.Version.HTTP_1_1)
                        .sslContext(new DefaultSslContextOnFirstUse())
                        .sslParameters(new SSLParameters()),
                client);
        return client;
    }

    /**
     * {@code builder}'s client as it is (HTTP/2 and the JDK's default TLS context where it names no
     * other), built on a platform thread only when first asked for: for a client most runs never
     * use, such as a model hub's. Every call gives the same one.
     */
    public static Supplier<HttpClient> buildOnFirstUse(HttpClient.Builder builder) {
        AtomicReference<CompletableFuture<HttpClient>> client = new AtomicReference<>();
        return () -> {
            CompletableFuture<HttpClient> built = client.get();
            if (built == null) {
                CompletableFuture<HttpClient> mine = new CompletableFuture<>();
                built = client.compareAndExchange(null, mine);
                if (built == null) {
                    built = mine;
                    build(builder, mine);
                }
            }
            return built.join();
        };
    }

    private static void build(HttpClient.Builder builder, CompletableFuture<HttpClient> client) {
        Thread.ofPlatform().daemon().name("http-client-build").start(() -> {
            try {
                client.complete(builder.build());
            } catch (RuntimeException | Error e) {
                client.completeExceptionally(e);
            }
        });
    }
}
