package dev.switchboard.app.config.internal;

import dev.switchboard.app.auth.ApiKey;
import dev.switchboard.app.auth.KeyScope;
import dev.switchboard.app.auth.RouteClass;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * {@code server.apiKeys}: each item is a plain string, a key with every right, or a scoped key:
 *
 * <pre>{@code
 * apiKeys:
 *   - ${env.ADMIN_KEY}                 # every model, every route
 *   - name: ci
 *     key: ${env.CI_KEY}               # or keyFile: secrets/ci (its first line; relative to this file)
 *     models: ["qwen-*", "tiny?"]      # globs over model ids; default every model
 *     admin: false                     # admin and router-management routes; default false
 * }</pre>
 */
final class ApiKeyReader {
    private static final List<String> FIELDS = List.of("name", "key", "keyFile", "models", "admin");

    private ApiKeyReader() {}

    /** The plain-string items. */
    static List<String> fullScope(YamlNode keys) {
        return keys.items().stream()
                .filter(YamlNode::isScalar)
                .map(YamlNode::nonEmptyString)
                .toList();
    }

    /** The scoped items. */
    static List<ApiKey> scoped(YamlNode keys, Path baseDirectory) {
        return keys.items().stream()
                .filter(item -> !item.isScalar())
                .map(item -> scopedKey(item, baseDirectory))
                .toList();
    }

    private static ApiKey scopedKey(YamlNode node, Path baseDirectory) {
        if (!node.isMap()) {
            throw node.error("must be a key (a string) or a map with name, key or keyFile, models and admin");
        }
        node.allowOnly(FIELDS);
        String name = node.require("name").nonEmptyString();
        String secret;
        if (node.get("key").isPresent() == node.get("keyFile").isPresent()) {
            throw node.error("needs exactly one of 'key' and 'keyFile'");
        }
        if (node.get("key").isPresent()) {
            secret = node.require("key").nonEmptyString();
        } else {
            YamlNode file = node.require("keyFile");
            secret = firstLine(file, baseDirectory);
        }
        List<String> models = node.get("models").map(YamlNode::strings).orElse(List.of("*"));
        Set<RouteClass> routes = EnumSet.of(RouteClass.INFERENCE);
        if (node.get("admin").map(YamlNode::bool).orElse(false)) {
            routes.add(RouteClass.ADMIN);
        }
        return new ApiKey(name, secret, new KeyScope(models, routes));
    }

    private static String firstLine(YamlNode file, Path baseDirectory) {
        Path path = baseDirectory.resolve(file.nonEmptyString());
        try {
            String key = Files.readAllLines(path).stream()
                    .map(String::strip)
                    .filter(line -> !line.isEmpty())
                    .findFirst()
                    .orElseThrow(() -> file.error("file '" + path + "' holds no key"));
            return key;
        } catch (IOException e) {
            throw file.error("cannot read key file '" + path + "': " + e.getMessage());
        }
    }
}
