package dev.switchboard.core.forward;

import java.net.http.HttpClient;
import java.util.concurrent.CompletableFuture;

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
        Thread.ofPlatform().daemon().name("http-client-build").start(() -> {
            try {
                client.complete(builder.build());
            } catch (RuntimeException | Error e) {
                client.completeExceptionally(e);
            }
        });
        return client;
    }
}
