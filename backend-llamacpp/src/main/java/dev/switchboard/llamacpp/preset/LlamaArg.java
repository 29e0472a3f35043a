package dev.switchboard.llamacpp.preset;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * One llama-server option as {@code common/arg.cpp} declares it: its command-line names (short
 * forms first, the long form last), the names that negate a flag, and its {@code LLAMA_ARG_*}
 * environment name. Preset-only options ({@code load-on-startup}, {@code stop-timeout}, {@code
 * dedup-cache-models}) exist only in preset files and are never passed to a child.
 *
 * @param names the command-line names with dashes, the main (long) one last
 * @param negatedNames the names that turn a flag off, such as {@code --no-mmap}; empty if none
 * @param env the environment variable name, or {@code null} when the option has none
 * @param kind what value the option takes
 */
public record LlamaArg(List<String> names, List<String> negatedNames, String env, Kind kind) {

    /** What value an option takes, which decides how presets validate and render it. */
    public enum Kind {
        /** A command-line flag: {@code on/off}, {@code true/false}, {@code 1/0}, {@code enabled/disabled} in presets. */
        FLAG,
        /** An option followed by one value on the command line. */
        VALUE,
        /** A preset-only boolean. */
        PRESET_BOOLEAN,
        /** A preset-only whole number of seconds. */
        PRESET_SECONDS
    }

    public LlamaArg {
        names = List.copyOf(names);
        negatedNames = List.copyOf(negatedNames);
        Objects.requireNonNull(kind, "kind");
        if (names.isEmpty()) {
            throw new IllegalArgumentException("an option needs at least one name");
        }
    }

    /** The name llama.cpp renders it with: its last (long) name. */
    public String mainName() {
        return names.get(names.size() - 1);
    }

    public Optional<String> negatedMainName() {
        return negatedNames.isEmpty() ? Optional.empty() : Optional.of(negatedNames.get(negatedNames.size() - 1));
    }

    public Optional<String> envName() {
        return Optional.ofNullable(env);
    }

    public boolean presetOnly() {
        return kind == Kind.PRESET_BOOLEAN || kind == Kind.PRESET_SECONDS;
    }

    /** Every key a preset file may use for it: each name without its dashes, and the env name. */
    public List<String> presetKeys() {
        Stream<String> dashless =
                Stream.concat(names.stream(), negatedNames.stream()).map(LlamaArg::stripDashes);
        return Stream.concat(dashless, Stream.ofNullable(env)).distinct().toList();
    }

    /** Whether the preset key is one of the negated names, such as {@code no-mmap}. */
    public boolean isNegatedKey(String key) {
        return negatedNames.stream().map(LlamaArg::stripDashes).anyMatch(key::equals);
    }

    @Override
    public String toString() {
        return mainName();
    }

    static String stripDashes(String name) {
        int i = 0;
        while (i < name.length() && name.charAt(i) == '-') {
            i++;
        }
        return name.substring(i);
    }
}
