package dev.switchboard.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.app.ServerSettings;
import dev.switchboard.app.config.AppConfig;
import dev.switchboard.app.config.GpuSetting;
import dev.switchboard.core.GatewayConfig;
import dev.switchboard.core.lifecycle.SchedulerConfig;
import dev.switchboard.core.spi.BackendConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line, spelled as llama-server spells it. */
class CliTest {

    private static Invocation parse(Map<String, String> env, String... args) {
        return Cli.parse(args, env);
    }

    private static ServeOptions serve(String... args) {
        return serve(Map.of(), args);
    }

    private static ServeOptions serve(Map<String, String> env, String... args) {
        Invocation invocation = parse(env, args);
        assertThat(invocation).isInstanceOf(Invocation.Serve.class);
        return ((Invocation.Serve) invocation).options();
    }

    private static String usageError(String... args) {
        Invocation invocation = parse(Map.of(), args);
        assertThat(invocation).isInstanceOf(Invocation.Exit.class);
        Invocation.Exit exit = (Invocation.Exit) invocation;
        assertThat(exit.status()).isEqualTo(2);
        return exit.text();
    }

    private static BackendConfig routerBackend(ServeOptions options) {
        return options.routerConfig().gateway().backends().getFirst();
    }

    @Test
    void withoutArgumentsServesLikeLlamaServerInRouterModeOnLoopback() {
        AppConfig config = serve().routerConfig();

        assertThat(config.server()).isEqualTo(ServerSettings.defaults());
        assertThat(config.server().host()).isEqualTo("127.0.0.1");
        assertThat(config.server().port()).isEqualTo(8080);
        assertThat(config.gateway().scheduler().maxLoaded()).isEqualTo(4);
        assertThat(config.gpus()).isEqualTo(new GpuSetting.Auto());
        assertThat(config.gateway().backends())
                .containsExactly(
                        BackendConfig.of("llamacpp", "llamacpp", Map.of("hfCache", true, "routerArgs", List.of())));
    }

    @Test
    void givesTheRouterFlagsToTheLlamaCppBackend() {
        BackendConfig backend = routerBackend(serve(
                "--models-dir", "/models", "--models-preset", "presets.ini", "--llama-server", "/opt/llama-server"));

        assertThat(backend.options())
                .isEqualTo(Map.of(
                        "modelsDir", "/models",
                        "modelsPreset", "presets.ini",
                        "hfCache", true,
                        "binary", "/opt/llama-server",
                        "routerArgs", List.of()));
    }

    @Test
    void passesOtherLlamaServerArgumentsToEveryChildInOrder() {
        BackendConfig backend = routerBackend(
                serve("-ngl", "99", "--port", "9000", "--media-path", "/srv/media", "--ctx-size=8192", "--jinja"));

        assertThat(backend.options().get("routerArgs"))
                .isEqualTo(List.of("-ngl", "99", "--media-path", "/srv/media", "--ctx-size=8192", "--jinja"));
    }

    @Test
    void hfRepoNamesTheBackendsHubRepository() {
        BackendConfig backend = routerBackend(serve("-hf", "ggml-org/test-preset-ci", "-ngl", "99"));

        assertThat(backend.options().get("hfRepo")).isEqualTo("ggml-org/test-preset-ci");
        assertThat(backend.options().get("routerArgs")).isEqualTo(List.of("-ngl", "99"));
    }

    @Test
    void acceptsLlamaServersGatewayFlagsAndActsOnThem() {
        ServeOptions options = serve(
                "--no-ui",
                "--cors-origins",
                "localhost",
                "--tools",
                "all",
                "--tools-runtime",
                "docker:busybox",
                "--mcp-servers-json",
                "{\"mcpServers\":{}}",
                "--ui-mcp-proxy");
        AppConfig config = options.routerConfig();

        assertThat(config.server().webUi()).isFalse();
        assertThat(config.server().cors().origins()).isEqualTo("localhost");
        assertThat(options.tools().enabled()).containsExactly("all");
        assertThat(options.tools().runtime()).isEqualTo("docker:busybox");
        assertThat(options.tools().mcpServers()).isEmpty();
        assertThat(options.serverFlags().uiMcpProxy()).isTrue();
        assertThat(routerBackend(options).options().get("routerArgs")).isEqualTo(List.of());
    }

    @Test
    void toolsWithoutCorsOriginsAllowOnlyLocalhostAsLlamaServerDoes() {
        assertThat(serve("--tools", "all").routerConfig().server().cors().origins())
                .isEqualTo("localhost");
        assertThat(serve().routerConfig().server().cors().enabled()).isFalse();
    }

    @Test
    void setsHostPortModelsMaxAndAutoload() {
        AppConfig config = serve("--host", "0.0.0.0", "--port", "9000", "--models-max", "0", "--no-models-autoload")
                .routerConfig();

        assertThat(config.server().host()).isEqualTo("0.0.0.0");
        assertThat(config.server().port()).isEqualTo(9000);
        assertThat(config.gateway().scheduler().maxLoaded()).isZero();
        assertThat(config.gateway().scheduler().autoload()).isFalse();
    }

    @Test
    void acceptsApiKeysRepeatedAndCommaSeparated() {
        assertThat(serve("--api-key", "sk-a,sk-b", "--api-key", "sk-c").apiKeys())
                .containsExactly("sk-a", "sk-b", "sk-c");
    }

    @Test
    void readsApiKeysFromAFileOneALineAsLlamaServerDoes(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("keys.txt"), "sk-file1\n\n  sk-file2  \n");

