package dev.switchboard.llamacpp.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.spi.ModelDescriptor;
import dev.switchboard.llamacpp.discovery.CacheDirectories;
import dev.switchboard.llamacpp.discovery.HfCacheSource;
import dev.switchboard.llamacpp.discovery.HubCacheFixture;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HfDownloaderTest {

    private static final String REPO = "ggml-org/gemma-3-4b-it-GGUF";
    private static final String MAIN = HubCacheFixture.commit("main");
    private static final String NEXT = HubCacheFixture.commit("next");
    private static final String Q4 = "gemma-3-4b-it-Q4_K_M.gguf";
    private static final String Q8 = "gemma-3-4b-it-Q8_0.gguf";
    private static final String MMPROJ = "mmproj-model-f16.gguf";

    @TempDir
    Path temp;

    private final HttpClient http = HttpClient.newHttpClient();
    private FakeHub hub;
    private CacheDirectories cache;

    @BeforeEach
    void setUp() throws IOException {
        hub = new FakeHub();
        cache = CacheDirectories.of(temp.resolve("hub"));
    }

    @AfterEach
    void tearDown() {
        hub.close();
        http.close();
    }

    private HfDownloader downloader(Optional<String> token) {
        return new HfDownloader(new HubClient(hub.endpoint(), token, () -> http), cache);
    }

    private DownloadResult download(String model) throws IOException {
        return downloader(Optional.empty()).download(model, DownloadListener.NONE);
    }

    private List<String> listedIds() throws IOException {
        return new HfCacheSource(cache, "llama")
                .scan().stream().map(ModelDescriptor::id).toList();
    }

    private ModelDescriptor listed(String id) throws IOException {
        return new HfCacheSource(cache, "llama")
                .scan().stream().filter(m -> m.id().equals(id)).findFirst().orElseThrow();
    }

    private Path repoFolder() {
        return cache.hub().resolve("models--ggml-org--gemma-3-4b-it-GGUF");
    }

    private List<Path> filesUnder(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(p -> !Files.isDirectory(p)).toList();
        }
    }

    @Test
    void downloadsASingleFileQuantThatTheCacheThenListsUnderLlamaCppsId() throws IOException {
        hub.repo(REPO, MAIN).file(Q4, "q4 weights").file(Q8, "q8 weights").file("README.md", "# readme");

        DownloadResult result = download(REPO + ":Q4_K_M");

        assertThat(result.model()).isEqualTo(REPO + ":Q4_K_M");
        assertThat(result.commit()).isEqualTo(MAIN);
        assertThat(listedIds()).containsExactly(REPO + ":Q4_K_M");
        assertThat(listed(REPO + ":Q4_K_M").files()).containsExactlyElementsOf(result.files());
        assertThat(result.files())
                .singleElement()
                .satisfies(file -> assertThat(file).hasContent("q4 weights"));
    }

    @Test
    void writesTheHubCacheLayoutOfBlobsSnapshotLinksAndRef() throws IOException {
        FakeHub.Repo repo = hub.repo(REPO, MAIN).file(Q4, "q4 weights");

        download(REPO + ":Q4_K_M");

        Path link = repoFolder().resolve("snapshots").resolve(MAIN).resolve(Q4);
        assertThat(Files.readSymbolicLink(link)).isEqualTo(Path.of("../../blobs/" + repo.oid(Q4)));
        assertThat(repoFolder().resolve("blobs").resolve(repo.oid(Q4))).hasContent("q4 weights");
        assertThat(repoFolder().resolve("refs/main")).hasContent(MAIN);
    }

    @Test
    void downloadsEveryShardOfASplitModelAndItsProjector() throws IOException {
        String repoId = "unsloth/Kimi-K2-Instruct-GGUF";
        hub.repo(repoId, MAIN)
                .file("Q2_K/Kimi-K2-Instruct-Q2_K-00001-of-00002.gguf", "first half")
                .file("Q2_K/Kimi-K2-Instruct-Q2_K-00002-of-00002.gguf", "second half")
                .file("Q4_K_M/Kimi-K2-Instruct-Q4_K_M-00001-of-00002.gguf", "other quant")
                .file("mmproj-F16.gguf", "projector");

        DownloadResult result = download(repoId + ":Q2_K");

        assertThat(result.model()).isEqualTo(repoId + ":Q2_K");
        assertThat(result.files())
                .extracting(p -> p.getFileName().toString())
                .containsExactly(
                        "Kimi-K2-Instruct-Q2_K-00001-of-00002.gguf",
                        "Kimi-K2-Instruct-Q2_K-00002-of-00002.gguf",
                        "mmproj-F16.gguf");
        assertThat(listedIds()).containsExactly(repoId + ":Q2_K");
        ModelDescriptor model = listed(repoId + ":Q2_K");
        assertThat(model.files()).containsExactlyElementsOf(result.files());
        assertThat(model.args()).contains("--mmproj", result.files().get(2).toString());
    }

    @Test
    void withoutATagDownloadsLlamaCppsDefaultQuant() throws IOException {
        hub.repo(REPO, MAIN).file(Q8, "q8 weights").file(Q4, "q4 weights");

        assertThat(download(REPO).model()).isEqualTo(REPO + ":Q4_K_M");
    }

    @Test
    void sendsTheTokenAsABearerToEveryHubCall() throws IOException {
        hub.repo(REPO, MAIN).file(Q4, "q4 weights");
        hub.requireToken("hf_secret");

        downloader(Optional.of("hf_secret")).download(REPO + ":Q4_K_M", DownloadListener.NONE);

        assertThat(hub.requests())
                .hasSize(3)
                .allSatisfy(r -> assertThat(r.getHeaders().get("Authorization")).isEqualTo("Bearer hf_secret"));
    }

    @Test
    void aMissingTokenIsRefusedWith401() {
        hub.repo(REPO, MAIN).file(Q4, "q4 weights");
        hub.requireToken("hf_secret");

        assertThatThrownBy(() -> download(REPO + ":Q4_K_M"))
                .isInstanceOfSatisfying(
                        HubException.class, e -> assertThat(e.status()).isEqualTo(401))
                .hasMessageContaining(REPO + ":Q4_K_M")
                .hasMessageContaining("Invalid credentials");
    }

    @Test
    void theTokenStaysOnTheHubWhenADownloadRedirectsToStorage() throws IOException {
        try (FakeHub storage = new FakeHub()) {
            hub.repo(REPO, MAIN).file(Q4, "q4 weights");
            storage.repo(REPO, MAIN).file(Q4, "q4 weights");
            hub.redirectFilesTo(storage);

            DownloadResult result =
                    downloader(Optional.of("hf_secret")).download(REPO + ":Q4_K_M", DownloadListener.NONE);

            assertThat(result.files().get(0)).hasContent("q4 weights");
            assertThat(storage.requests())
                    .singleElement()
                    .satisfies(
                            r -> assertThat(r.getHeaders().get("Authorization")).isNull());
        }
    }

    @Test
    void resumesAnInterruptedDownloadFromWhereItBrokeOff() throws IOException {
        String content = "0123456789".repeat(1000);
        hub.repo(REPO, MAIN).file(Q4, content);
        hub.cutNextBodyOf(Q4);

        assertThatThrownBy(() -> download(REPO + ":Q4_K_M"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("broke off");
        List<Path> partial = filesUnder(repoFolder().resolve("blobs"));
        assertThat(partial)
                .singleElement()
                .satisfies(p -> assertThat(p.toString()).endsWith(".downloadInProgress"));
        long kept = Files.size(partial.get(0));
        assertThat(kept).isPositive().isLessThan(content.length());
        assertThat(listedIds()).isEmpty();

        DownloadResult result = download(REPO + ":Q4_K_M");

        assertThat(result.files().get(0)).hasContent(content);
        assertThat(result.downloadedBytes()).isEqualTo(content.length() - kept);
        assertThat(hub.requestsFor("/resolve/"))
                .last()
                .satisfies(r -> assertThat(r.getHeaders().get("Range")).isEqualTo("bytes=" + kept + "-"));
        assertThat(listedIds()).containsExactly(REPO + ":Q4_K_M");
    }

    @Test
    void startsOverWhenTheServerSendsTheWholeFileInsteadOfTheRange() throws IOException {
        String content = "0123456789".repeat(1000);
        hub.repo(REPO, MAIN).file(Q4, content);
        hub.cutNextBodyOf(Q4);
        assertThatThrownBy(() -> download(REPO + ":Q4_K_M")).isInstanceOf(IOException.class);
        hub.ignoreRanges();

        DownloadResult result = download(REPO + ":Q4_K_M");

        assertThat(result.files().get(0)).hasContent(content);
        assertThat(result.downloadedBytes()).isEqualTo(content.length());
    }

    @Test
    void aChecksumMismatchFailsWith502AndLeavesNothingBehind() throws IOException {
        hub.repo(REPO, MAIN).corruptFile(Q4, "tampered weights");

        assertThatThrownBy(() -> download(REPO + ":Q4_K_M"))
                .isInstanceOfSatisfying(
                        HubException.class, e -> assertThat(e.status()).isEqualTo(502))
                .hasMessageContaining("checksum mismatch for " + Q4);
        assertThat(filesUnder(repoFolder())).isEmpty();
        assertThat(listedIds()).isEmpty();
    }

    @Test
    void aFileKeptInGitIsCheckedAgainstItsGitHash() throws IOException {
        hub.repo(REPO, MAIN).gitFile("tiny-Q8_0.gguf", "small enough for git");

        DownloadResult result = download(REPO + ":Q8_0");

        assertThat(result.files().get(0)).hasContent("small enough for git");
    }

    @Test
    void anUnknownTagIs404NamingTheRepositoryTheTagAndWhatThereIs() {
        hub.repo(REPO, MAIN).file(Q4, "q4 weights").file(Q8, "q8 weights");

        assertThatThrownBy(() -> download(REPO + ":Q3_K_S"))
                .isInstanceOfSatisfying(
                        HubException.class, e -> assertThat(e.status()).isEqualTo(404))
                .hasMessageContaining(REPO + ":Q3_K_S")
                .hasMessageContaining("[Q4_K_M, Q8_0]");
    }

    @Test
    void anUnknownRepositoryIs404() {
        assertThatThrownBy(() -> download("nobody/nothing-GGUF:Q4_K_M"))
                .isInstanceOfSatisfying(
                        HubException.class, e -> assertThat(e.status()).isEqualTo(404))
                .hasMessageContaining("nobody/nothing-GGUF:Q4_K_M")
                .hasMessageContaining("Repository not found");
    }

    @Test
    void aMalformedReferenceIs400WithoutCallingTheHub() {
        assertThatThrownBy(() -> download("no-slash:Q4_K_M"))
                .isInstanceOfSatisfying(
                        HubException.class, e -> assertThat(e.status()).isEqualTo(400));
        assertThat(hub.requests()).isEmpty();
    }

    @Test
    void aCachedModelIsNotFetchedAgain() throws IOException {
        hub.repo(REPO, MAIN).file(Q4, "q4 weights");
        download(REPO + ":Q4_K_M");

        DownloadResult again = download(REPO + ":Q4_K_M");

        assertThat(again.downloadedBytes()).isZero();
        assertThat(hub.requestsFor("/resolve/")).hasSize(1);
    }

    @Test
    void concurrentDownloadsOfOneModelFetchItOnce() throws Exception {
        hub.repo(REPO, MAIN).file(Q4, "q4 weights");
        HfDownloader downloader = downloader(Optional.empty());

        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<DownloadResult>> results = List.of(
                    threads.submit(() -> downloader.download(REPO + ":Q4_K_M", DownloadListener.NONE)),
                    threads.submit(() -> downloader.download(REPO + ":Q4_K_M", DownloadListener.NONE)));
            for (Future<DownloadResult> result : results) {
                assertThat(result.get().files().get(0)).hasContent("q4 weights");
            }
        }
        assertThat(hub.requestsFor("/resolve/")).hasSize(1);
    }

    @Test
    void readsEveryPageOfALongFileListing() throws IOException {
        hub.repo(REPO, MAIN).file("a-F16.gguf", "a").file("b-F32.gguf", "b").file(Q4, "q4 weights");
        hub.pageTreesBy(1);

        assertThat(download(REPO + ":Q4_K_M").model()).isEqualTo(REPO + ":Q4_K_M");
        assertThat(hub.requestsFor("/tree/")).hasSize(3);
    }

    @Test
    void quantsFromAnEarlierCommitStayListedWhenTheRepositoryMovesOn() throws IOException {
        FakeHub.Repo repo = hub.repo(REPO, MAIN).file(Q4, "q4 weights").file(Q8, "q8 weights");
        download(REPO + ":Q4_K_M");
        repo.commit(NEXT);

        download(REPO + ":Q8_0");

        assertThat(repoFolder().resolve("refs/main")).hasContent(NEXT);
        assertThat(listedIds()).containsExactly(REPO + ":Q4_K_M", REPO + ":Q8_0");
        assertThat(hub.requestsFor("/resolve/")).hasSize(2);
    }

    @Test
    void reportsProgressPerFileAndTheFinishedFiles() throws IOException {
        hub.repo(REPO, MAIN).file(Q4, "q4 weights").file(MMPROJ, "projector");
        List<String> events = new CopyOnWriteArrayList<>();
        DownloadListener listener = new DownloadListener() {
            @Override
            public void progress(String model, String file, long done, long total) {
                events.add(model + " " + file + " " + done + "/" + total);
            }

            @Override
            public void finished(String model, List<Path> files) {
                events.add(model + " finished " + files.size());
            }
        };

        downloader(Optional.empty()).download(REPO + ":Q4_K_M", listener);

        assertThat(events)
                .startsWith(REPO + ":Q4_K_M " + Q4 + " 0/10")
                .contains(REPO + ":Q4_K_M " + Q4 + " 10/10", REPO + ":Q4_K_M " + MMPROJ + " 9/9")
                .endsWith(REPO + ":Q4_K_M finished 2");
    }

    @Test
    void deletingAModelRemovesItsFilesButKeepsWhatOtherModelsUse() throws IOException {
        FakeHub.Repo repo = hub.repo(REPO, MAIN)
                .file(Q4, "q4 weights")
                .file(Q8, "q8 weights")
                .file(MMPROJ, "proj");
        download(REPO + ":Q4_K_M");
        download(REPO + ":Q8_0");

        assertThat(downloader(Optional.empty()).delete(REPO + ":Q8_0")).isTrue();

        assertThat(listedIds()).containsExactly(REPO + ":Q4_K_M");
        assertThat(repoFolder().resolve("blobs").resolve(repo.oid(Q8))).doesNotExist();
        assertThat(listed(REPO + ":Q4_K_M").files())
                .allSatisfy(f -> assertThat(f).exists());
    }

    @Test
    void deletingTheLastModelRemovesTheRepositoryFolder() throws IOException {
        hub.repo(REPO, MAIN).file(Q4, "q4 weights").file(MMPROJ, "proj");
        download(REPO + ":Q4_K_M");

        assertThat(downloader(Optional.empty()).delete(REPO + ":Q4_K_M")).isTrue();

        assertThat(repoFolder()).doesNotExist();
        assertThat(listedIds()).isEmpty();
    }

    @Test
    void deletingWithoutATagRemovesTheWholeRepository() throws IOException {
        hub.repo(REPO, MAIN).file(Q4, "q4 weights").file(Q8, "q8 weights");
        download(REPO + ":Q4_K_M");
        download(REPO + ":Q8_0");

        assertThat(downloader(Optional.empty()).delete(REPO)).isTrue();

        assertThat(repoFolder()).doesNotExist();
    }

    @Test
    void deletingAModelWhoseDownloadNeverFinishedClearsWhatItLeft() throws IOException {
        hub.repo(REPO, MAIN).file(Q4, "0123456789".repeat(1000));
        hub.cutNextBodyOf(Q4);
        assertThatThrownBy(() -> download(REPO + ":Q4_K_M")).isInstanceOf(IOException.class);

        assertThat(downloader(Optional.empty()).delete(REPO + ":Q4_K_M")).isTrue();

        assertThat(repoFolder()).doesNotExist();
    }

    @Test
    void deletingAModelThatIsNotCachedReportsNothingDeleted() throws IOException {
        hub.repo(REPO, MAIN).file(Q4, "q4 weights");
        download(REPO + ":Q4_K_M");

        assertThat(downloader(Optional.empty()).delete(REPO + ":Q8_0")).isFalse();
        assertThat(downloader(Optional.empty()).delete("other/repo:Q4_K_M")).isFalse();
        assertThat(listedIds()).containsExactly(REPO + ":Q4_K_M");
    }

    @Test
    void requestsAreTheOnesLlamaCppMakes() throws IOException {
        hub.repo(REPO, MAIN).file(Q4, "q4 weights");

        download(REPO + ":Q4_K_M");

        assertThat(hub.requests())
                .extracting(RecordedRequest::getTarget)
                .containsExactly(
                        "/api/models/" + REPO + "/refs",
                        "/api/models/" + REPO + "/tree/" + MAIN + "?recursive=true",
                        "/" + REPO + "/resolve/" + MAIN + "/" + Q4);
    }
}
