package dev.switchboard.core.forward.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.spi.RequestFilters;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelRewriteTest {

    private static String rewrite(String body, String upstream) {
        return rewrite(body, upstream, RequestFilters.none());
    }

    private static String rewrite(String body, String upstream, RequestFilters filters) {
        return new String(
                Forwarder.rewriteBody(body.getBytes(StandardCharsets.UTF_8), upstream, filters),
                StandardCharsets.UTF_8);
    }

    @Test
    void replacesAnAliasWithTheNameTheEngineExpects() {
        assertThat(rewrite("{\"model\":\"coder\",\"stream\":true}", "qwen2.5-coder-7b"))
                .isEqualTo("{\"model\":\"qwen2.5-coder-7b\",\"stream\":true}");
    }

    @Test
    void leavesABodyNamingTheEngineModelUntouched() {
        String body = "{ \"model\" : \"qwen\" ,\"n\":1}";
        assertThat(rewrite(body, "qwen")).isEqualTo(body);
    }

    @Test
    void stripsAndSetsParametersButNeverTheModel() {
        RequestFilters filters =
                RequestFilters.of(List.of("temperature", " top_p", "model"), Map.of("top_k", 40, "model", "evil"));

        assertThat(rewrite("{\"model\":\"coder\",\"temperature\":0.1,\"top_p\":0.9,\"n\":1}", "coder", filters))
                .isEqualTo("{\"model\":\"coder\",\"n\":1,\"top_k\":40}");
    }

    @Test
    void leavesNonJsonBodiesUntouched() {
        assertThat(rewrite("--boundary\r\nmodel=x", "y")).isEqualTo("--boundary\r\nmodel=x");
        assertThat(rewrite("{not json", "y")).isEqualTo("{not json");
    }
}
