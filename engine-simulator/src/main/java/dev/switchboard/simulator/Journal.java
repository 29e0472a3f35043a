package dev.switchboard.simulator;

import dev.switchboard.simulator.internal.json.JsonFields;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the journal that simulators write with {@code --sim-record FILE} (or {@code SIM_RECORD}), so tests can check
 * what the engines saw: how many ran at once, which requests reached them, which were cut off.
 */
public final class Journal {

    private Journal() {}

    /**
     * The events in file order. A missing file reads as no events; a line still being written (no newline yet) is
     * left out.
     */
    public static List<JournalEvent> read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int complete = text.lastIndexOf('\n') + 1;
        return text.substring(0, complete)
                .lines()
                .filter(line -> !line.isBlank())
                .map(Journal::event)
                .toList();
    }

    /**
     * The most simulator processes alive at any one instant, counting each from its {@link JournalEvent#START} to its
     * {@link JournalEvent#EXIT} in file order. A process killed with SIGKILL writes no exit and counts as alive to the
     * end.
     */
    public static int maxConcurrentProcesses(List<JournalEvent> events) {
        Set<Long> alive = new HashSet<>();
        int max = 0;
        for (JournalEvent event : events) {
            switch (event.event()) {
                case JournalEvent.START -> alive.add(event.pid());
                case JournalEvent.EXIT -> alive.remove(event.pid());
                default -> {}
            }
            max = Math.max(max, alive.size());
        }
        return max;
    }

    private static JournalEvent event(String line) {
        JsonFields json = JsonFields.parse(line);
        Map<String, Object> fields = new LinkedHashMap<>(json.values());
        fields.remove("event");
        fields.remove("pid");
        fields.remove("time");
        return new JournalEvent(
                json.string("event").orElse(""),
                json.integer("pid").orElse(-1),
                json.integer("time").orElse(0),
                fields);
    }
}
