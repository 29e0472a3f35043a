package dev.switchboard.core.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CommandLineTest {

    @Test
    void splitsLikeAShell() {
        assertThat(CommandLine.split("llama-server  -m '/models/my model.gguf' --alias \"a \\\"b\\\"\" x\\ y"))
                .containsExactly("llama-server", "-m", "/models/my model.gguf", "--alias", "a \"b\"", "x y");
    }

    @Test
    void joinsContinuedLinesAndDropsComments() {
        String yamlBlock = "llama-server \\\n  --port 9000 # the port\n  -ngl 99\n";
        assertThat(CommandLine.split(yamlBlock)).containsExactly("llama-server", "--port", "9000", "-ngl", "99");
    }

    @Test
    void keepsEmptyQuotedArguments() {
        assertThat(CommandLine.split("cmd '' \"\"")).containsExactly("cmd", "", "");
    }

    @Test
    void rejectsAnUnterminatedQuote() {
        assertThatThrownBy(() -> CommandLine.split("cmd 'oops")).hasMessageContaining("unterminated");
    }

    @Test
    void expandsMacros() {
        assertThat(CommandLine.expand(
                        "srv --port ${PORT} -m ${models}/${MODEL_ID}.gguf",
                        Map.of("PORT", "5800", "models", "/srv", "MODEL_ID", "qwen")))
                .isEqualTo("srv --port 5800 -m /srv/qwen.gguf");
    }

    @Test
    void namesAnUnknownMacro() {
        assertThatThrownBy(() -> CommandLine.expand("srv ${NOPE}", Map.of())).hasMessageContaining("${NOPE}");
    }

    @Test
    void quotesCommandWordsSoSplittingGivesThemBack() {
        List<String> words = List.of("/opt/my java/bin/java", "-cp", "it's.jar", "Main");

        assertThat(CommandLine.split(CommandLine.quote(words))).isEqualTo(words);
    }
}
