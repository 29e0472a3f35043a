package dev.switchboard.simulator;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One line of a simulator journal.
 *
 * @param event what happened: one of the constants in this class
 * @param pid the simulator process that wrote it
 * @param time when, in microseconds since the epoch
 * @param fields the line's other fields, as parsed JSON (strings, {@code Long}s, {@code Double}s, booleans, lists,
 *     maps)
 */
public record JournalEvent(String event, long pid, long time, Map<String, Object> fields) {

    /** First line of every process: {@code personality}, {@code model}, {@code args}, {@code flags}, {@code env}. */
    public static final String START = "start";
    /** The engine serves requests: {@code personality}, {@code model}, {@code port}. */
    public static final String READY = "ready";
    /**
     * An inference request arrived: {@code path}, {@code model} (as requested, may be null), {@code stream}, and the
     * {@code authorization} and {@code x_api_key} headers it carried (null when absent).
     */
    public static final String REQUEST = "request";
    /**
     * A form upload's file part arrived whole ({@code /v1/audio/transcriptions}): {@code path}, {@code model},
     * {@code bytes} (its size) and {@code sha256} (hex), so a test can tell it arrived intact.
     */
    public static final String UPLOAD = "upload";
    /** The client went away before the answer was complete: {@code path}, {@code model}, {@code stream}. */
    public static final String REQUEST_ABORTED = "request_aborted";
    /**
     * The engine fell asleep (vLLM {@code /sleep}, SGLang {@code /release_memory_occupation}, llama-server idle
     * sleep): {@code level}, and {@code released}, whether it gave its GPU memory back.
     */
    public static final String SLEEP = "sleep";
    /** The engine woke up and took its GPU memory back. */
    public static final String WAKE = "wake";
    /** The process ends: {@code code} is its exit status. Absent when the process was killed with SIGKILL. */
    public static final String EXIT = "exit";

    public JournalEvent {
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    /** A string field. */
    public Optional<String> text(String key) {
        return fields.get(key) instanceof String value ? Optional.of(value) : Optional.empty();
    }

    /** A whole-number field. */
    public OptionalLong number(String key) {
        return fields.get(key) instanceof Number value ? OptionalLong.of(value.longValue()) : OptionalLong.empty();
    }

    /** The {@code args} of a {@link #START} event: the command line after the program. */
    public List<String> args() {
        return fields.get("args") instanceof List<?> list
                ? list.stream().map(String::valueOf).toList()
                : List.of();
    }

    /** A string entry of an object field, such as {@code flags} or {@code env} of a {@link #START} event. */
    public Optional<String> entry(String field, String key) {
        return fields.get(field) instanceof Map<?, ?> map && map.get(key) instanceof String value
                ? Optional.of(value)
                : Optional.empty();
    }
}
