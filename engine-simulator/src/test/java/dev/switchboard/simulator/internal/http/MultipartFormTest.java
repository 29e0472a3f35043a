package dev.switchboard.simulator.internal.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MultipartFormTest {
    private static final String TYPE = "multipart/form-data; boundary=XyZ";

    private static Map<String, String> parts(String body) throws IOException {
        Map<String, ByteArrayOutputStream> sinks = new LinkedHashMap<>();
        MultipartForm.read(
                new ByteArrayInputStream(body.replace("\n", "\r\n").getBytes(StandardCharsets.ISO_8859_1)),
                TYPE,
                name -> sinks.computeIfAbsent(name, key -> new ByteArrayOutputStream()));
        Map<String, String> parts = new LinkedHashMap<>();
        sinks.forEach((name, sink) -> parts.put(name, sink.toString(StandardCharsets.ISO_8859_1)));
        return parts;
    }

    @Test
    void handsEachPartItsContentEvenWhereItAlmostMatchesTheDelimiter() throws IOException {
        assertThat(parts("""
                preamble
                --XyZ
                Content-Disposition: form-data; name="file"; filename="a.wav"
                Content-Type: audio/wav

                RIFF\r--XyQ\r-\r--Xy
                --XyZ
                Content-Disposition: form-data; name="model"

                whisper
                --XyZ--
                epilogue
                """))
                .containsExactly(Map.entry("file", "RIFF\r--XyQ\r-\r--Xy"), Map.entry("model", "whisper"));
    }

    @Test
    void refusesAFormWithoutItsClosingDelimiterOrBoundary() {
        assertThatThrownBy(() -> parts("--XyZ\nContent-Disposition: form-data; name=\"model\"\n\nsim"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MultipartForm.read(
                        new ByteArrayInputStream(new byte[0]),
                        "multipart/form-data",
                        name -> OutputStream.nullOutputStream()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
