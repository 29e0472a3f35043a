package dev.switchboard.llamacpp.preset;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A parsed {@code --models-preset} file.
 *
 * @param path where it was read from
 * @param global the {@code [*]} section: defaults for every model
 * @param sections the model sections in file order
 */
public record PresetFile(Path path, PresetOptions global, List<PresetSection> sections) {

    public PresetFile {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(global, "global");
        sections = List.copyOf(sections);
    }

    public Optional<PresetSection> section(String name) {
        return sections.stream().filter(s -> s.name().equals(name)).findFirst();
    }
}
