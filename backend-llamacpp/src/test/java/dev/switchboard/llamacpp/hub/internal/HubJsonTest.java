package dev.switchboard.llamacpp.hub.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class HubJsonTest {

    private static final String A = "a".repeat(40);
    private static final String B = "b".repeat(40);
    private static final String SHA256 = "c".repeat(64);

    @Test
    void theMainBranchIsPreferred() throws IOException {
        String refs = """
                {"branches": [
                  {"name": "dev", "ref": "refs/heads/dev", "targetCommit": "%s"},
                  {"name": "main", "ref": "refs/heads/main", "targetCommit": "%s"}],
                 "tags": [], "converts": []}
                """.formatted(A, B);

        assertThat(HubJson.branch(refs)).contains(new Branch("main", B));
    }

    @Test
    void withoutMainTheFirstUsableBranchIsTaken() throws IOException {
        String refs = """
                {"branches": [
                  {"name": "../escape", "targetCommit": "%s"},
                  {"name": "dev", "targetCommit": "not-a-commit"},
                  {"name": "release", "targetCommit": "%s"}]}
                """.formatted(A, B);

        assertThat(HubJson.branch(refs)).contains(new Branch("release", B));
    }

    @Test
    void filesCarryTheLfsHashWhenStoredInLfsElseTheGitHash() throws IOException {
        String tree = """
                [{"type": "directory", "oid": "%s", "size": 0, "path": "Q4_K_M"},
                 {"type": "file", "oid": "%s", "size": 42, "path": "README.md"},
                 {"type": "file", "oid": "%s", "size": 7, "path": "Q4_K_M/m-Q4_K_M.gguf",
                  "lfs": {"oid": "%s", "size": 7, "pointerSize": 134}}]
                """.formatted(A, B, A, SHA256.toUpperCase());

        assertThat(HubJson.files(tree))
                .containsExactly(
                        new RepoFile("README.md", 42, B, false), new RepoFile("Q4_K_M/m-Q4_K_M.gguf", 7, SHA256, true));
    }

    @Test
    void filesThatWouldLandOutsideTheSnapshotOrLackAHashAreSkipped() throws IOException {
        String tree = """
                [{"type": "file", "oid": "%s", "size": 1, "path": "../../blobs/evil.gguf"},
                 {"type": "file", "oid": "%s", "size": 1, "path": "/etc/evil.gguf"},
                 {"type": "file", "oid": "short", "size": 1, "path": "no-hash.gguf"},
                 {"type": "file", "oid": "%s", "size": 1, "path": "fine-Q8_0.gguf"}]
                """.formatted(A, A, A);

        assertThat(HubJson.files(tree)).extracting(RepoFile::path).containsExactly("fine-Q8_0.gguf");
    }

    @Test
    void theHubsErrorMessageIsReadWhenThereIsOne() {
        assertThat(HubJson.error("{\"error\": \"Repository not found\"}")).contains("Repository not found");
        assertThat(HubJson.error("<html>Bad gateway</html>")).isEmpty();
    }
}
