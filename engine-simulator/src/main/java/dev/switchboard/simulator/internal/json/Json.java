package dev.switchboard.simulator.internal.json;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A tiny JSON codec over plain Java values, so the simulator needs nothing beyond the JDK.
 *
 * <p>Objects are {@link Map}s with string keys (written in iteration order, read as {@link LinkedHashMap}), arrays
 * are {@link List}s (or primitive/float arrays when written), strings, numbers ({@link Long} or {@link Double} when
 * read), booleans and {@code null}.
 */
public final class Json {

    private Json() {}

    /** Renders {@code value} as compact JSON. */
    public static String write(Object value) {
        StringBuilder out = new StringBuilder();
        JsonWriter.write(value, out);
        return out.toString();
    }

    /** Parses one JSON document; throws {@link JsonException} when the text is not JSON. */
    public static Object parse(String text) {
        return new JsonParser(text).document();
    }

    /** An ordered object from alternating keys and values, which may be {@code null}. */
    public static Map<String, Object> object(Object... keysAndValues) {
        if (keysAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("keys and values must come in pairs");
        }
        Map<String, Object> object = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            object.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return object;
    }

    /** A list that, unlike {@link List#of}, accepts {@code null} elements. */
    public static List<Object> array(Object... elements) {
        return new ArrayList<>(Arrays.asList(elements));
    }
}
