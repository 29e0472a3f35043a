package dev.switchboard.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every kind of bad configuration fails with one message naming the file, the line and the key. */
class ConfigErrorsTest {
    @TempDir
    Path dir;

    private String error(String yaml) {
        ConfigException e = catchThrowableOfType(
                ConfigException.class,
                () -> ConfigLoader.withEnvironment(Map.of()).load("config.yaml", yaml, dir));
        assertThat(e).as("no error for:%n%s", yaml).isNotNull();
        return e.getMessage();
    }

    @Test
    void namesFileLineAndKeyOfAWordWhereANumberBelongs() {
        assertThat(error("""
                        server:
                          port: 8080
                        scheduler:
                          maxLoaded: four
                        """)).isEqualTo("config.yaml:4: scheduler.maxLoaded: must be a number, got 'four'");
    }

    @Test
    void exposesFileLineAndKeySeparately() {
        ConfigException e = catchThrowableOfType(
                ConfigException.class,
                () -> ConfigLoader.withEnvironment(Map.of()).load("config.yaml", "scheduler:\n  idleTtl: soon\n", dir));

        assertThat(e.file()).isEqualTo("config.yaml");
        assertThat(e.line()).isEqualTo(2);
        assertThat(e.key()).isEqualTo("scheduler.idleTtl");
        assertThat(e.problem()).isEqualTo("must be a duration such as 30s, 5m or 1h, got 'soon'");
    }

    @Test
    void rejectsUnknownTopLevelKey() {
        assertThat(error("server: {}\nschedular:\n  maxLoaded: 2\n"))
                .isEqualTo("config.yaml:2: schedular: unknown key; expected one of: server, scheduler, gpus,"
                        + " backends, models, activity, resilience, tools");
    }

    @Test
    void rejectsUnknownKeyInsideASection() {
        assertThat(error("scheduler:\n  queue:\n    maxWaiting: 5\n    length: 9\n"))
                .isEqualTo("config.yaml:4: scheduler.queue.length: unknown key; expected one of: maxWaiting,"
                        + " timeout");
    }

    @Test
    void rejectsUnknownModelKeyPointingToOptions() {
        assertThat(error("""
                        backends:
                          vllm: { type: vllm }
                        models:
                          qwen:
                            source: Qwen/Qwen2.5-7B
                            tensorParallel: 2
                        """))
                .startsWith("config.yaml:6: models.qwen.tensorParallel: unknown key; expected one of: backend,")
                .endsWith(", options");
    }

    @Test
    void requiresABackendType() {
        assertThat(error("backends:\n  llama:\n    binary: llama-server\n"))
                .isEqualTo("config.yaml:3: backends.llama.type: is required");
    }

    @Test
    void rejectsAModelNamingAnUnconfiguredBackend() {
        assertThat(error("""
                        backends:
                          a: { type: command }
                          b: { type: command }
                        models:
                          m:
                            backend: c
                        """)).isEqualTo("config.yaml:6: models.m.backend: no backend named 'c' (configured: a, b)");
    }

    @Test
    void requiresTheBackendWhenThereAreSeveral() {
        assertThat(error("""
                        backends:
                          a: { type: command }
                          b: { type: command }
                        models:
                          m:
                            cmd: run
                        """)).isEqualTo("config.yaml:6: models.m.backend: is required");
    }

    private String modelOptionError(String options) {
        return error("""
                backends:
                  run: { type: command }
                models:
                  m:
                    cmd: serve
                    options:
                """ + options.indent(6));
    }

    @Test
    void rejectsAConcurrencyLimitThatIsNotANumberAtStartUp() {
        assertThat(modelOptionError("concurrencyLimit: many\n"))
                .isEqualTo("config.yaml:7: models.m.options.concurrencyLimit: must be a number, got 'many'");
    }

    @Test
    void rejectsANegativeConcurrencyLimitAtStartUp() {
        assertThat(modelOptionError("concurrencyLimit: -1\n"))
                .isEqualTo("config.yaml:7: models.m.options.concurrencyLimit: must be 0 or more, got -1");
    }

    @Test
    void rejectsFilterParametersThatAreNotAMapAtStartUp() {
        assertThat(modelOptionError("filters:\n  stripParams: [top_k]\n  setParams: [temperature]\n"))
                .isEqualTo("config.yaml:9: models.m.options.filters.setParams: must be a map of settings, got a list");
    }

