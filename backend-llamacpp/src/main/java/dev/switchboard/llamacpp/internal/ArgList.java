package dev.switchboard.llamacpp.internal;

import dev.switchboard.llamacpp.preset.LlamaArg;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads single options out of a llama-server argument list without requiring every argument to be
 * known: a model's arguments may carry options this backend has no table entry for.
 */
final class ArgList {

    private ArgList() {}

    /** The value after the last occurrence of any of the option's names. */
    static Optional<String> value(List<String> args, LlamaArg arg) {
        for (int i = args.size() - 2; i >= 0; i--) {
            if (arg.names().contains(args.get(i))) {
                return Optional.of(args.get(i + 1));
            }
        }
        return Optional.empty();
    }

    /** The option's value as llama-server reads it: the last argument, else its variable in {@code env}. */
    static Optional<String> value(List<String> args, Map<String, String> env, LlamaArg arg) {
        return value(args, arg).or(() -> arg.envName().map(env::get));
    }

    /** A value as an integer, when it is one. */
    static Optional<Integer> integer(String value) {
        try {
            return Optional.of(Integer.parseInt(value.strip()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Whether the option is given at all, under any name or negated name. */
    static boolean mentions(List<String> args, LlamaArg arg) {
        return args.stream()
                .anyMatch(a -> arg.names().contains(a) || arg.negatedNames().contains(a));
    }

    /** Whether the last mention of a flag turns it off. */
    static boolean isTurnedOff(List<String> args, LlamaArg flag) {
        for (int i = args.size() - 1; i >= 0; i--) {
            if (flag.names().contains(args.get(i))) {
                return false;
            }
            if (flag.negatedNames().contains(args.get(i))) {
                return true;
            }
        }
        return false;
    }
}
