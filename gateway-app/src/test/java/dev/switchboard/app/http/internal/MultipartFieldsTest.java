package dev.switchboard.app.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MultipartFieldsTest {
    private static final String TYPE = "multipart/form-data; boundary=XyZ";

    private static byte[] body(String text) {
        return text.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void findsATextFieldAfterAFilePart() {
        byte[] body = body("""
                --XyZ
                Content-Disposition: form-data; name="file"; filename="a.wav"
                Content-Type: audio/wav

                RIFF....--XyZ-ish bytes
                --XyZ
                Content-Disposition: form-data; name="model"

                whisper-large
                --XyZ--
                """);

        assertThat(MultipartFields.field(body, TYPE, "model")).hasValue("whisper-large");
    }

    @Test
    void readsAQuotedBoundary() {
        byte[] body = body("""
                --a b
                Content-Disposition: form-data; name="model"

                m
                --a b--
                """);

        assertThat(MultipartFields.field(body, "multipart/form-data; boundary=\"a b\"", "model"))
                .hasValue("m");
    }

    @Test
    void decodesTheValueAsUtf8() {
        byte[] body = body("""
                --XyZ
                Content-Disposition: form-data; name="model"

                modèle
                --XyZ--
                """);

        assertThat(MultipartFields.field(body, TYPE, "model")).hasValue("modèle");
    }

    @Test
    void findsNothingWhenTheFieldIsAbsent() {
        byte[] body = body("""
                --XyZ
                Content-Disposition: form-data; name="language"

                en
                --XyZ--
                """);

        assertThat(MultipartFields.field(body, TYPE, "model")).isEmpty();
    }

    @Test
    void findsNothingWithoutABoundary() {
        assertThat(MultipartFields.field(body("model"), "multipart/form-data", "model"))
                .isEmpty();
    }

    @Test
    void tellsMultipartContentTypes() {
        assertThat(MultipartFields.isMultipart("Multipart/Form-Data; boundary=x"))
                .isTrue();
        assertThat(MultipartFields.isMultipart("application/json")).isFalse();
        assertThat(MultipartFields.isMultipart(null)).isFalse();
    }
}
