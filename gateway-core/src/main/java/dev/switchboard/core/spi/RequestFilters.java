package dev.switchboard.core.spi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * llama-swap's per-model request filters ({@link ModelDescriptor#filters()}): {@code stripParams}
 * removes parameters clients send, {@code setParams} forces parameters to values. The {@code
 * model} parameter is never touched by either: the gateway owns it. Built once, at configuration
 * time; the forwarder only applies it.
 *
 * @param strip parameter names to remove
 * @param set parameters to set, overriding what the client sent (never mutated)
 */
public record RequestFilters(Set<String> strip, Map<String, JsonNode> set) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final RequestFilters NONE = new RequestFilters(Set.of(), Map.of());

    public RequestFilters {
        strip = strip.stream()
                .map(String::trim)
                .filter(name -> !name.isEmpty() && !name.equals("model"))
                .collect(Collectors.toUnmodifiableSet());
        set = new LinkedHashMap<>(set);
        set.remove("model");
        set = Collections.unmodifiableMap(set);
    }

    public static RequestFilters none() {
        return NONE;
    }

    /** Filters from parameter names and plain values (strings, numbers, lists, maps), as YAML gives them. */
    public static RequestFilters of(Collection<String> strip, Map<String, ?> set) {
        Map<String, JsonNode> values = new LinkedHashMap<>();
        set.forEach((name, value) -> values.put(name, JSON.valueToTree(value)));
        return new RequestFilters(Set.copyOf(strip), values);
    }

    public boolean isEmpty() {
        return strip.isEmpty() && set.isEmpty();
    }
}
