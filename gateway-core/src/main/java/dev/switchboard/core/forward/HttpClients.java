package dev.switchboard.core.forward;

import java.net.http.HttpClient;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * JDK {@link HttpClient}s built on a platform thread of their own. Building the first one reads the
 * JDK's trust store from disk and parses it (a tenth of a second of CPU), which neither the
 * gateway's start nor a virtual thread should wait on, even for a client that only talks plain
 * HTTP to engines on loopback.
 */
public final class HttpClients {
    private HttpClients() {}

    /** Starts building {@code builder}'s client; the future completes with it, or with what failed. */
    public static CompletableFuture<HttpClient> buildInBackground(HttpClient.Builder builder) {
        CompletableFuture<HttpClient> client = new CompletableFuture<>();
        build(builder, client);
        return client;
    }

    /**
     * {@code builder}'s client, built (as {@link #buildInBackground} builds it) only when first asked
     * for: for a client most runs never use, such as a model hub's. Every call gives the same one.
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