    @Test
    void rejectsAnUnknownFilterAtStartUp() {
        assertThat(modelOptionError("filters:\n  dropParams: top_k\n"))
                .startsWith(
                        "config.yaml:8: models.m.options.filters.dropParams: unknown key; expected one of: stripParams,");
    }

    @Test
    void rejectsAFallbackThatIsNotAModelNameAtStartUp() {
        assertThat(modelOptionError("fallback: [a, b]\n"))
                .startsWith("config.yaml:7: models.m.options.fallback: must be a string");
    }

    @Test
    void rejectsAModelFallingBackToItselfAtStartUp() {
        assertThat(modelOptionError("fallback: m\n"))
                .isEqualTo("config.yaml:7: models.m.options.fallback: must name another model, not 'm' itself");
    }

    @Test
    void rejectsAMalformedSize() {
        assertThat(error("gpus:\n  - id: 0\n    memory: lots\n"))
                .isEqualTo("config.yaml:3: gpus[0].memory: must be a size such as 24GiB or 512MiB, got 'lots'");
    }

    @Test
    void rejectsAMalformedBoolean() {
        assertThat(error("scheduler:\n  autoload: maybe\n"))
                .isEqualTo("config.yaml:2: scheduler.autoload: must be true or false, got 'maybe'");
    }

    @Test
    void rejectsAListWhereAMapBelongs() {
        assertThat(error("server:\n  - host\n"))
                .isEqualTo("config.yaml:2: server: must be a map of settings, got a list");
    }

    @Test
    void rejectsAPortOutOfRange() {
        assertThat(error("server:\n  port: 70000\n"))
                .isEqualTo("config.yaml:2: server.port: must lie in 0..65535, got 70000");
    }

    @Test
    void rejectsANegativeMaxLoaded() {
        assertThat(error("scheduler:\n  maxLoaded: -1\n"))
                .isEqualTo("config.yaml:2: scheduler.maxLoaded: must be 0 or more, got -1");
    }

    @Test
    void rejectsAnUnknownGpuSetting() {
        assertThat(error("gpus: some\n"))
                .isEqualTo("config.yaml:1: gpus: must be auto, none, a list of GPUs or {nvidiaSmi: [command...]},"
                        + " got 'some'");
    }

    @Test
    void rejectsAGpuListedTwice() {
        assertThat(error("gpus:\n  - { id: 0, memory: 24GiB }\n  - { id: 0, memory: 24GiB }\n"))
                .isEqualTo("config.yaml:3: gpus[1].id: GPU 0 is listed twice");
    }

    @Test
    void rejectsADuplicateKey() {
        assertThat(error("server:\n  port: 1\n  port: 2\n")).isEqualTo("config.yaml:3: server.port: duplicate key");
    }

    @Test
    void rejectsAnUnsetEnvironmentVariable() {
        assertThat(error("server:\n  apiKeys: [\"${env.GATEWAY_KEY}\"]\n"))
                .isEqualTo("config.yaml:2: server.apiKeys[0]: environment variable GATEWAY_KEY is not set");
    }

    @Test
    void rejectsAnEnvAssignmentWithoutEquals() {
        assertThat(error("""
                        backends:
                          run: { type: command }
                        models:
                          m:
                            cmd: serve
                            env: ["CUDA_VISIBLE_DEVICES"]
                        """))
                .isEqualTo("config.yaml:6: models.m.env[0]: must look like NAME=value, got 'CUDA_VISIBLE_DEVICES'");
    }

    @Test
    void rejectsArgsWithAnUnterminatedQuote() {
        assertThat(error("""
                        backends:
                          run: { type: command }
                        models:
                          m:
                            args: --chat-template "chatml
                        """)).startsWith("config.yaml:5: models.m.args: unterminated \" quote");
    }

    @Test
    void rejectsAMalformedModelMemory() {
        assertThat(error("""
                        backends:
                          run: { type: command }
                        models:
                          m:
                            cmd: serve
                            memory: big
                        """))
                .isEqualTo("config.yaml:6: models.m.memory: must be a size such as 24GiB or 512MiB, got 'big'");
    }

    @Test
    void reportsTheLineOfAYamlSyntaxError() {
        assertThat(error("server:\n  host: [127.0.0.1\n  port: 8080\n")).startsWith("config.yaml:3: ");
    }

    @Test
    void namesAFileThatDoesNotExist() {
        Path missing = dir.resolve("missing.yaml");

        ConfigException e = catchThrowableOfType(
                ConfigException.class,
                () -> ConfigLoader.withEnvironment(Map.of()).load(missing));

        assertThat(e).hasMessage(missing + ": no such file");
    }
}
