package dev.switchboard.llamacpp.preset;

import java.util.Objects;

/**
 * One model section of a preset file.
 *
 * @param name the section name: the model id it defines or overrides
 * @param line the 1-based line of its header, for error messages
 * @param options its options as written, without the {@code [*]} defaults
 */
public record PresetSection(String name, int line, PresetOptions options) {

    public PresetSection {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(options, "options");
    }
}
