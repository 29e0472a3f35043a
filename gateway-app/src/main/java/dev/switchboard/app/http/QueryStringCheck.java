package dev.switchboard.app.http;

import dev.switchboard.core.GatewayException;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * Refuses a query string that is not well-formed percent-encoded UTF-8 on every route, instead of
 * letting each route read it leniently (a parameter that fails to decode would otherwise vanish, and
 * the request be served as if it had not been sent).
 */
final class QueryStringCheck implements Handler {

    @Override
    public void handle(Context ctx) {
        String query = ctx.queryString();
        if (query != null && !isWellFormed(query)) {
            throw GatewayException.invalidRequest("the query string is not valid percent-encoded UTF-8");
        }
    }

    static boolean isWellFormed(String query) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(query.length());
        for (int i = 0; i < query.length(); i++) {
            char c = query.charAt(i);
            if (c == '%') {
                if (i + 2 >= query.length() || !isHex(query.charAt(i + 1)) || !isHex(query.charAt(i + 2))) {
                    return false;
                }
                bytes.write(HexFormat.fromHexDigits(query, i + 1, i + 3));
                i += 2;
            } else if (c > 0x7f) {
                return false; // Jetty hands raw bytes over as ISO-8859-1 characters
            } else {
                bytes.write(c);
            }
        }
        try {
            StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    private static boolean isHex(char c) {
        return Character.digit(c, 16) >= 0;
    }
}
