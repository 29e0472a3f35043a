package dev.switchboard.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.app.auth.ApiKey;
import dev.switchboard.app.auth.RouteClass;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code server.apiKeys}: plain keys with every right, and scoped keys inline, from files or from the environment. */
class ApiKeyConfigTest {
    @TempDir
    Path dir;

    private ServerSettingsView load(String yaml) {
        AppConfig config =
                ConfigLoader.withEnvironment(Map.of("CI_KEY", "ci-from-env")).load("config.yaml", yaml, dir);
        return new ServerSettingsView(config);
    }

    private record ServerSettingsView(AppConfig config) {
        ApiKey key(String name) {
            return config.server().allKeys().stream()
                    .filter(k -> k.name().equals(name))
                    .findFirst()
                    .orElseThrow();
        }
    }

    @Test
    void readsPlainKeysAsFullScopeAndScopedKeysInlineFromFilesAndFromTheEnvironment() throws IOException {
        Files.writeString(dir.resolve("ops.key"), "\nops-from-file\n");
        ServerSettingsView server = load("""
                server:
                  apiKeys:
                    - plain-key
                    - name: ci
                      key: ${env.CI_KEY}
                      models: ["qwen-*", "tiny?"]
                    - name: ops
                      keyFile: ops.key
                      admin: true
                """);

        assertThat(server.config().server().apiKeys()).containsExactly("plain-key");
        ApiKey ci = server.key("ci");
        assertThat(ci.secret()).isEqualTo("ci-from-env");
        assertThat(ci.scope().allowsModel("qwen-coder")).isTrue();
        assertThat(ci.scope().allowsModel("tiny1")).isTrue();
        assertThat(ci.scope().allowsModel("tiny12")).isFalse();
        assertThat(ci.scope().allowsModel("llama")).isFalse();
        assertThat(ci.scope().allows(RouteClass.INFERENCE)).isTrue();
        assertThat(ci.scope().allows(RouteClass.ADMIN)).isFalse();
        ApiKey ops = server.key("ops");
        assertThat(ops.secret()).isEqualTo("ops-from-file");
        assertThat(ops.scope().allows(RouteClass.ADMIN)).isTrue();
        assertThat(ops.scope().allowsModel("anything")).isTrue();
    }

    @Test
    void refusesAKeyWithBothAnInlineSecretAndAFile() {
        assertThatThrownBy(() -> load("""
                        server:
                          apiKeys:
                            - name: ci
                              key: a
                              keyFile: b
                        """))
                .hasMessage("config.yaml:3: server.apiKeys[0]: needs exactly one of 'key' and 'keyFile'");
    }

    @Test
    void namesTheMissingKeyFile() {
        assertThatThrownBy(() -> load("""
                        server:
                          apiKeys:
                            - name: ci
                              keyFile: nowhere.key
                        """))
                .hasMessageStartingWith("config.yaml:4: server.apiKeys[0].keyFile: cannot read key file");
    }
}
