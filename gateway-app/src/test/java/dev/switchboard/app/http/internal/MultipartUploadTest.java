package dev.switchboard.app.http.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.GatewayException;
import dev.switchboard.core.forward.RequestBody;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MultipartUploadTest {
    private static final String TYPE = "multipart/form-data; boundary=XyZ";

    private static byte[] body(String text) {
        return text.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
    }

    private static Optional<String> model(byte[] body, String type) throws IOException {
        try (MultipartUpload upload = MultipartUpload.read(new ByteArrayInputStream(body), body.length, type)) {
            return upload.model();
        }
    }

    @Test
    void findsTheModelAfterAFilePartWhoseBytesLookLikeADelimiter() throws IOException {
        byte[] body = body("""
                --XyZ
                Content-Disposition: form-data; name="file"; filename="a.wav"
                Content-Type: audio/wav

                RIFF....--XyZ-ish bytes\r--XyZ
                --XyZ
                Content-Disposition: form-data; name="model"

                whisper-large
                --XyZ--
                """);

        assertThat(model(body, TYPE)).hasValue("whisper-large");
    }

    @Test
    void findsTheModelWhenTheBodyArrivesAByteAtATime() throws IOException {
        byte[] body = body("""
                --XyZ
                Content-Disposition: form-data; name="language"

                en
                --XyZ
                Content-Disposition: form-data; name="model"

                whisper
                --XyZ--
                """);
        InputStream trickle = new FilterInputStream(new ByteArrayInputStream(body)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return super.read(b, off, Math.min(len, 1));
            }
        };

        try (MultipartUpload upload = MultipartUpload.read(trickle, -1, TYPE)) {
            assertThat(upload.model()).hasValue("whisper");
        }
    }

    @Test
    void relaysTheWholeBodyByteForByteWhenTheFileCameFirstAndWasSpooled() throws IOException {
        byte[] audio = new byte[3 * Spool.MEMORY_BYTES + 17];
        new Random(7).nextBytes(audio);
        ByteArrayOutputStream form = new ByteArrayOutputStream();
        form.writeBytes(body("--XyZ\nContent-Disposition: form-data; name=\"file\"; filename=\"a.wav\"\n\n"));
        form.writeBytes(audio);
        form.writeBytes(body("\n--XyZ\nContent-Disposition: form-data; name=\"model\"\n\nm\n--XyZ--\n"));
        byte[] body = form.toByteArray();

        try (MultipartUpload upload = MultipartUpload.read(new ByteArrayInputStream(body), body.length, TYPE)) {
            assertThat(upload.model()).hasValue("m");
            RequestBody.Stream relayed = (RequestBody.Stream) upload.body();
            assertThat(relayed.length()).isEqualTo(body.length);
            assertThat(relayed.source().readAllBytes()).isEqualTo(body);
        }
    }

    @Test
    void readsAQuotedBoundary() throws IOException {
        byte[] body = body("""
                --a b
                Content-Disposition: form-data; name="model"

                m
                --a b--
                """);

        assertThat(model(body, "multipart/form-data; boundary=\"a b\"")).hasValue("m");
    }

    @Test
    void decodesTheValueAsUtf8() throws IOException {
        byte[] body = body("""
                --XyZ
                Content-Disposition: form-data; name="model"

                modèle
                --XyZ--
                """);

        assertThat(model(body, TYPE)).hasValue("modèle");
    }

    @Test
    void findsNothingWhenTheFieldIsAbsentOrUnterminated() throws IOException {
        byte[] absent = body("""
                --XyZ
                Content-Disposition: form-data; name="language"

                en
                --XyZ--
                """);
        byte[] unterminated = body("--XyZ\nContent-Disposition: form-data; name=\"model\"\n\nsim");

        assertThat(model(absent, TYPE)).isEmpty();
        assertThat(model(unterminated, TYPE)).isEmpty();
    }

    @Test
    void findsNothingWithoutABoundary() throws IOException {
        assertThat(model(body("model"), "multipart/form-data")).isEmpty();
    }

    @Test
    void refusesAModelNameLongerThanItsLimit() {
        byte[] body = body("--XyZ\nContent-Disposition: form-data; name=\"model\"\n\n"
                + "m".repeat(MultipartUpload.FIELD_LIMIT + 1) + "\n--XyZ--\n");

        assertThatThrownBy(() -> model(body, TYPE))
                .isInstanceOfSatisfying(
                        GatewayException.class, e -> assertThat(e.status()).isEqualTo(400))
                .hasMessageContaining("'model' is longer than");
    }

    @Test
    void tellsMultipartContentTypes() {
        assertThat(MultipartUpload.isMultipart("Multipart/Form-Data; boundary=x"))
                .isTrue();
        assertThat(MultipartUpload.isMultipart("application/json")).isFalse();
        assertThat(MultipartUpload.isMultipart(null)).isFalse();
    }
}
