package dev.switchboard.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.app.http.GatewayServer;
import dev.switchboard.core.Gateway;
import dev.switchboard.core.GatewayConfig;
import dev.switchboard.core.lifecycle.SchedulerConfig;
import dev.switchboard.core.spi.BackendConfig;
import dev.switchboard.core.spi.ModelDescriptor;
import dev.switchboard.simulator.SimulatorCommand;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The models table in headless Chromium with vLLM models played by the engine simulator: a model
 * with sleep mode offers Sleep, which puts it to sleep; a model whose breaker opened says so.
 */
class ModelRowBrowserTest {
    private static final String SLEEPY = "sleepy";
    private static final String ERRING = "erring";

    @TempDir
    Path dir;

    private Gateway gateway;
    private GatewayServer server;
    private Browser browser;

    @BeforeEach
    void start() {
        BackendConfig vllm = BackendConfig.of(
                "vllm",
                "vllm",
                Map.of(
                        "command",
                        SimulatorCommand.javaCommand(),
                        "startTimeout",
                        "60s",
                        "env",
                        Map.of("SIM_LOAD_MS", "50")));
        List<ModelDescriptor> models = List.of(
                ModelDescriptor.builder(SLEEPY, "vllm")
                        .source("Qwen/Qwen2.5-0.5B-Instruct")
                        .options(Map.of("sleep", true))
                        .build(),
                ModelDescriptor.builder(ERRING, "vllm")
                        .source("Qwen/Qwen2.5-0.5B-Instruct")
                        .args(List.of("--sim-error-percent", "100"))
                        .build());
        gateway = Gateway.builder()
                .config(new GatewayConfig(SchedulerConfig.ofDefaults(), List.of(vllm), models))
                .shutdownHook(false)
                .build();
        server = GatewayServer.start(
                gateway, new ServerSettings("127.0.0.1", 0, List.of(), ServerSettings.DEFAULT_MAX_BODY_BYTES, true));
        browser = Browser.start(dir.resolve("profile"), 1280, 800);
    }

    @AfterEach
    void stop() {
        if (browser != null) {
            browser.close();
        }
        if (server != null) {
            server.stop(Duration.ofSeconds(2));
        }
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void sleepsAModelWithAWarmTierAndShowsAnOpenBreaker() throws Exception {
        gateway.load(SLEEPY).join();
        gateway.load(ERRING).join();
        browser.open("http://127.0.0.1:" + server.port() + "/ui/");
        browser.awaitText("tr[data-model='" + SLEEPY + "'] .badge", "ready");
        browser.awaitText("tr[data-model='" + ERRING + "'] .badge", "ready");
        assertThat(browser.findAll("tr[data-model='" + ERRING + "'] button"))
                .extracting(button -> button.getText())
                .as("no warm tier: no Sleep")
                .containsExactly("Unload");
        assertThat(browser.findAll("tr[data-model='" + SLEEPY + "'] .badge.circuit"))
                .isEmpty();

        browser.resize(420, 800);
        assertThat(browser.script("return document.documentElement.scrollWidth"))
                .as("page width at 420px with Unload and Sleep in a row")
                .isEqualTo(420L);
        browser.resize(1280, 800);

        browser.click("tr[data-model='" + SLEEPY + "'] button[aria-label='Sleep " + SLEEPY + "']");

        browser.awaitText("tr[data-model='" + SLEEPY + "'] .badge", "sleeping (warm)");
        assertThat(browser.findAll("tr[data-model='" + SLEEPY + "'] button"))
                .extracting(button -> button.getText())
                .containsExactly("Unload");

        try (HttpClient http = HttpClient.newHttpClient()) {
            for (int i = 0; i < 4; i++) { // the default breaker opens on 4 calls, half of them failed
                HttpResponse<String> answer = http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/v1/chat/completions"))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"" + ERRING
                                        + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(answer.statusCode()).isEqualTo(500);
            }
        }
        browser.awaitText("tr[data-model='" + ERRING + "'] .badge.circuit.open", "breaker open");
        browser.errorsSoFarAreNone();
    }
}
