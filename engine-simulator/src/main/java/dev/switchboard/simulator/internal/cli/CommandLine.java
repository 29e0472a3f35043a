package dev.switchboard.simulator.internal.cli;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Engine arguments split into flags and positionals, the way the engines' own parsers read them: {@code --name=value}
 * or {@code --name value}, where the value is the next token unless that token is another flag. Flags the simulator
 * does not know are kept too (the journal records them), and for a repeated flag the last value wins.
 *
 * @param flags every flag as written ({@code -ngl}, {@code --port}) with its value, {@code ""} for a switch
 */
public record CommandLine(List<String> args, List<String> positionals, Map<String, String> flags) {

    public CommandLine {
        args = List.copyOf(args);
        positionals = List.copyOf(positionals);
        flags = Collections.unmodifiableMap(new LinkedHashMap<>(flags));
    }

    /** Parses {@code args}; the flags in {@code switches} never take a value. */
    public static CommandLine parse(List<String> args, Set<String> switches) {
        List<String> positionals = new ArrayList<>();
        Map<String, String> flags = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String token = args.get(i);
            if (!isFlag(token)) {
                positionals.add(token);
                continue;
            }
            int equals = token.indexOf('=');
            if (equals > 0) {
                flags.put(token.substring(0, equals), token.substring(equals + 1));
            } else if (!switches.contains(token) && i + 1 < args.size() && !isFlag(args.get(i + 1))) {
                flags.put(token, args.get(++i));
            } else {
                flags.put(token, "");
            }
        }
        return new CommandLine(args, positionals, flags);
    }

    /** The value of the first of {@code names} present. */
    public Optional<String> value(String... names) {
        for (String name : names) {
            if (flags.containsKey(name)) {
                return Optional.of(flags.get(name));
            }
        }
        return Optional.empty();
    }

    public boolean has(String... names) {
        return value(names).isPresent();
    }

    /** An integer flag, or {@code fallback} when absent; a value that is not a number is a usage error. */
    public int integer(int fallback, String... names) {
        return value(names).map(text -> parseNumber(text, names[0]).intValue()).orElse(fallback);
    }

    public double decimal(double fallback, String... names) {
        return value(names)
                .map(text -> parseNumber(text, names[0]).doubleValue())
                .orElse(fallback);
    }

    private static Number parseNumber(String text, String name) {
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new UsageException("invalid value '" + text + "' for " + name);
        }
    }

    // "-1" is the value of "--main-gpu -1", not a flag
    private static boolean isFlag(String token) {
        return token.startsWith("-") && token.length() > 1 && !isNumber(token);
    }

    private static boolean isNumber(String token) {
        try {
            Double.parseDouble(token);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
