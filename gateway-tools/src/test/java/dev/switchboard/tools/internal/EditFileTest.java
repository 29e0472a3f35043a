package dev.switchboard.tools.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** edit_file's loose matching: what it normalises before comparing old text. */
class EditFileTest {

    @Test
    void normalisesTrailingBlanksAndTypographicPunctuationPerLine() {
        assertThat(EditFile.normalize("say \u201chi\u201d \u2014 it\u2019s  \t\nnext\u00a0line\r"))
                .isEqualTo("say \"hi\" - it's\nnext line");
    }
}
