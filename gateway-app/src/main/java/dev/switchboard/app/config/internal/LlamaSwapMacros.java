package dev.switchboard.app.config.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * llama-swap's macros, substituted the way llama-swap does: the model's id as {@code ${MODEL_ID}}
 * first, then the global macros, then the model's own (which replace globals of the same name);
 * replaced last to first, so a macro may use any macro declared before it. {@code ${PORT}} and
 * {@code ${PID}} are left for the gateway, which knows them only when it starts or stops a model.
 */
final class LlamaSwapMacros {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_-]{1,63}");
    private static final Pattern REFERENCE = Pattern.compile("\\$\\{([a-zA-Z0-9_-]+)}");
    private static final Set<String> RESERVED = Set.of("PORT", "MODEL_ID", "PID");

    private final List<Map.Entry<String, String>> macros;

    private LlamaSwapMacros(List<Map.Entry<String, String>> macros) {
        this.macros = List.copyOf(macros);
    }

    static LlamaSwapMacros none() {
        return new LlamaSwapMacros(List.of());
    }

    /** Reads a {@code macros:} map: names as llama-swap allows them, values numbers, booleans or text. */
    static LlamaSwapMacros read(YamlNode node) {
        List<Map.Entry<String, String>> macros = new ArrayList<>();
        node.entries().forEach((name, value) -> {
            if (!NAME.matcher(name).matches()) {
                throw value.error("macro names may use only letters, digits, '_' and '-' (at most 63)");
            }
            if (RESERVED.contains(name)) {
                throw value.error("is a reserved macro name");
            }
            if (!value.isScalar()) {
                throw value.error("must be a number, a boolean or a string");
            }
            macros.add(Map.entry(name, value.string()));
        });
        return new LlamaSwapMacros(macros);
    }

    /** These macros for one model: its id first, then these, then its own on top. */
    LlamaSwapMacros forModel(String modelId, LlamaSwapMacros own) {
        Map<String, String> merged = new LinkedHashMap<>();
        merged.put("MODEL_ID", modelId);
        macros.forEach(macro -> merged.put(macro.getKey(), macro.getValue()));
        own.macros.forEach(macro -> merged.put(macro.getKey(), macro.getValue()));
        return new LlamaSwapMacros(new ArrayList<>(merged.entrySet()));
    }

    /** The text with every macro replaced; references to unknown macros stay. */
    String expand(String text) {
        String result = text;
        for (int i = macros.size() - 1; i >= 0; i--) {
            Map.Entry<String, String> macro = macros.get(i);
            result = result.replace("${" + macro.getKey() + "}", macro.getValue());
        }
        return result;
    }

    /** A plain map with macros expanded in every string, keys included, at any depth. */
    Map<String, Object> expandAll(Map<?, ?> map) {
        Map<String, Object> expanded = new LinkedHashMap<>();
        map.forEach((key, value) -> expanded.put(expand(key.toString()), expandValue(value)));
        return expanded;
    }

    private Object expandValue(Object value) {
        if (value instanceof String text) {
            return expand(text);
        }
        if (value instanceof Map<?, ?> map) {
            return expandAll(map);
        }
        if (value instanceof List<?> list) {
            return list.stream().map(this::expandValue).toList();
        }
        return value;
    }

    /**
     * A setting's text with macros expanded, failing on a macro that is neither known nor one the
     * gateway fills in later.
     *
     * @param later the macros left for the gateway in this setting ({@code PORT}, {@code PID})
     */
    String expandSetting(YamlNode node, Set<String> later) {
        String text = expand(node.string());
        Matcher m = REFERENCE.matcher(text);
        while (m.find()) {
            if (!later.contains(m.group(1))) {
                throw node.error("unknown macro ${" + m.group(1) + "}");
            }
        }
        return text;
    }
}
