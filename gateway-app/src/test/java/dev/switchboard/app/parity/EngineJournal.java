package dev.switchboard.app.parity;

import dev.switchboard.simulator.Journal;
import dev.switchboard.simulator.JournalEvent;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The journal every simulated engine of one test appends to ({@code SIM_RECORD}): what the
 * engines saw, in the order they saw it.
 *
 * @param file the journal file
 */
record EngineJournal(Path file) {

    /**
     * The environment that has a simulator journal here, at the speed the tests expect: loading
     * takes 100 ms, answers come at 100 tokens per second. Engines inherit it from the gateway.
     */
    Map<String, String> engineEnvironment() {
        return Map.of("SIM_RECORD", file.toString(), "SIM_LOAD_MS", "100", "SIM_TOKENS_PER_SECOND", "100");
    }

    /** Every line written so far. */
    List<JournalEvent> events() {
        return Journal.read(file);
    }

    /** The {@code start} lines of the llama-server children that served {@code model}. */
    List<JournalEvent> starts(String model) {
        return events().stream()
                .filter(e -> e.event().equals(JournalEvent.START))
                .filter(e -> e.entry("flags", "--alias").orElse("").equals(model))
                .toList();
    }

    /** Every engine process started so far. */
    Set<Long> pids() {
        return events().stream()
                .filter(e -> e.event().equals(JournalEvent.START))
                .map(JournalEvent::pid)
                .collect(Collectors.toSet());
    }

    /** The {@code exit} lines. */
    List<JournalEvent> exits() {
        return events().stream()
                .filter(e -> e.event().equals(JournalEvent.EXIT))
                .toList();
    }

    /** The models that requests asked for, in the order engines received them. */
    List<String> requestedModels() {
        return events().stream()
                .filter(e -> e.event().equals(JournalEvent.REQUEST))
                .map(e -> e.text("model").orElse(""))
                .toList();
    }

    /** The most engines that ran at once. */
    int mostEnginesAtOnce() {
        return Journal.maxConcurrentProcesses(events());
    }
}
