package dev.switchboard.app.config.internal;

import dev.switchboard.core.spi.ModelDescriptor;
import dev.switchboard.core.spi.RequestFilters;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The per-model options the request path uses ({@code concurrencyLimit}, {@code filters}, {@code
 * fallback}), read once into their typed {@link ModelDescriptor} fields, so that a bad value fails
 * start-up with its file, line and key instead of a request.
 */
final class ModelOptionsReader {
    static final List<String> KEYS = List.of("concurrencyLimit", "filters", "fallback");

    private ModelOptionsReader() {}

    /**
     * Reads those of {@link #KEYS} that {@code node} has into {@code model}; filter values pass
     * through {@code expand} (llama-swap's macros, or nothing).
     */
    static void read(
            YamlNode node,
            ModelDescriptor.Builder model,
            String id,
            UnaryOperator<String> expandText,
            Function<Map<String, Object>, Map<String, Object>> expandValues) {
        node.get("concurrencyLimit").ifPresent(n -> model.concurrencyLimit(n.integer(0, Integer.MAX_VALUE)));
        node.get("filters").ifPresent(n -> model.filters(filters(n, expandText, expandValues)));
        node.get("fallback").ifPresent(n -> {
            String fallback = n.nonEmptyString();
            if (fallback.equals(id)) {
                throw n.error("must name another model, not '" + id + "' itself");
            }
            model.fallback(fallback);
        });
    }

    private static RequestFilters filters(
            YamlNode node,
            UnaryOperator<String> expandText,
            Function<Map<String, Object>, Map<String, Object>> expandValues) {
        node.allowOnly(List.of("stripParams", "strip_params", "setParams", "setParamsByID"));
        // a list of names, or llama-swap's comma-separated text
        List<String> strip = node.get("stripParams")
                .or(() -> node.get("strip_params"))
                .map(n -> n.isList()
                        ? n.strings().stream().map(expandText).toList()
                        : Arrays.asList(expandText.apply(n.string()).split(",")))
                .orElse(List.of());
        Map<String, Object> set =
                node.get("setParams").map(n -> expandValues.apply(n.plainMap())).orElse(Map.of());
        return RequestFilters.of(strip, set);
    }
}
