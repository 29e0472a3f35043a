package dev.switchboard.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.switchboard.core.resilience.ResilienceConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code resilience:} section: circuit breaker settings with defaults and per-model overrides. */
class ResilienceConfigTest {
    @TempDir
    Path dir;

    private ResilienceConfig load(String yaml) {
        return ConfigLoader.withEnvironment(Map.of())
                .load("config.yaml", yaml, dir)
                .gateway()
                .resilience();
    }

    @Test
    void withoutTheSectionEveryModelGetsTheDocumentedDefaults() {
        ResilienceConfig config = load("");

        assertThat(config).isEqualTo(ResilienceConfig.ofDefaults());
        assertThat(config.failureRateThreshold()).isEqualTo(50);
        assertThat(config.slidingWindowSize()).isEqualTo(10);
        assertThat(config.minimumNumberOfCalls()).isEqualTo(4);
        assertThat(config.waitInOpenState()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.permittedCallsInHalfOpenState()).isEqualTo(1);
    }

    @Test
    void readsSettingsAndPerModelOverridesThatInheritTheRest() {
        ResilienceConfig config = load("""
                resilience:
                  failureRateThreshold: 25
                  minimumNumberOfCalls: 2
                  waitInOpenState: 30s
                  models:
                    qwen:
                      waitInOpenState: 2m
                """);

        assertThat(config.forModel("other").failureRateThreshold()).isEqualTo(25);
        assertThat(config.forModel("other").waitInOpenState()).isEqualTo(Duration.ofSeconds(30));
        ResilienceConfig qwen = config.forModel("qwen");
        assertThat(qwen.waitInOpenState()).isEqualTo(Duration.ofMinutes(2));
        assertThat(qwen.failureRateThreshold()).isEqualTo(25);
        assertThat(qwen.minimumNumberOfCalls()).isEqualTo(2);
    }

    @Test
    void aBadValueNamesFileLineAndKey() {
        ConfigException e = catchThrowableOfType(
                ConfigException.class,
                () -> load("resilience:\n  models:\n    qwen:\n      failureRateThreshold: 150\n"));

        assertThat(e.file()).isEqualTo("config.yaml");
        assertThat(e.line()).isEqualTo(4);
        assertThat(e.key()).isEqualTo("resilience.models.qwen.failureRateThreshold");
    }

    @Test
    void anUnknownKeyIsRejected() {
        ConfigException e =
                catchThrowableOfType(ConfigException.class, () -> load("resilience:\n  waitDuration: 5s\n"));

        assertThat(e.getMessage()).startsWith("config.yaml:2: resilience.waitDuration: unknown key");
    }
}
