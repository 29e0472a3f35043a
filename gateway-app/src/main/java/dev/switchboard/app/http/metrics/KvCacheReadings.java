package dev.switchboard.app.http.metrics;

import dev.switchboard.core.forward.HttpClients;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * The KV-cache utilisation each ready engine reports on its own {@code /metrics}, read when the
 * gateway's metrics are scraped: all engines at once over HTTP, each bounded by a short time-out,
 * and kept for {@link #MAX_AGE} so that several scrapers in a row ask the engines once. An engine
 * that does not answer in time, or whose page has no such gauge, has no reading.
 */
final class KvCacheReadings implements AutoCloseable {
    static final Duration MAX_AGE = Duration.ofSeconds(1);
    static final Duration TIMEOUT = Duration.ofMillis(500);

    /**
     * The gauges engines report their KV-cache use in, each as a fraction of 1, by preference:
     * vLLM's (and its name before 0.10), SGLang's, and llama.cpp's (removed from llama-server in
     * 2025, still served by older builds started with {@code --metrics}).
     */
    static final List<String> GAUGES = List.of(
            "vllm:kv_cache_usage_perc",
            "vllm:gpu_cache_usage_perc",
            "sglang:token_usage",
            "llamacpp:kv_cache_usage_ratio");

    /**
     * A ready model's engine.
     *
     * @param headers what the engine expects on every request (its backend's API key)
     */
    record Engine(String model, URI uri, Map<String, String> headers) {}

    private final CompletableFuture<HttpClient> http =
            HttpClients.buildInBackground(HttpClient.newBuilder().connectTimeout(TIMEOUT));
    private final LongSupplier nanoTime;
    private final ReentrantLock lock = new ReentrantLock();
    private Map<String, Double> last = Map.of();
    private long readAt;
    private boolean read;

    KvCacheReadings(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /** The utilisation in [0, 1] of each engine that reports one, by model id. */
    Map<String, Double> read(List<Engine> engines) {
        lock.lock();
        try {
            if (read && nanoTime.getAsLong() - readAt < MAX_AGE.toNanos()) {
                return last;
            }
            Map<String, CompletableFuture<OptionalDouble>> pending = new HashMap<>();
            for (Engine engine : engines) {
                pending.put(engine.model(), fetch(engine));
            }
            Map<String, Double> readings = new HashMap<>();
            pending.forEach((model, reading) -> reading.join().ifPresent(value -> readings.put(model, value)));
            last = Map.copyOf(readings);
            readAt = nanoTime.getAsLong();
            read = true;
            return last;
        } finally {
            lock.unlock();
        }
    }

    private CompletableFuture<OptionalDouble> fetch(Engine engine) {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(engine.uri().resolve("/metrics")).timeout(TIMEOUT);
        engine.headers().forEach(request::header);
        return http.join()
                .sendAsync(request.build(), HttpResponse.BodyHandlers.ofString())
                .thenApply(response ->
                        response.statusCode() == 200 ? utilisation(response.body()) : OptionalDouble.empty())
                .exceptionally(error -> OptionalDouble.empty());
    }

    /**
     * The first of {@link #GAUGES} the page has, clamped to [0, 1]; with several series of it (one
     * per engine core or rank), the highest.
     */
    static OptionalDouble utilisation(String page) {
        for (String gauge : GAUGES) {
            OptionalDouble highest = page.lines()
                    .filter(line -> line.startsWith(gauge + "{") || line.startsWith(gauge + " "))
                    .map(KvCacheReadings::sampleValue)
                    .filter(OptionalDouble::isPresent)
                    .mapToDouble(OptionalDouble::getAsDouble)
                    .max();
            if (highest.isPresent()) {
                return OptionalDouble.of(Math.clamp(highest.getAsDouble(), 0.0, 1.0));
            }
        }
        return OptionalDouble.empty();
    }

    /** The value of a sample line {@code name{labels} value [timestamp]}; label values may hold spaces. */
    private static OptionalDouble sampleValue(String line) {
        String rest =
                line.indexOf('{') >= 0 ? line.substring(line.lastIndexOf('}') + 1) : line.substring(line.indexOf(' '));
        try {
            double value = Double.parseDouble(rest.trim().split("\\s+")[0]);
            return Double.isNaN(value) ? OptionalDouble.empty() : OptionalDouble.of(value);
        } catch (NumberFormatException e) {
            return OptionalDouble.empty();
        }
    }

    @Override
    public void close() {
        http.thenAccept(HttpClient::close);
    }
}
