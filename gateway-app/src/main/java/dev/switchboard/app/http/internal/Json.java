package dev.switchboard.app.http.internal;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.switchboard.core.GatewayException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** The one JSON mapper of the HTTP layer: records in, compact JSON out, absent fields left out. */
public final class Json {
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .defaultPropertyInclusion(
                    JsonInclude.Value.construct(JsonInclude.Include.NON_NULL, JsonInclude.Include.NON_NULL))
            .build();

    private Json() {}

    /**
     * Reads one request body on a background thread, so the parser's one-time set-up is done before
     * the first request needs it: Jackson's parser initializes {@link java.math.BigDecimal}, whose
     * static tables take some 20 ms to compute before the JIT has compiled anything.
     */
    public static void initializeInBackground() {
        Thread.ofPlatform()
                .daemon()
                .name("json-initialization")
                .start(() -> textField("{\"model\":\"\"}".getBytes(StandardCharsets.UTF_8), "model"));
    }

    /**
     * Parses a request body.
     *
     * @throws GatewayException 400 when the body is empty or not JSON
     */
    public static JsonNode readBody(byte[] body) {
        JsonNode json;
        try {
            json = MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw GatewayException.invalidRequest("request body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new IllegalStateException("reading JSON from memory failed", e);
        }
        if (json == null || json.isMissingNode()) {
            throw GatewayException.invalidRequest("request body is not valid JSON: it is empty");
        }
        return json;
    }

    /**
     * A top-level text field of a request body, read with the streaming parser and no tree (the
     * proxy only needs the model name); null when absent or not text. Errors as {@link #readBody}.
     *
     * @throws GatewayException 400 when the body is empty or not JSON
     */
    public static String textField(byte[] body, String field) {
        try (JsonParser parser = MAPPER.getFactory().createParser(body)) {
            JsonToken first = parser.nextToken();
            if (first != JsonToken.START_OBJECT) {
                JsonNode value = readBody(body).get(field); // not an object: rare, checked the usual way
                return value != null && value.isTextual() ? value.asText() : null;
            }
            String text = null;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                boolean wanted = parser.currentName().equals(field);
                JsonToken value = parser.nextToken();
                if (wanted) {
                    text = value == JsonToken.VALUE_STRING ? parser.getText() : null; // the last one counts
                }
                parser.skipChildren();
            }
            return text;
        } catch (JsonProcessingException e) {
            throw GatewayException.invalidRequest("request body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new IllegalStateException("reading JSON from memory failed", e);
        }
    }

    /** Writes a value as compact JSON; the HTTP layer only writes its own records and maps. */
    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                    "cannot write " + value.getClass().getName() + " as JSON", e);
        }
    }
}
