package dev.switchboard.tools.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** llama.cpp's glob, as file_glob_search and grep_search filter with it. */
class GlobTest {

    @Test
    void aPatternWithoutSlashMatchesTheBasenameAtAnyDepth() {
        assertThat(Glob.matchesPath("*.cpp", "src/a/main.cpp")).isTrue();
        assertThat(Glob.matchesPath("*.cpp", "src/a/main.h")).isFalse();
        assertThat(Glob.matchesPath("*proj*", "project-alpha")).isTrue();
    }

    @Test
    void aPatternWithSlashMatchesThePathAnchoredWithDoubleStar() {
        assertThat(Glob.matchesPath("src/*.cpp", "x/src/main.cpp")).isTrue();
        assertThat(Glob.matchesPath("src/*.cpp", "src/a/main.cpp")).isFalse();
        // as in llama.cpp, the added "**/" needs a parent directory before the pattern
        assertThat(Glob.matchesPath("src/**/*.cpp", "x/src/a/b/main.cpp")).isTrue();
        assertThat(Glob.matchesPath("**", "any/thing")).isTrue();
    }

    @Test
    void questionMarksAndClassesMatchOneCharacterOfASegment() {
        assertThat(Glob.matches("file?.txt", "file1.txt")).isTrue();
        assertThat(Glob.matches("file?.txt", "file/.txt")).isFalse();
        assertThat(Glob.matches("[a-c]x", "bx")).isTrue();
        assertThat(Glob.matches("[!a-c]x", "bx")).isFalse();
        assertThat(Glob.matches("[!a-c]x", "dx")).isTrue();
    }
}
