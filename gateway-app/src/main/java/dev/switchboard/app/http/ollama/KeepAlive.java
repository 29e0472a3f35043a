package dev.switchboard.app.http.ollama;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.Gateway;
import dev.switchboard.core.GatewayException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ollama's per-request {@code keep_alive}: how long the model stays loaded after the request. A
 * duration ({@code "5m"}, {@code "1h30m"}, {@code "300ms"}) or a number of seconds unloads the model
 * once it has been idle that long (a later request sets a new deadline); {@code 0} unloads it right
 * after the answer; a negative value keeps it loaded (only the gateway's own idle TTL and eviction
 * then apply). Without {@code keep_alive} the model's configured TTL applies as always.
 */
final class KeepAlive {
    private static final Logger log = LoggerFactory.getLogger(KeepAlive.class);
    private static final Pattern PART = Pattern.compile("(-?\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)");

    private final Gateway gateway;
    // a daemon: the timer never keeps the process alive, and its tasks only unload models
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("ollama-keep-alive").factory());
    private final Map<String, Deadline> deadlines = new ConcurrentHashMap<>();

    private record Deadline(Instant at, ScheduledFuture<?> task) {}

    KeepAlive(Gateway gateway) {
        this.gateway = gateway;
    }

    /**
     * Reads {@code keep_alive}.
     *
     * @return empty when absent; a negative duration for "forever"
     * @throws GatewayException 400 when it is neither a number nor a duration
     */
    static Optional<Duration> parse(JsonNode value) {
        if (value == null || value.isMissingNode() || value.isNull()) {
            return Optional.empty();
        }
        if (value.isNumber()) {
            return Optional.of(Duration.ofMillis((long) (value.asDouble() * 1000)));
        }
        String text = value.asText().strip();
        if (text.matches("-?\\d+(\\.\\d+)?")) {
            return Optional.of(Duration.ofMillis((long) (Double.parseDouble(text) * 1000)));
        }
        Matcher m = PART.matcher(text);
        Duration total = Duration.ZERO;
        int end = 0;
        while (m.find() && m.start() == end) {
            double amount = Double.parseDouble(m.group(1));
            long nanos = (long) (amount
                    * switch (m.group(2)) {
                        case "ns" -> 1L;
                        case "us", "µs" -> 1_000L;
                        case "ms" -> 1_000_000L;
                        case "s" -> 1_000_000_000L;
                        case "m" -> 60_000_000_000L;
                        default -> 3_600_000_000_000L;
                    });
            total = total.plusNanos(nanos);
            end = m.end();
        }
        if (end == 0 || end != text.length()) {
            throw new GatewayException(400, "invalid_request_error", "invalid keep_alive value: " + value);
        }
        return Optional.of(total);
    }

    /** Applies a request's keep-alive to its model, once the request is answered. */
    void apply(String model, Optional<Duration> keepAlive) {
        if (keepAlive.isEmpty()) {
            return;
        }
        Duration duration = keepAlive.get();
        Deadline old = deadlines.remove(model);
        if (old != null) {
            old.task().cancel(false);
        }
        if (duration.isNegative()) {
            return;
        }
        if (duration.isZero()) {
            unload(model);
            return;
        }
        ScheduledFuture<?> task = timer.schedule(() -> expire(model), duration.toMillis(), TimeUnit.MILLISECONDS);
        deadlines.put(model, new Deadline(Instant.now().plus(duration), task));
    }

    /** When the model unloads by its keep-alive, if a request set one. */
    Optional<Instant> expiresAt(String model) {
        return Optional.ofNullable(deadlines.get(model)).map(Deadline::at);
    }

    private void expire(String model) {
        deadlines.remove(model);
        if (gateway.status(model).inFlight() > 0) {
            return; // a request is running: the deadline it brings (or the model's TTL) decides
        }
        unload(model);
    }

    private void unload(String model) {
        if (!gateway.status(model).state().holdsEngine()) {
            return;
        }
        gateway.unload(model).exceptionally(error -> {
            log.warn("keep_alive: unloading model '{}' failed: {}", model, error.getMessage());
            return null;
        });
    }
}
