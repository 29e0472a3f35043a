package dev.switchboard.llamacpp.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RepoFileChoiceTest {

    private static final List<String> GEMMA = List.of(
            ".gitattributes",
            "README.md",
            "gemma-3-4b-it-Q4_K_M.gguf",
            "gemma-3-4b-it-Q8_0.gguf",
            "gemma-3-4b-it-UD-Q4_K_XL.gguf",
            "mmproj-model-f16.gguf");

    private static final List<String> KIMI = List.of(
            "Q2_K/Kimi-K2-Instruct-Q2_K-00001-of-00002.gguf",
            "Q2_K/Kimi-K2-Instruct-Q2_K-00002-of-00002.gguf",
            "Q4_K_M/Kimi-K2-Instruct-Q4_K_M-00001-of-00003.gguf",
            "Q4_K_M/Kimi-K2-Instruct-Q4_K_M-00002-of-00003.gguf",
            "Q4_K_M/Kimi-K2-Instruct-Q4_K_M-00003-of-00003.gguf");

    @Test
    void aTagPicksTheFileNamedWithItIgnoringCase() {
        assertThat(RepoFileChoice.model(GEMMA, "q8_0")).contains("gemma-3-4b-it-Q8_0.gguf");
    }

    @Test
    void aTagMayNameMoreThanTheLastWordOfTheFileName() {
        assertThat(RepoFileChoice.model(GEMMA, "UD-Q4_K_XL")).contains("gemma-3-4b-it-UD-Q4_K_XL.gguf");
    }

    @Test
    void withoutATagQ4KmIsPreferred() {
        assertThat(RepoFileChoice.model(GEMMA, "")).contains("gemma-3-4b-it-Q4_K_M.gguf");
    }

    @Test
    void withoutATagOrADefaultQuantTheFirstModelFileIsTaken() {
        List<String> files = List.of("mmproj-F16.gguf", "tiny-F32.gguf", "tiny-BF16.gguf");

        assertThat(RepoFileChoice.model(files, "")).contains("tiny-F32.gguf");
    }

    @Test
    void anUnknownTagPicksNothing() {
        assertThat(RepoFileChoice.model(GEMMA, "Q2_K")).isEmpty();
    }

    @Test
    void aSplitModelIsPickedByItsFirstShard() {
        assertThat(RepoFileChoice.model(KIMI, "Q4_K_M")).contains("Q4_K_M/Kimi-K2-Instruct-Q4_K_M-00001-of-00003.gguf");
    }

    @Test
    void projectorsAndImatrixFilesAreNeverTheModel() {
        List<String> files = List.of("mmproj-F16.gguf", "imatrix-F16.gguf", "model-F16.gguf");

        assertThat(RepoFileChoice.model(files, "F16")).contains("model-F16.gguf");
    }

    @Test
    void shardsAreTheFilesSharingTheFirstShardsPrefixAndCount() {
        assertThat(RepoFileChoice.shards(KIMI, "Q4_K_M/Kimi-K2-Instruct-Q4_K_M-00001-of-00003.gguf"))
                .containsExactly(
                        "Q4_K_M/Kimi-K2-Instruct-Q4_K_M-00001-of-00003.gguf",
                        "Q4_K_M/Kimi-K2-Instruct-Q4_K_M-00002-of-00003.gguf",
                        "Q4_K_M/Kimi-K2-Instruct-Q4_K_M-00003-of-00003.gguf");
    }

    @Test
    void anUnsplitModelIsItsOwnOnlyShard() {
        assertThat(RepoFileChoice.shards(GEMMA, "gemma-3-4b-it-Q8_0.gguf")).containsExactly("gemma-3-4b-it-Q8_0.gguf");
    }

    @Test
    void theProjectorClosestInBitsToTheModelIsPaired() {
        List<String> files = List.of("mmproj-F16.gguf", "mmproj-Q8_0.gguf", "model-Q8_0.gguf");

        assertThat(RepoFileChoice.projector(files, "model-Q8_0.gguf")).contains("mmproj-Q8_0.gguf");
    }

    @Test
    void aProjectorInAnotherFolderIsNotPaired() {
        List<String> files = List.of("vision/mmproj-F16.gguf", "model-Q8_0.gguf");

        assertThat(RepoFileChoice.projector(files, "model-Q8_0.gguf")).isEmpty();
    }

    @Test
    void theListingShowsTaggedFirstShardsThatAreNotSideFiles() {
        assertThat(RepoFileChoice.isListedModel("gemma-3-4b-it-Q4_K_M.gguf")).isTrue();
        assertThat(RepoFileChoice.isListedModel("Q2_K/Kimi-K2-Instruct-Q2_K-00001-of-00002.gguf"))
                .isTrue();
        assertThat(RepoFileChoice.isListedModel("Q2_K/Kimi-K2-Instruct-Q2_K-00002-of-00002.gguf"))
                .isFalse();
        assertThat(RepoFileChoice.isListedModel("mmproj-model-f16.gguf")).isFalse();
        assertThat(RepoFileChoice.isListedModel("model.gguf")).isFalse();
    }
}
