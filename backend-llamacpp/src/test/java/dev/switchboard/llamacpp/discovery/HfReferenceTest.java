package dev.switchboard.llamacpp.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HfReferenceTest {

    @Test
    void splitsRepoAndTag() {
        assertThat(HfReference.parse("ggml-org/gemma-3-4b-it-GGUF:Q4_K_M"))
                .isEqualTo(new HfReference("ggml-org/gemma-3-4b-it-GGUF", "Q4_K_M"));
        assertThat(HfReference.parse("ggml-org/gemma-3-4b-it-GGUF"))
                .isEqualTo(new HfReference("ggml-org/gemma-3-4b-it-GGUF", ""));
    }

    @Test
    void acceptsRepoIdsLikeLlamaCpp() {
        assertThat(HfReference.isValidRepoId("ggml-org/gemma-3-4b-it-GGUF")).isTrue();
        assertThat(HfReference.isValidRepoId("a_b/c.d")).isTrue();
        assertThat(HfReference.isValidRepoId("solo")).isFalse();
        assertThat(HfReference.isValidRepoId("a/b/c")).isFalse();
        assertThat(HfReference.isValidRepoId("-a/b")).isFalse();
        assertThat(HfReference.isValidRepoId("a//b")).isFalse();
        assertThat(HfReference.isValidRepoId("a/b.")).isFalse();
        assertThat(HfReference.isValidRepoId("a b/c")).isFalse();
    }
}
