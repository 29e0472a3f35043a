package dev.switchboard.simulator.internal.json;

import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** Writes plain Java values as compact JSON. */
final class JsonWriter {

    private JsonWriter() {}

    static void write(Object value, StringBuilder out) {
        switch (value) {
            case null -> out.append("null");
            case String text -> string(text, out);
            case Boolean bool -> out.append(bool);
            case Double number -> decimal(number, out);
            case Float number -> decimal(number.doubleValue(), out);
            case Number number -> out.append(number);
            case Map<?, ?> map -> object(map, out);
            case List<?> list -> array(list.iterator(), out);
            case float[] floats -> floats(floats, out);
            default -> throw new IllegalArgumentException("not a JSON value: " + value.getClass());
        }
    }

    private static void object(Map<?, ?> map, StringBuilder out) {
        out.append('{');
        boolean first = true;
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            if (!first) {
                out.append(',');
            }
            first = false;
            string((String) entry.getKey(), out);
            out.append(':');
            write(entry.getValue(), out);
        }
        out.append('}');
    }

    private static void array(Iterator<?> elements, StringBuilder out) {
        out.append('[');
        while (elements.hasNext()) {
            write(elements.next(), out);
            if (elements.hasNext()) {
                out.append(',');
            }
        }
        out.append(']');
    }

    private static void floats(float[] floats, StringBuilder out) {
        out.append('[');
        for (int i = 0; i < floats.length; i++) {
            if (i > 0) {
                out.append(',');
            }
            decimal(floats[i], out);
        }
        out.append(']');
    }

    private static void decimal(double number, StringBuilder out) {
        if (Double.isNaN(number) || Double.isInfinite(number)) {
            // JSON has no such numbers; engines built on nlohmann::json write null as well
            out.append("null");
        } else {
            out.append(number);
        }
    }

    private static void string(String text, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
