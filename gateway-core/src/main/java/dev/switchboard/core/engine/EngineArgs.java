package dev.switchboard.core.engine;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * An engine's command-line arguments, read the way Python's argparse reads them: a flag's value
 * follows it as the next argument or after {@code =}, and the last occurrence wins. Backends use it
 * to honour what a model's {@code args} already set instead of adding a flag twice.
 */
public final class EngineArgs {
    private final List<String> args;

    private EngineArgs(List<String> args) {
        this.args = List.copyOf(args);
    }

    public static EngineArgs of(List<String> args) {
        return new EngineArgs(args);
    }

    /** Whether the flag or one of its aliases is present, with or without a value. */
    public boolean has(String flag, String... aliases) {
        return args.stream().anyMatch(arg -> isOneOf(name(arg), flag, aliases));
    }

    /** The value of the last occurrence of the flag or one of its aliases. */
    public Optional<String> value(String flag, String... aliases) {
        Optional<String> found = Optional.empty();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!isOneOf(name(arg), flag, aliases)) {
                continue;
            }
            int equals = arg.indexOf('=');
            if (equals > 0) {
                found = Optional.of(arg.substring(equals + 1));
            } else if (i + 1 < args.size()) {
                found = Optional.of(args.get(i + 1));
            }
        }
        return found;
    }

    /**
     * The value of the flag (or its aliases) as a number.
     *
     * @throws IllegalArgumentException naming the flag when its value is not a number
     */
    public double decimal(double fallback, String flag, String... aliases) {
        return value(flag, aliases)
                .map(v -> parse(v, flag, "a number", Double::parseDouble))
                .orElse(fallback);
    }

    /**
     * The value of the flag (or its aliases) as an integer.
     *
     * @throws IllegalArgumentException naming the flag when its value is not an integer
     */
    public int integer(int fallback, String flag, String... aliases) {
        return value(flag, aliases)
                .map(v -> parse(v, flag, "an integer", Integer::parseInt))
                .orElse(fallback);
    }

    private static String name(String arg) {
        int equals = arg.indexOf('=');
        return equals > 0 ? arg.substring(0, equals) : arg;
    }

    private static boolean isOneOf(String name, String flag, String[] aliases) {
        return name.equals(flag) || List.of(aliases).contains(name);
    }

    private static <T> T parse(String value, String flag, String expected, Function<String, T> parser) {
        try {
            return parser.apply(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " must be " + expected + ", got '" + value + "'");
        }
    }
}
