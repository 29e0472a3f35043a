package dev.switchboard.simulator.internal.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void writesObjectsInInsertionOrderWithNulls() {
        String json = Json.write(Json.object("b", 1, "a", null, "c", List.of(true, 2.5)));

        assertThat(json).isEqualTo("{\"b\":1,\"a\":null,\"c\":[true,2.5]}");
    }

    @Test
    void escapesQuotesBackslashesAndControlCharacters() {
        assertThat(Json.write("say \"hi\"\\\n\u0001")).isEqualTo("\"say \\\"hi\\\"\\\\\\n\\u0001\"");
    }

    @Test
    void readsBackWhatItWrites() {
        Map<String, Object> value = Json.object(
                "text",
                "tab\tand \u00e9",
                "whole",
                42L,
                "decimal",
                -0.5,
                "list",
                Json.array(null, false),
                "empty",
                Json.object());

        assertThat(Json.parse(Json.write(value))).isEqualTo(value);
    }

    @Test
    void readsUnicodeEscapes() {
        assertThat(Json.parse("\"\\u00e9\\/\"")).isEqualTo("\u00e9/");
    }

    @Test
    void writesFloatArraysAsNumbers() {
        assertThat(Json.write(new float[] {0.5f, -1f})).isEqualTo("[0.5,-1.0]");
    }

    @Test
    void rejectsTrailingText() {
        assertThatThrownBy(() -> Json.parse("{} {}"))
                .isInstanceOf(JsonException.class)
                .hasMessageContaining("trailing");
    }

    @Test
    void rejectsUnterminatedStrings() {
        assertThatThrownBy(() -> Json.parse("\"open")).isInstanceOf(JsonException.class);
    }

    @Test
    void readsFieldsOfTheWrongTypeAsAbsent() {
        JsonFields fields = JsonFields.parse("{\"n\":\"7\",\"s\":7}");

        assertThat(fields.integer("n")).isEmpty();
        assertThat(fields.string("s")).isEmpty();
    }
}
