package dev.switchboard.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.app.activity.ActivitySettings;
import dev.switchboard.app.config.AppConfig;
import dev.switchboard.app.http.GatewayServer;
import dev.switchboard.core.Gateway;
import dev.switchboard.core.GatewayConfig;
import dev.switchboard.core.spi.BackendConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.WebElement;

/**
 * The web UI in a real headless Chromium, on the demo configuration (simulated engines) plus one
 * remote upstream that answers in markdown. One scenario, as a user walks through it, because a
 * browser start costs tens of seconds on a loaded machine. With {@code -Dswitchboard.screenshots=DIR}
 * it saves a screenshot of each view there (docs/screenshots/ holds the committed ones).
 */
class WebUiBrowserTest {
    private static final String QWEN = "qwen2.5-7b-instruct";

    @TempDir
    Path dir;

    private MarkdownUpstream upstream;
    private Gateway gateway;
    private GatewayServer server;
    private Browser browser;
    private Path screenshots;

    @BeforeEach
    void start() {
        upstream = MarkdownUpstream.start();
        AppConfig demo = Demo.config(Map.of());
        List<BackendConfig> backends = new ArrayList<>(demo.gateway().backends());
        backends.add(BackendConfig.of(
                "remote", "openai", Map.of("baseUrl", upstream.baseUrl(), "models", List.of(MarkdownUpstream.MODEL))));
        gateway = Gateway.builder()
                .config(new GatewayConfig(
                        demo.gateway().scheduler(), backends, demo.gateway().models()))
                .gpus(demo.gpus().inventory())
                .shutdownHook(false)
                .build();
        server = GatewayServer.start(
                gateway,
                new ServerSettings("127.0.0.1", 0, List.of(), ServerSettings.DEFAULT_MAX_BODY_BYTES, true),
                new ActivitySettings(true, 50, true, 4096));
        String target = System.getProperty("switchboard.screenshots");
        screenshots = target == null || target.isBlank() ? dir.resolve("screenshots") : Path.of(target);
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
        if (upstream != null) {
            upstream.close();
        }
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.port() + path;
    }

