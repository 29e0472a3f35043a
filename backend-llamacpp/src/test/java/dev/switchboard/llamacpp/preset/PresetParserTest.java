package dev.switchboard.llamacpp.preset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PresetParserTest {

    private static final Path FILE = Path.of("models.ini");

    private static PresetFile parse(String text) throws PresetException {
        return PresetParser.parse(FILE, text);
    }

    private static PresetOptions section(String text, String name) throws PresetException {
        return parse(text).section(name).orElseThrow().options();
    }

    @Test
    void starSectionHoldsTheDefaults() throws PresetException {
        PresetFile preset = parse("[*]\nc = 8192\n[a]\nmodel = /m/a.gguf\n");

        assertThat(preset.global().get(LlamaArgs.CTX_SIZE)).contains("8192");
        assertThat(preset.sections()).extracting(PresetSection::name).containsExactly("a");
    }

    @Test
    void keysMayBeLongNamesShortNamesOrEnvNames() throws PresetException {
        PresetOptions options = section("[a]\nctx-size = 1\nngl = 2\nLLAMA_ARG_UBATCH = 3\n", "a");

        assertThat(options.values())
                .containsEntry(LlamaArgs.CTX_SIZE, "1")
                .containsEntry(LlamaArgs.N_GPU_LAYERS, "2")
                .containsEntry(LlamaArgs.UBATCH_SIZE, "3");
    }

    @Test
    void laterKeysForTheSameOptionWin() throws PresetException {
        assertThat(section("[a]\nc = 1\nctx-size = 2\n", "a").get(LlamaArgs.CTX_SIZE))
                .contains("2");
    }

    @Test
    void semicolonAndHashStartComments() throws PresetException {
        PresetOptions options =
                section("; comment\n# comment\n[a]  ; trailing\nmodel = /m/a.gguf   # the file\nalias = x;y\n", "a");

        assertThat(options.get(LlamaArgs.MODEL)).contains("/m/a.gguf");
        assertThat(options.get(LlamaArgs.ALIAS)).contains("x");
    }

    @Test
    void valuesKeepInnerSpacesAndJson() throws PresetException {
        PresetOptions options = section("[a]\nchat-template-kwargs = {\"reasoning_effort\": \"high\"}\n", "a");

        assertThat(options.values().values()).containsExactly("{\"reasoning_effort\": \"high\"}");
    }

    @Test
    void versionKeyIsReservedAndSkipped() throws PresetException {
        PresetFile preset = parse("version = 1\n[a]\nversion = 2\nmodel = /m.gguf\n");

        assertThat(preset.sections()).extracting(PresetSection::name).containsExactly("a");
        assertThat(preset.section("a").orElseThrow().options().values()).hasSize(1);
    }

    @Test
    void keysBeforeAnySectionFormTheDefaultSection() throws PresetException {
        PresetFile preset = parse("model = /m.gguf\n[*]\nc = 1\n");

        assertThat(preset.section(PresetParser.DEFAULT_SECTION)
                        .orElseThrow()
                        .options()
                        .get(LlamaArgs.MODEL))
                .contains("/m.gguf");
    }

    @Test
    void booleansAcceptLlamaCppSpellings() throws PresetException {
        PresetOptions options = section(
                "[a]\njinja = on\nmetrics = enabled\nembeddings = 1\nswa-full = false\nmlock = off\nprops = 0\n", "a");

        assertThat(options.toArgs()).containsExactly("--jinja", "--metrics", "--embeddings");
    }

    @Test
    void negatedKeysSetTheOppositeOfTheirValue() throws PresetException {
        PresetOptions options = section("[a]\nno-mmap = true\nno-webui = false\n", "a");

        assertThat(options.values()).containsValues("false", "true");
        assertThat(options.toArgs()).containsExactly("--no-mmap", "--webui");
    }

    @Test
    void sectionsRememberTheirLine() throws PresetException {
        assertThat(parse("\n\n[a]\nmodel = /m.gguf\n")
                        .section("a")
                        .orElseThrow()
                        .line())
                .isEqualTo(3);
    }

    @Test
    void windowsAndOldMacLineEndingsWork() throws PresetException {
        assertThat(section("[a]\r\nc = 1\r\n", "a").get(LlamaArgs.CTX_SIZE)).contains("1");
        assertThat(section("[a]\rc = 2\r", "a").get(LlamaArgs.CTX_SIZE)).contains("2");
    }

    @Test
    void anUnknownKeyIsAnErrorNamingFileLineAndKey() {
        assertThatThrownBy(() -> parse("[a]\nmodel = /m.gguf\ncontext = 4096\n"))
                .isInstanceOfSatisfying(PresetException.class, e -> {
                    assertThat(e.file()).isEqualTo(FILE);
                    assertThat(e.line()).isEqualTo(3);
                    assertThat(e.key()).contains("context");
                })
                .hasMessage("models.ini:3: option 'context' not recognized in preset 'a'");
    }

    @Test
    void aFlagWithAnotherValueIsAnError() {
        assertThatThrownBy(() -> parse("[a]\njinja = yes\n"))
                .hasMessage(
                        "models.ini:2: option 'jinja' takes on/off, true/false, 1/0 or enabled/disabled, got 'yes'");
    }

    @Test
    void aLineThatIsNeitherSectionNorKeyIsAnError() {
        assertThatThrownBy(() -> parse("[a]\n--ctx-size = 4096\n"))
                .isInstanceOfSatisfying(
                        PresetException.class, e -> assertThat(e.key()).isEmpty())
                .hasMessage("models.ini:2: cannot parse line '--ctx-size = 4096'");
    }

    @Test
    void aRepeatedSectionIsAnError() {
        assertThatThrownBy(() -> parse("[a]\nc = 1\n[a]\n")).hasMessage("models.ini:3: section [a] appears twice");
    }

    @Test
    void aMissingFileIsAnError(@TempDir Path dir) {
        assertThatThrownBy(() -> PresetParser.parse(dir.resolve("none.ini")))
                .isInstanceOf(PresetException.class)
                .hasMessageEndingWith("none.ini: preset file does not exist");
    }

    @Test
    void readsAFileFromDisk(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("m.ini"), "[a]\nmodel = /m.gguf\n");

        assertThat(PresetParser.parse(file).path()).isEqualTo(file);
    }
}
