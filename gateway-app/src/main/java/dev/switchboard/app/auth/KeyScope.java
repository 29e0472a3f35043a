package dev.switchboard.app.auth;

import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a key may do: the route classes it may use and, for inference, the models whose ids match
 * one of its glob patterns ({@code *} any run of characters, {@code ?} one character).
 *
 * @param models glob patterns over model ids; {@code ["*"]} for every model
 * @param routes the route classes the key may use besides {@link RouteClass#OPEN}
 */
public record KeyScope(List<String> models, Set<RouteClass> routes) {
    private static final KeyScope FULL = new KeyScope(List.of("*"), EnumSet.allOf(RouteClass.class));

    public KeyScope {
        models = List.copyOf(models);
        routes = Set.copyOf(routes);
    }

    /** Every model, every route: what a key given as a plain string (or {@code --api-key}) gets. */
    public static KeyScope full() {
        return FULL;
    }

    public boolean allows(RouteClass route) {
        return route == RouteClass.OPEN || routes.contains(route);
    }

    /** Whether a model id matches one of the patterns. */
    public boolean allowsModel(String id) {
        Objects.requireNonNull(id, "id");
        return patterns(models).stream().anyMatch(p -> p.matcher(id).matches());
    }

    private static List<Pattern> patterns(List<String> globs) {
        return globs.stream().map(KeyScope::compile).toList();
    }

    private static Pattern compile(String glob) {
        StringBuilder regex = new StringBuilder();
        for (char c : glob.toCharArray()) {
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }
}
