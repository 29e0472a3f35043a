package dev.switchboard.llamacpp.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.spi.ModelDescriptor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HfCacheSourceTest {

    private static final String MAIN = HubCacheFixture.commit("main");

    @TempDir
    Path temp;

    private HubCacheFixture cache;
    private Path legacy;

    @BeforeEach
    void setUp() throws IOException {
        cache = new HubCacheFixture(Files.createDirectories(temp.resolve("hub")));
        legacy = Files.createDirectories(temp.resolve("llama.cpp"));
    }

    private List<ModelDescriptor> scan() throws IOException {
        return new HfCacheSource(new CacheDirectories(cache.hub(), legacy), "llama").scan();
    }

    private ModelDescriptor model(String id) throws IOException {
        return scan().stream().filter(m -> m.id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void listsEachQuantizationAsRepoColonTag() throws IOException {
        HubCacheFixture.Repo repo = cache.repo("ggml-org/gemma-3-4b-it-GGUF").ref("main", MAIN);
        repo.file(MAIN, "gemma-3-4b-it-Q4_K_M.gguf", "q4");
        repo.file(MAIN, "gemma-3-4b-it-Q8_0.gguf", "q8");
        repo.file(MAIN, "mmproj-model-f16.gguf", "proj");
        repo.file(MAIN, "README.md", "# readme");

        assertThat(scan())
                .extracting(ModelDescriptor::id)
                .containsExactly("ggml-org/gemma-3-4b-it-GGUF:Q4_K_M", "ggml-org/gemma-3-4b-it-GGUF:Q8_0");
    }

    @Test
    void loadsTheSnapshotFilesThroughTheirLinksIntoBlobs() throws IOException {
        HubCacheFixture.Repo repo = cache.repo("ggml-org/gemma-3-4b-it-GGUF").ref("main", MAIN);
        Path model = repo.file(MAIN, "gemma-3-4b-it-Q4_K_M.gguf", "four");
        Path mmproj = repo.file(MAIN, "mmproj-model-f16.gguf", "12345678");

        ModelDescriptor descriptor = model("ggml-org/gemma-3-4b-it-GGUF:Q4_K_M");

        assertThat(descriptor.source()).isEqualTo("ggml-org/gemma-3-4b-it-GGUF:Q4_K_M");
        assertThat(descriptor.files()).containsExactly(model, mmproj);
        assertThat(descriptor.args()).containsExactly("--model", model.toString(), "--mmproj", mmproj.toString());
        assertThat(descriptor.metadata())
                .containsEntry(ModelMetadata.ORIGIN, ModelMetadata.CACHE)
                .containsEntry(ModelMetadata.HF_REPO, "ggml-org/gemma-3-4b-it-GGUF")
                .containsEntry(ModelMetadata.HF_FILE, "gemma-3-4b-it-Q4_K_M.gguf")
                .containsEntry(ModelMetadata.QUANTIZATION, "Q4_K_M")
                .containsEntry(ModelMetadata.SIZE_BYTES, 12L);
    }

    @Test
    void listsASplitModelOnceWithAllItsShards() throws IOException {
        HubCacheFixture.Repo repo = cache.repo("unsloth/Kimi-K2-Instruct-GGUF").ref("main", MAIN);
        Path first = repo.file(MAIN, "Q2_K/Kimi-K2-Instruct-Q2_K-00001-of-00003.gguf", "a");
        Path second = repo.file(MAIN, "Q2_K/Kimi-K2-Instruct-Q2_K-00002-of-00003.gguf", "b");
        Path third = repo.file(MAIN, "Q2_K/Kimi-K2-Instruct-Q2_K-00003-of-00003.gguf", "c");

        assertThat(scan()).singleElement().satisfies(m -> {
            assertThat(m.id()).isEqualTo("unsloth/Kimi-K2-Instruct-GGUF:Q2_K");
            assertThat(m.files()).containsExactly(first, second, third);
            assertThat(m.args()).containsExactly("--model", first.toString());
        });
    }

    @Test
    void tagsAreUpperCased() throws IOException {
        cache.repo("TheBloke/Mistral-7B-GGUF").ref("main", MAIN).file(MAIN, "mistral-7b.q5_k_m.gguf", "x");

        assertThat(scan()).extracting(ModelDescriptor::id).containsExactly("TheBloke/Mistral-7B-GGUF:Q5_K_M");
    }

    @Test
    void sideFilesAndUntaggedFilesAreNotModels() throws IOException {
        HubCacheFixture.Repo repo = cache.repo("org/model-GGUF").ref("main", MAIN);
        repo.file(MAIN, "mmproj-F16.gguf", "x");
        repo.file(MAIN, "mtp-model-Q8_0.gguf", "x");
        repo.file(MAIN, "eagle3-model-F16.gguf", "x");
        repo.file(MAIN, "imatrix.gguf", "x");
        repo.file(MAIN, "model.gguf", "x");

        assertThat(scan()).isEmpty();
    }

    @Test
    void readsTheCommitThatRefsMainNames() throws IOException {
        String old = HubCacheFixture.commit("old");
        HubCacheFixture.Repo repo =
                cache.repo("org/model-GGUF").ref("main", MAIN).ref("v1", old);
        repo.file(old, "model-Q4_0.gguf", "old");
        repo.file(MAIN, "model-Q6_K.gguf", "new");

        assertThat(scan()).extracting(ModelDescriptor::id).containsExactly("org/model-GGUF:Q6_K");
    }

    @Test
    void withoutMainTheFirstValidRefIsRead() throws IOException {
        String release = HubCacheFixture.commit("release");
        HubCacheFixture.Repo repo =
                cache.repo("org/model-GGUF").ref("a-broken", "not-a-commit").ref("release", release);
        repo.file(release, "model-Q4_0.gguf", "x");

        assertThat(scan()).extracting(ModelDescriptor::id).containsExactly("org/model-GGUF:Q4_0");
    }

    @Test
    void foldersThatAreNotModelRepositoriesAreSkipped() throws IOException {
        Files.createDirectories(cache.hub().resolve(".locks/models--org--model-GGUF"));
        Files.createDirectories(cache.hub().resolve("datasets--org--data/snapshots"));
        cache.repo("solo").ref("main", MAIN).file(MAIN, "model-Q4_0.gguf", "x");
        cache.repo("org/no-snapshot-GGUF").ref("main", MAIN);

        assertThat(scan()).isEmpty();
    }

    @Test
    void theProjectorComesFromTheModelsFolderOrAParent() throws IOException {
        HubCacheFixture.Repo repo = cache.repo("org/vision-GGUF").ref("main", MAIN);
        Path model = repo.file(MAIN, "Q4_K_M/vision-Q4_K_M.gguf", "m");
        Path rootProjector = repo.file(MAIN, "mmproj-F16.gguf", "p");
        repo.file(MAIN, "BF16/mmproj-BF16.gguf", "p");

        assertThat(model("org/vision-GGUF:Q4_K_M").files()).containsExactly(model, rootProjector);
    }

    @Test
    void theProjectorClosestInBitsToTheModelWins() throws IOException {
        HubCacheFixture.Repo repo = cache.repo("org/vision-GGUF").ref("main", MAIN);
        repo.file(MAIN, "vision-Q8_0.gguf", "m");
        repo.file(MAIN, "mmproj-vision-F16.gguf", "p");
        Path q8 = repo.file(MAIN, "mmproj-vision-Q8_0.gguf", "p");

        assertThat(model("org/vision-GGUF:Q8_0").files()).endsWith(q8);
    }

    @Test
    void readsTheLegacyFlatCache() throws IOException {
        Files.writeString(legacy.resolve("manifest=ggml-org=gemma-3-4b-it-GGUF=Q4_K_M.json"), """
                {"ggufFile": {"rfilename": "gemma-3-4b-it-Q4_K_M.gguf"},
                 "mmprojFile": {"rfilename": "mmproj-model-f16.gguf"}}
                """);
        Path model = Files.writeString(legacy.resolve("ggml-org_gemma-3-4b-it-GGUF_gemma-3-4b-it-Q4_K_M.gguf"), "m");
        Path mmproj = Files.writeString(legacy.resolve("ggml-org_gemma-3-4b-it-GGUF_mmproj-model-f16.gguf"), "p");

        assertThat(scan()).singleElement().satisfies(m -> {
            assertThat(m.id()).isEqualTo("ggml-org/gemma-3-4b-it-GGUF:Q4_K_M");
            assertThat(m.files()).containsExactly(model, mmproj);
        });
    }

    @Test
    void theLegacyLatestTagIsLeftOutOfTheId() throws IOException {
        Files.writeString(
                legacy.resolve("manifest=org=tiny-GGUF=latest.json"),
                "{\"ggufFile\":{\"rfilename\":\"tiny-Q8_0.gguf\"}}");
        Files.writeString(legacy.resolve("org_tiny-GGUF_tiny-Q8_0.gguf"), "m");

        assertThat(scan()).extracting(ModelDescriptor::id).containsExactly("org/tiny-GGUF");
    }

    @Test
    void legacyManifestsWithoutTheirFileOrUnreadableAreSkipped() throws IOException {
        Files.writeString(
                legacy.resolve("manifest=org=gone-GGUF=Q4_0.json"),
                "{\"ggufFile\":{\"rfilename\":\"gone-Q4_0.gguf\"}}");
        Files.writeString(legacy.resolve("manifest=org=broken-GGUF=Q4_0.json"), "{not json");

        assertThat(scan()).isEmpty();
    }

    @Test
    void aModelInBothLayoutsIsListedOnceFromTheHub() throws IOException {
        Path hubFile = cache.repo("org/m-GGUF").ref("main", MAIN).file(MAIN, "m-Q4_0.gguf", "hub");
        Files.writeString(
                legacy.resolve("manifest=org=m-GGUF=Q4_0.json"), "{\"ggufFile\":{\"rfilename\":\"m-Q4_0.gguf\"}}");
        Files.writeString(legacy.resolve("org_m-GGUF_m-Q4_0.gguf"), "legacy");

        assertThat(scan()).singleElement().satisfies(m -> assertThat(m.files()).containsExactly(hubFile));
    }

    @Test
    void aMissingCacheListsNothing() throws IOException {
        HfCacheSource source = new HfCacheSource(CacheDirectories.of(temp.resolve("nowhere")), "llama");

        assertThat(source.scan()).isEmpty();
    }

    @Test
    void resolvesAReferenceWithoutTagToQ4KmFirst() throws IOException {
        HubCacheFixture.Repo repo = cache.repo("org/m-GGUF").ref("main", MAIN);
        repo.file(MAIN, "m-Q2_K.gguf", "x");
        repo.file(MAIN, "m-Q4_K_M.gguf", "x");
        repo.file(MAIN, "m-Q8_0.gguf", "x");

        Optional<ModelDescriptor> resolved =
                HfCacheSource.resolve(scan(), HfReference.parse("org/m-GGUF"), Optional.empty());

        assertThat(resolved).map(ModelDescriptor::id).contains("org/m-GGUF:Q4_K_M");
    }

    @Test
    void resolvesATagIgnoringCaseAndAFileByPath() throws IOException {
        HubCacheFixture.Repo repo = cache.repo("org/m-GGUF").ref("main", MAIN);
        repo.file(MAIN, "m-Q4_K_M.gguf", "x");
        repo.file(MAIN, "m-Q8_0.gguf", "x");
        List<ModelDescriptor> cached = scan();

        assertThat(HfCacheSource.resolve(cached, HfReference.parse("org/m-GGUF:q8_0"), Optional.empty()))
                .map(ModelDescriptor::id)
                .contains("org/m-GGUF:Q8_0");
        assertThat(HfCacheSource.resolve(cached, HfReference.parse("org/m-GGUF"), Optional.of("m-Q8_0.gguf")))
                .map(ModelDescriptor::id)
                .contains("org/m-GGUF:Q8_0");
        assertThat(HfCacheSource.resolve(cached, HfReference.parse("org/m-GGUF:IQ1_S"), Optional.empty()))
                .isEmpty();
    }
}
