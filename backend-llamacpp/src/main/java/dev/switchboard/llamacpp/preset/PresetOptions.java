package dev.switchboard.llamacpp.preset;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A set of llama-server options with their values, in the order they were given: what one preset
 * section, one command line or one discovered model contributes. Flag values are kept as written
 * ({@code true}, {@code off}...); {@link #toArgs()} renders them the way llama.cpp's {@code
 * common_preset::to_args} does.
 *
 * @param values option values by option
 */
public record PresetOptions(Map<LlamaArg, String> values) {

    private static final PresetOptions EMPTY = new PresetOptions(Map.of());

    public PresetOptions {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    public static PresetOptions empty() {
        return EMPTY;
    }

    /**
     * Reads llama-server command-line arguments: {@code -c 4096 --no-mmap --jinja}. A flag reads as
     * {@code true}, its negated form as {@code false}.
     *
     * @throws IllegalArgumentException for an unknown argument or a missing value
     */
    public static PresetOptions fromCommandLine(List<String> args) {
        Map<LlamaArg, String> values = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String token = args.get(i);
            LlamaArg arg = LlamaArgs.byCommandLineName(token)
                    .orElseThrow(() -> new IllegalArgumentException("invalid argument: " + token));
            if (arg.kind() == LlamaArg.Kind.FLAG) {
                values.put(arg, String.valueOf(!arg.negatedNames().contains(token)));
            } else if (i + 1 < args.size()) {
                values.put(arg, args.get(++i));
            } else {
                throw new IllegalArgumentException("expected value for argument: " + token);
            }
        }
        return new PresetOptions(values);
    }

    /**
     * llama.cpp's cascade of the sources of one model's options, lowest precedence first: the
     * {@code [*]} section under the discovered options (so {@code [*]} never moves where a discovered
     * model's files are), then, when the model has its own section, {@code [*]} and the section over
     * both, and the router's command line over everything.
     *
     * @param discovered what the models directory or the cache found (model file, projector)
     * @param global the preset file's {@code [*]} section
     * @param section the model's own section, when the preset file has one
     * @param routerCli the router's own command-line options
     */
    public static PresetOptions merge(
            PresetOptions discovered, PresetOptions global, Optional<PresetOptions> section, PresetOptions routerCli) {
        // global under discovered, keeping the discovered options (the model files) first
        PresetOptions merged =
                discovered.overlay(global.without(discovered.values().keySet()));
        if (section.isPresent()) {
            merged = merged.overlay(global.overlay(section.get()));
        }
        return merged.overlay(routerCli);
    }

    public Optional<String> get(LlamaArg arg) {
        return Optional.ofNullable(values.get(arg));
    }

    public boolean contains(LlamaArg arg) {
        return values.containsKey(arg);
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    public PresetOptions with(LlamaArg arg, String value) {
        Map<LlamaArg, String> copy = new LinkedHashMap<>(values);
        copy.put(arg, value);
        return new PresetOptions(copy);
    }

    public PresetOptions without(Collection<LlamaArg> args) {
        Map<LlamaArg, String> copy = new LinkedHashMap<>(values);
        copy.keySet().removeAll(args);
        return new PresetOptions(copy);
    }

    /** These options with {@code higher}'s values replacing or added to them. */
    public PresetOptions overlay(PresetOptions higher) {
        Map<LlamaArg, String> copy = new LinkedHashMap<>(values);
        copy.putAll(higher.values);
        return new PresetOptions(copy);
    }

    /**
     * The command-line arguments for these options: each under its main name; a flag alone when
     * true, under its negated name when false (left out when it has none); preset-only options left
     * out.
     */
    public List<String> toArgs() {
        List<String> args = new ArrayList<>();
        values.forEach((arg, value) -> {
            switch (arg.kind()) {
                case VALUE -> {
                    args.add(arg.mainName());
                    args.add(value);
                }
                case FLAG -> {
                    if (!LlamaBooleans.isFalsey(value)) {
                        args.add(arg.mainName());
                    } else {
                        arg.negatedMainName().ifPresent(args::add);
                    }
                }
                case PRESET_BOOLEAN, PRESET_SECONDS -> {
                    // router-side settings, not child arguments
                }
            }
        });
        return args;
    }

    /**
     * These options as one INI section, the way llama.cpp's {@code common_preset::to_ini} writes it:
     * {@code [name]}, then {@code key = value} under each option's main name without its dashes
     * (a line break in a value escaped with a backslash), then an empty line.
     */
    public String toIni(String name) {
        StringBuilder ini = new StringBuilder("[").append(name).append("]\n");
        values.forEach((arg, value) -> ini.append(arg.mainName().replaceFirst("^-+", ""))
                .append(" = ")
                .append(value.replace("\n", "\\\n"))
                .append('\n'));
        return ini.append('\n').toString();
    }
}