        assertThat(serve("--api-key", "sk-a", "--api-key-file", file.toString()).apiKeys())
                .containsExactly("sk-a", "sk-file1", "sk-file2");
    }

    @Test
    void refusesAnUnreadableApiKeyFile(@TempDir Path dir) {
        assertThat(usageError("--api-key-file", dir.resolve("missing").toString()))
                .contains("--api-key-file: cannot read");
    }

    @Test
    void readsLlamaServerEnvironmentVariablesWhenTheFlagsAreMissing() {
        ServeOptions options = serve(Map.of(
                "LLAMA_API_KEY", "sk-env1,sk-env2",
                "LLAMA_ARG_MODELS_DIR", "/models",
                "LLAMA_ARG_MODELS_MAX", "2",
                "LLAMA_ARG_MODELS_AUTOLOAD", "disabled"));

        assertThat(options.apiKeys()).containsExactly("sk-env1", "sk-env2");
        assertThat(options.modelsDir()).isEqualTo(Path.of("/models"));
        assertThat(options.modelsMax()).isEqualTo(2);
        assertThat(options.modelsAutoload()).isFalse();
    }

    @Test
    void prefersFlagsOverEnvironmentVariables() {
        ServeOptions options = serve(
                Map.of("LLAMA_API_KEY", "sk-env", "LLAMA_ARG_MODELS_MAX", "2"),
                "--api-key",
                "sk-flag",
                "--models-max",
                "6");

        assertThat(options.apiKeys()).containsExactly("sk-flag");
        assertThat(options.modelsMax()).isEqualTo(6);
    }

    @Test
    void ignoresLlamaServerEnvironmentVariablesWithAConfigFile() {
        ServeOptions options = serve(Map.of("LLAMA_ARG_MODELS_DIR", "/models"), "--config", "config.yaml");

        assertThat(options.modelsDir()).isNull();
    }

    @Test
    void putsCommandLineSettingsOverAConfigFile() {
        AppConfig file = new AppConfig(
                new GatewayConfig(SchedulerConfig.custom().maxLoaded(3).build(), List.of(), List.of()),
                new ServerSettings("127.0.0.1", 8080, List.of("sk-file"), 1024, true),
                new GpuSetting.None(),
                List.of());

        AppConfig config = serve("--config", "config.yaml", "--port", "0", "--api-key", "sk-cli", "--models-max", "1")
                .applyTo(file);

        assertThat(config.server()).isEqualTo(new ServerSettings("127.0.0.1", 0, List.of("sk-cli"), 1024, true));
        assertThat(config.gateway().scheduler().maxLoaded()).isEqualTo(1);
        assertThat(config.gpus()).isEqualTo(new GpuSetting.None());
    }

    @Test
    void keepsTheConfigFileSettingsTheCommandLineLeavesOut() {
        AppConfig file = new AppConfig(
                new GatewayConfig(
                        SchedulerConfig.custom().maxLoaded(3).autoload(false).build(), List.of(), List.of()),
                new ServerSettings("0.0.0.0", 9000, List.of("sk-file"), 1024, false),
                new GpuSetting.None(),
                List.of());

        AppConfig config = serve("--config", "config.yaml").applyTo(file);

        assertThat(config.server()).isEqualTo(file.server());
        assertThat(config.gateway().scheduler())
                .hasToString(file.gateway().scheduler().toString());
    }

    @Test
    void rejectsLlamaServerArgumentsWithAConfigFile() {
        assertThat(usageError("--config", "config.yaml", "-ngl", "99"))
                .startsWith("switchboard: unknown option '-ngl' (llama-server arguments are passed to engines only"
                        + " without --config or --demo)");
    }

    @Test
    void rejectsRouterFlagsWithTheDemo() {
        assertThat(usageError("--demo", "--models-dir", "/models"))
                .startsWith("switchboard: --models-dir cannot be used with --demo");
    }

    @Test
    void rejectsTheDemoWithAConfigFile() {
        assertThat(usageError("--demo", "--config", "x.yaml"))
                .startsWith("switchboard: --demo and --config cannot be used together");
    }

    @Test
    void namesAnEnvironmentVariableWithAnUnusableValue() {
        Invocation invocation = parse(Map.of("LLAMA_ARG_MODELS_MAX", "many"));

        assertThat(invocation)
                .isInstanceOfSatisfying(
                        Invocation.Exit.class,
                        exit -> assertThat(exit.text())
                                .startsWith(
                                        "switchboard: environment variable LLAMA_ARG_MODELS_MAX has an unusable value 'many'"));
    }

    @Test
    void rejectsANegativeModelsMax() {
        assertThat(usageError("--models-max", "-1"))
                .startsWith("switchboard: --models-max must be 0 (unlimited) or more");
    }

    @Test
    void rejectsAPortThatIsNoNumber() {
        assertThat(usageError("--port", "http"))
                .contains("'http' is not an int")
                .endsWith("Try 'switchboard --help'.\n");
    }

    @Test
    void printsHelpAndVersionWithSuccess() {
        Invocation help = parse(Map.of(), "--help");
        Invocation version = parse(Map.of(), "--version");

        assertThat(help).isInstanceOfSatisfying(Invocation.Exit.class, exit -> {
            assertThat(exit.status()).isZero();
            assertThat(exit.text()).contains("--models-preset=PATH", "--no-models-autoload", "convert");
        });
        assertThat(version).isEqualTo(new Invocation.Exit(0, "switchboard dev\n"));
    }

    @Test
    void convertNamesTheLlamaSwapFile() {
        assertThat(parse(Map.of(), "convert", "llama-swap.yaml"))
                .isEqualTo(new Invocation.Convert(Path.of("llama-swap.yaml")));
    }

    @Test
    void convertRequiresAFile() {
        assertThat(usageError("convert")).contains("Missing required parameter: 'FILE'");
    }
}
