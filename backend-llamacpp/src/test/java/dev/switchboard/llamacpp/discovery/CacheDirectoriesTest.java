package dev.switchboard.llamacpp.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CacheDirectoriesTest {

    private static final Path HOME = Path.of("/home/fallback");

    private static CacheDirectories resolve(Map<String, String> env) {
        return CacheDirectories.resolve(env, HOME);
    }

    @Test
    void defaultsUnderTheHomeDirectory() {
        assertThat(resolve(Map.of()))
                .isEqualTo(new CacheDirectories(
                        Path.of("/home/fallback/.cache/huggingface/hub"), Path.of("/home/fallback/.cache/llama.cpp")));
    }

    @Test
    void homeVariableWinsOverTheGivenHome() {
        assertThat(resolve(Map.of("HOME", "/home/me")).hub()).isEqualTo(Path.of("/home/me/.cache/huggingface/hub"));
    }

    @Test
    void llamaCacheHoldsBothLayouts() {
        Map<String, String> env = Map.of("LLAMA_CACHE", "/models", "HF_HUB_CACHE", "/hub", "XDG_CACHE_HOME", "/xdg");

        assertThat(resolve(env)).isEqualTo(CacheDirectories.of(Path.of("/models")));
    }

    @Test
    void hubCacheVariablesComeBeforeHfHome() {
        assertThat(resolve(Map.of("HF_HUB_CACHE", "/a", "HUGGINGFACE_HUB_CACHE", "/b", "HF_HOME", "/c"))
                        .hub())
                .isEqualTo(Path.of("/a"));
        assertThat(resolve(Map.of("HUGGINGFACE_HUB_CACHE", "/b", "HF_HOME", "/c"))
                        .hub())
                .isEqualTo(Path.of("/b"));
    }

    @Test
    void hfHomeHoldsTheHubInItsHubFolder() {
        assertThat(resolve(Map.of("HF_HOME", "/hf", "XDG_CACHE_HOME", "/xdg")).hub())
                .isEqualTo(Path.of("/hf/hub"));
    }

    @Test
    void xdgCacheHomeHoldsBothCaches() {
        CacheDirectories dirs = resolve(Map.of("XDG_CACHE_HOME", "/xdg", "HOME", "/home/me"));

        assertThat(dirs).isEqualTo(new CacheDirectories(Path.of("/xdg/huggingface/hub"), Path.of("/xdg/llama.cpp")));
    }

    @Test
    void emptyVariablesCountAsUnset() {
        assertThat(resolve(Map.of("LLAMA_CACHE", "", "HF_HUB_CACHE", "", "HOME", "/home/me")))
                .isEqualTo(new CacheDirectories(
                        Path.of("/home/me/.cache/huggingface/hub"), Path.of("/home/me/.cache/llama.cpp")));
    }
}
