package dev.switchboard.simulator.internal.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The simulation's own settings. Each {@code --sim-x-y} flag may also come from the environment as {@code SIM_X_Y};
 * the flag wins.
 *
 * @param load how long loading the model takes
 * @param tokensPerSecond generation speed per request; 0 generates instantly
 * @param crashAtStart exit with this status while loading, after printing an error line
 * @param crashAfterTokens exit (status 1) once the process has generated this many tokens
 * @param hang never finish loading
 * @param memoryMib GPU memory the model claims in total, split over its GPUs; overrides vLLM's and SGLang's fractions
 * @param protocol the llama.cpp router child protocol form
 * @param record the journal file
 * @param ledger the simulated-GPU ledger directory
 * @param wake how long waking from sleep (or resuming released memory) takes
 * @param sleep how long falling asleep (or releasing memory) takes
 * @param exit how long shutting down takes once the engine is to exit, however it was told (as a real engine takes
 *     to free its memory and join its threads): its {@code exit} journal line comes after it
 * @param faults faults that strike at random
 * @param withoutRoutes paths the engine does not serve, as an older release of it would not ({@code
 *     --sim-without-routes /v1/responses,/v1/messages})
 * @param kvCacheUsage the KV-cache utilisation in [0, 1] the engine's {@code /metrics} reports ({@code
 *     --sim-kv-cache-percent}, 0 by default)
 */
public record Knobs(
        Duration load,
        int tokensPerSecond,
        OptionalInt crashAtStart,
        OptionalInt crashAfterTokens,
        boolean hang,
        OptionalLong memoryMib,
        ProtocolForm protocol,
        Optional<Path> record,
        Optional<Path> ledger,
        Duration wake,
        Duration sleep,
        Duration exit,
        Faults faults,
        Set<String> withoutRoutes,
        double kvCacheUsage) {

    /** Knob flags that take no value. */
    public static final Set<String> SWITCHES = Set.of("--sim-hang");

    public static Knobs from(CommandLine line, Map<String, String> env) {
        Settings settings = new Settings(line, env);
        return new Knobs(
                Duration.ofMillis(settings.number("--sim-load-ms").orElse(200)),
                (int) settings.number("--sim-tokens-per-second").orElse(200),
                toInt(settings.number("--sim-crash-at-start")),
                toInt(settings.number("--sim-crash-after-tokens")),
                settings.text("--sim-hang").map(Knobs::isTrue).orElse(false),
                settings.number("--sim-memory-mb"),
                settings.text("--sim-protocol").map(ProtocolForm::parse).orElse(ProtocolForm.NEW),
                settings.text("--sim-record").map(Path::of),
                settings.text("--sim-ledger").map(Path::of),
                Duration.ofMillis(settings.number("--sim-wake-ms").orElse(100)),
                Duration.ofMillis(settings.number("--sim-sleep-ms").orElse(50)),
                Duration.ofMillis(settings.number("--sim-exit-ms").orElse(0)),
                new Faults(
                        percent(settings, "--sim-start-crash-percent"),
                        percent(settings, "--sim-hang-percent"),
                        percent(settings, "--sim-error-percent"),
                        percent(settings, "--sim-crash-percent")),
                settings.text("--sim-without-routes")
                        .map(list -> Set.of(list.split(",")))
                        .orElse(Set.of()),
                kvCachePercent(settings) / 100.0);
    }

    private static int kvCachePercent(Settings settings) {
        int percent = percent(settings, "--sim-kv-cache-percent");
        if (percent < 0 || percent > 100) {
            throw new UsageException("--sim-kv-cache-percent must lie in 0..100, got " + percent);
        }
        return percent;
    }

    private static int percent(Settings settings, String flag) {
        return (int) settings.number(flag).orElse(0);
    }

    private static OptionalInt toInt(OptionalLong value) {
        return value.isPresent() ? OptionalInt.of((int) value.getAsLong()) : OptionalInt.empty();
    }

    // a bare "--sim-hang" reads as "" and means yes
    private static boolean isTrue(String text) {
        return text.isEmpty() || Set.of("1", "true", "yes").contains(text.toLowerCase(Locale.ROOT));
    }

    private record Settings(CommandLine line, Map<String, String> env) {

        Optional<String> text(String flag) {
            Optional<String> fromFlag = line.value(flag);
            return fromFlag.isPresent() ? fromFlag : Optional.ofNullable(env.get(envName(flag)));
        }

        OptionalLong number(String flag) {
            Optional<String> text = text(flag);
            if (text.isEmpty()) {
                return OptionalLong.empty();
            }
            try {
                return OptionalLong.of(Long.parseLong(text.get().trim()));
            } catch (NumberFormatException e) {
                throw new UsageException("invalid value '" + text.get() + "' for " + flag);
            }
        }

        static String envName(String flag) {
            return flag.substring(2).replace('-', '_').toUpperCase(Locale.ROOT);
        }
    }
}
