package dev.switchboard.app.config.internal;

import dev.switchboard.app.CorsSettings;
import java.util.List;

/** Reads {@code server.cors}: {@code { origins, methods, headers, credentials }}, as llama-server's --cors-* flags. */
final class CorsReader {
    private static final List<String> KEYS = List.of("origins", "methods", "headers", "credentials");

    private CorsReader() {}

    static CorsSettings cors(YamlNode node) {
        node.allowOnly(KEYS);
        CorsSettings off = CorsSettings.off();
        return new CorsSettings(
                node.get("origins").map(CorsReader::list).orElse(null),
                node.get("methods").map(CorsReader::list).orElse(off.methods()),
                node.get("headers").map(CorsReader::list).orElse(off.headers()),
                node.get("credentials").map(YamlNode::bool).orElse(off.credentials()));
    }

    /** A comma-separated string or a list of strings. */
    private static String list(YamlNode node) {
        return node.isList() ? String.join(",", node.strings()) : node.nonEmptyString();
    }
}
