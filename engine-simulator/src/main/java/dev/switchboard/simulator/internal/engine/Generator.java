package dev.switchboard.simulator.internal.engine;

import dev.switchboard.simulator.internal.cli.Faults;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Emits tokens at the simulated speed, and crashes the process once it has generated as many tokens as
 * {@code --sim-crash-after-tokens} allows, or halfway through an answer as often as {@code --sim-crash-percent}
 * says.
 */
public final class Generator {

    private final Duration perToken;
    private final OptionalInt crashAfterTokens;
    private final int crashPercent;
    private final Lifecycle lifecycle;
    private final AtomicInteger generated = new AtomicInteger();

    /**
     * @param tokensPerSecond 0 for no delay at all
     * @param crashPercent the chance, in percent, that the process exits halfway through an answer
     */
    public Generator(int tokensPerSecond, OptionalInt crashAfterTokens, int crashPercent, Lifecycle lifecycle) {
        this.crashPercent = crashPercent;
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
        int crashAt = Faults.strikes(crashPercent) ? tokens.size() / 2 : -1;
        for (int i = 0; i < tokens.size(); i++) {
            if (i == crashAt) {
                Console.log("engine-simulator: simulated crash in the middle of an answer");
                lifecycle.exit(1);
            }
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