    @Test
    void loadsChatsShowsActivityAndUnloadsOnTheDemo() {
        browser.open(url("/ui/"));

        // the models, with the demo's start-up model becoming ready by itself
        browser.awaitText("#models tbody tr[data-model='llama-3.2-3b-instruct'] .badge", "ready");
        assertThat(browser.findAll("#models tbody tr")).hasSize(5);

        // load one: its progress shows while it starts, then it is ready
        browser.click("#models tbody tr[data-model='" + QWEN + "'] button");
        browser.await(
                "a progress bar while " + QWEN + " starts",
                () -> browser.script("const r = document.querySelector(\"tr[data-model='" + QWEN + "']\");"
                        + " return r && r.dataset.state === 'starting' && r.querySelector('progress') != null;"));
        browser.awaitText("tr[data-model='" + QWEN + "'] .badge", "ready");
        browser.awaitText("tr[data-model='" + QWEN + "'] .elapsed", "for ");
        browser.screenshot(screenshots.resolve("models.png"));

        // chat with it: the streamed answer is rendered, with time to first token and tokens/s
        browser.find("nav a[href='#playground']").click();
        browser.choose("#chat-model", QWEN);
        browser.find("#prompt").sendKeys("Hello there");
        browser.find("#send").click();
        browser.awaitText("#chat-stats", "tokens/s");
        WebElement answer = browser.await(
                "the answer",
                () -> browser.findAll("#transcript .message.assistant .body p").stream()
                        .filter(p -> !p.getText().isBlank())
                        .findFirst()
                        .orElse(null));
        assertThat(answer.getText()).matches("[a-z]+( [a-z]+)+");
        assertThat(browser.find("#chat-stats").getText()).contains("TTFT");

        // another model: the conversation stays; markdown renders, HTML in the answer stays text
        browser.choose("#chat-model", MarkdownUpstream.MODEL);
        assertThat(browser.findAll("#transcript .message")).hasSize(2);
        browser.find("#prompt").sendKeys("Show me code");
        browser.find("#send").click();
        browser.await(
                "Send disabled and Stop enabled while streaming",
                () -> browser.script(
                        "return document.querySelector('#send').disabled && !document.querySelector('#stop').disabled"
                                + " && document.querySelector('.message.streaming') != null;"));
        browser.awaitText("#transcript .message.assistant pre code", "print('hi')");
        browser.awaitText("#chat-stats", "tokens/s");
        WebElement markdown = browser.findAll("#transcript .message.assistant").getLast();
        assertThat(markdown.findElement(org.openqa.selenium.By.cssSelector("strong"))
                        .getText())
                .isEqualTo("bold");
        assertThat(markdown.findElements(org.openqa.selenium.By.cssSelector("li")))
                .hasSize(2);
        assertThat(markdown.getText()).contains("<img src=x onerror=\"window.__pwned=1\">");
        assertThat(browser.findAll("#transcript img")).isEmpty();
        assertThat(browser.script("return window.__pwned === undefined")).isEqualTo(true);
        assertThat(browser.find("#send").isEnabled()).isTrue();
        browser.screenshot(screenshots.resolve("playground.png"));

        // the conversation survives a reload
        browser.open(url("/ui/#playground"));
        browser.awaitText("#transcript .message.assistant pre code", "print('hi')");
        assertThat(browser.findAll("#transcript .message")).hasSize(4);

        // the activity view lists the chat with its token rate
        browser.find("nav a[href='#activity']").click();
        WebElement request = browser.await(
                "the chat in the activity view",
                () -> browser.findAll("#activity tbody tr").stream()
                        .filter(r -> r.getText().contains(QWEN) && r.getText().contains("/v1/chat/completions"))
                        .findFirst()
                        .orElse(null));
        String tokensPerSecond =
                request.findElement(org.openqa.selenium.By.cssSelector(".tps")).getText();
        assertThat(Double.parseDouble(tokensPerSecond)).isPositive();
        assertThat(request.getText()).contains("200");
        browser.screenshot(screenshots.resolve("activity.png"));

        // GPUs: the bars and what loading another model would do
        browser.find("nav a[href='#gpus']").click();
        browser.awaitText("#gpus .gpu", "reserved");
        browser.awaitText("#plans li", "mistral-7b-instruct");
        browser.awaitText("#plans li", "needs evicting");
        browser.screenshot(screenshots.resolve("gpus.png"));

        // the engine log, history first
        browser.find("nav a[href='#logs']").click();
        browser.choose("#log-source", QWEN);
        browser.await(
                "the engine's log lines",
                () -> browser.find("#log").getText().lines().count() > 1);
        browser.screenshot(screenshots.resolve("logs.png"));

        // unload it
        browser.find("nav a[href='#models']").click();
        browser.click("#models tbody tr[data-model='" + QWEN + "'] button");
        browser.awaitText("tr[data-model='" + QWEN + "'] .badge", "unloaded");
        browser.awaitText("tr[data-model='" + QWEN + "'] .reason", "unload requested");

        // a phone-sized window: nothing scrolls sideways in any view
        browser.resize(420, 800);
        for (String view : List.of("models", "gpus", "activity", "playground", "logs")) {
            browser.find("nav a[href='#" + view + "']").click();
            browser.await(view + " shown", () -> browser.find("#view-" + view).isDisplayed());
            assertThat(browser.script("return document.documentElement.scrollWidth"))
                    .as("page width of the %s view at 420px", view)
                    .isEqualTo(420L);
        }
        browser.find("nav a[href='#models']").click();
        browser.screenshot(screenshots.resolve("models-420.png"));
        browser.errorsSoFarAreNone();

        // the gateway goes away: the page says so, offers no action, and throws nothing
        server.stop(Duration.ofSeconds(1));
        browser.awaitText("#connection", "gateway unreachable");
        browser.awaitText("#banner", "not answering");
        assertThat(browser.findAll("#models tbody button"))
                .isNotEmpty()
                .allSatisfy(button -> assertThat(button.isEnabled()).isFalse());
        browser.errorsSoFarAreNone("net::ERR_CONNECTION_REFUSED");
    }
}
