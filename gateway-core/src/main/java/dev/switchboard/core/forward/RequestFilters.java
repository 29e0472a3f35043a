package dev.switchboard.core.forward;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.core.spi.ModelDescriptor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * llama-swap's per-model request filters: {@code filters.stripParams} removes parameters clients
 * send (a list, or a comma-separated string), {@code filters.setParams} forces parameters to
 * values. The {@code model} parameter is never touched by either: the gateway owns it.
 *
 * @param strip parameter names to remove
 * @param set parameters to set, overriding what the client sent
 */
public record RequestFilters(Set<String> strip, Map<String, JsonNode> set) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final RequestFilters NONE = new RequestFilters(Set.of(), Map.of());

    public RequestFilters {
        strip = strip.stream().filter(name -> !name.equals("model")).collect(Collectors.toUnmodifiableSet());
        set = new LinkedHashMap<>(set);
        set.remove("model");
        set = java.util.Collections.unmodifiableMap(set);
    }

    public static RequestFilters none() {
        return NONE;
    }

    /** The filters in a model's {@code filters} option, if any. */
    public static RequestFilters of(ModelDescriptor model) {
        if (!(model.options().get("filters") instanceof Map<?, ?> filters)) {
            return NONE;
        }
        Object strip = filters.get("stripParams");
        List<String> names = strip instanceof List<?> list
                ? list.stream().map(String::valueOf).toList()
                : strip == null ? List.of() : Arrays.asList(strip.toString().split(","));
        Map<String, JsonNode> set = new LinkedHashMap<>();
        if (filters.get("setParams") instanceof Map<?, ?> params) {
            params.forEach((name, value) -> set.put(String.valueOf(name), JSON.valueToTree(value)));
        }
        return new RequestFilters(
                names.stream().map(String::trim).filter(n -> !n.isEmpty()).collect(Collectors.toSet()), set);
    }

    public boolean isEmpty() {
        return strip.isEmpty() && set.isEmpty();
    }
}
