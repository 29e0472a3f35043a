package dev.switchboard.simulator.internal.json;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/** Typed, lenient reads from a parsed JSON object: a field of the wrong type reads as absent. */
public record JsonFields(Map<String, Object> values) {

    public JsonFields {
        values = Collections.unmodifiableMap(values);
    }

    /** Parses {@code text}, which must hold a JSON object. */
    public static JsonFields parse(String text) {
        return of(Json.parse(text));
    }

    /** A parsed value that must be a JSON object. */
    @SuppressWarnings("unchecked")
    public static JsonFields of(Object value) {
        if (!(value instanceof Map<?, ?>)) {
            throw new JsonException("expected a JSON object", 0);
        }
        return new JsonFields((Map<String, Object>) value);
    }

    public boolean has(String key) {
        return values.containsKey(key) && values.get(key) != null;
    }

    public Optional<String> string(String key) {
        return values.get(key) instanceof String text ? Optional.of(text) : Optional.empty();
    }

    public OptionalLong integer(String key) {
        return values.get(key) instanceof Number number ? OptionalLong.of(number.longValue()) : OptionalLong.empty();
    }

    public boolean flag(String key) {
        return Boolean.TRUE.equals(values.get(key));
    }

    @SuppressWarnings("unchecked")
    public Optional<JsonFields> object(String key) {
        return values.get(key) instanceof Map<?, ?> map
                ? Optional.of(new JsonFields((Map<String, Object>) map))
                : Optional.empty();
    }

    public List<Object> array(String key) {
        return values.get(key) instanceof List<?> list ? Collections.unmodifiableList(list) : List.of();
    }

    /** The elements of an array field that are objects. */
    public List<JsonFields> objects(String key) {
        return array(key).stream()
                .filter(Map.class::isInstance)
                .map(JsonFields::of)
                .toList();
    }

    public Object get(String key) {
        return values.get(key);
    }
}
