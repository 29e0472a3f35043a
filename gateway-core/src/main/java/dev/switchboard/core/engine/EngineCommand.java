package dev.switchboard.core.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds an engine's arguments from what the backend needs and what a model's {@code args} say. The
 * model's args come last and a flag they already set is not added again, so they take precedence;
 * flags the gateway must decide itself (the port) are refused in them.
 */
public final class EngineCommand {
    private final List<String> modelArgs;
    private final EngineArgs parsed;
    private final List<String> words = new ArrayList<>();

    private EngineCommand(List<String> modelArgs) {
        this.modelArgs = List.copyOf(modelArgs);
        this.parsed = EngineArgs.of(modelArgs);
    }

    /** Starts a command line that ends with these model arguments. */
    public static EngineCommand withModelArgs(List<String> modelArgs) {
        return new EngineCommand(modelArgs);
    }

    /** Adds words as they are (a subcommand, a positional argument). */
    public EngineCommand add(String... more) {
        words.addAll(List.of(more));
        return this;
    }

    /** Adds {@code flag value} unless the model's args set the flag or one of its aliases. */
    public EngineCommand option(String flag, Object value, String... aliases) {
        if (!parsed.has(flag, aliases)) {
            words.add(flag);
            words.add(String.valueOf(value));
        }
        return this;
    }

    /** Adds a flag without a value unless the model's args already have it. */
    public EngineCommand flag(String flag) {
        if (!parsed.has(flag)) {
            words.add(flag);
        }
        return this;
    }

    /**
     * Adds {@code flag value} that only the gateway may decide.
     *
     * @throws IllegalArgumentException when the model's args set the flag
     */
    public EngineCommand owned(String flag, Object value) {
        if (parsed.has(flag)) {
            throw new IllegalArgumentException("args must not set " + flag + ": the gateway decides it");
        }
        words.add(flag);
        words.add(String.valueOf(value));
        return this;
    }

    /** The backend's words followed by the model's args. */
    public List<String> build() {
        List<String> all = new ArrayList<>(words);
        all.addAll(modelArgs);
        return List.copyOf(all);
    }
}
