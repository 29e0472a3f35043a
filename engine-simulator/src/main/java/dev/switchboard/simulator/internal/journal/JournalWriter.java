package dev.switchboard.simulator.internal.journal;

import dev.switchboard.simulator.internal.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Appends events to the journal file, one JSON line each. Every line goes out in a single write on a file opened
 * with {@code O_APPEND}, so lines from simulators running side by side never interleave.
 */
public final class JournalWriter {

    private static final long PID = ProcessHandle.current().pid();

    private final Optional<Path> file;

    private JournalWriter(Optional<Path> file) {
        this.file = file;
    }

    /** A writer for {@code file}, or one that writes nothing when there is no journal. */
    public static JournalWriter open(Optional<Path> file) {
        return new JournalWriter(file);
    }

    /** Appends {@code {"event":event,"pid":..,"time":<epoch micros>, ...fields}}. */
    public void write(String event, Map<String, Object> fields) {
        if (file.isEmpty()) {
            return;
        }
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("event", event);
        line.put("pid", PID);
        line.put("time", epochMicros());
        line.putAll(fields);
        byte[] bytes = (Json.write(line) + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            Files.write(file.get(), bytes, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            // the journal observes the simulation; losing a line must not change how the engine behaves
            System.err.println("engine-simulator: cannot write journal " + file.get() + ": " + e.getMessage());
        }
    }

    private static long epochMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000L;
    }
}
