package dev.switchboard.simulator.internal.engine;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Emits tokens at the simulated speed, and crashes the process once it has generated as many tokens as
 * {@code --sim-crash-after-tokens} allows.
 */
public final class Generator {

    private final Duration perToken;
    private final OptionalInt crashAfterTokens;
    private final Lifecycle lifecycle;
    private final AtomicInteger generated = new AtomicInteger();

    /** @param tokensPerSecond 0 for no delay at all */
    public Generator(int tokensPerSecond, OptionalInt crashAfterTokens, Lifecycle lifecycle) {
        this.perToken = tokensPerSecond <= 0 ? Duration.ZERO : Duration.ofNanos(1_000_000_000L / tokensPerSecond);
        this.crashAfterTokens = crashAfterTokens;
        this.lifecycle = lifecycle;
    }

    /** The time one token takes. */
    public Duration perToken() {
        return perToken;
    }

    /** Hands each token to {@code sink} in turn, one token's time apart. */
    public void generate(List<String> tokens, TokenSink sink) throws IOException {
        for (int i = 0; i < tokens.size(); i++) {
            pause(1);
            sink.accept(i, tokens.get(i));
            int total = generated.incrementAndGet();
            if (crashAfterTokens.isPresent() && total >= crashAfterTokens.getAsInt()) {
                Console.log("engine-simulator: simulated crash after " + total + " generated tokens");
                lifecycle.exit(1);
            }
        }
    }

    /** Waits as long as generating {@code tokens} tokens takes, without generating them. */
    public void pause(int tokens) {
        sleep(perToken.multipliedBy(tokens));
    }

    /** Sleeps on the current (virtual) thread; an interrupt ends the sleep early and is kept. */
    public static void sleep(Duration duration) {
        if (duration.isZero()) {
            return;
        }
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Receives generated tokens. */
    @FunctionalInterface
    public interface TokenSink {

        TokenSink DISCARD = (index, token) -> {};

        void accept(int index, String token) throws IOException;
    }
}
