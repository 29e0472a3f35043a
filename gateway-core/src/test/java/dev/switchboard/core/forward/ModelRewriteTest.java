package dev.switchboard.core.forward;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ModelRewriteTest {

    private static String rewrite(String body, String upstream) {
        return new String(Forwarder.rewriteModel(body.getBytes(StandardCharsets.UTF_8), upstream), StandardCharsets.UTF_8);
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
    void leavesNonJsonBodiesUntouched() {
        assertThat(rewrite("--boundary\r\nmodel=x", "y")).isEqualTo("--boundary\r\nmodel=x");
        assertThat(rewrite("{not json", "y")).isEqualTo("{not json");
    }
}
