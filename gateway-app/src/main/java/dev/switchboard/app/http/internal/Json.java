package dev.switchboard.app.http.internal;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.switchboard.core.GatewayException;
import java.io.IOException;

/** The one JSON mapper of the HTTP layer: records in, compact JSON out, absent fields left out. */
public final class Json {
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .defaultPropertyInclusion(
                    JsonInclude.Value.construct(JsonInclude.Include.NON_NULL, JsonInclude.Include.NON_NULL))
            .build();

    private Json() {}

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
