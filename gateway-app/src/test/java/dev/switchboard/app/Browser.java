package dev.switchboard.app;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.logging.Level;
import org.awaitility.Awaitility;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Debian's headless {@code chromium} driven through its own {@code chromedriver} (both from
 * {@code .ci/setup.sh}); never a downloaded browser or driver, so Selenium Manager is never
 * asked. Collects everything the page logs as an error: uncaught exceptions, failed loads (404s).
 */
final class Browser implements AutoCloseable {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Duration PATIENCE = Duration.ofSeconds(30);

    private final ChromeDriver driver;
    private final List<String> errors = new ArrayList<>();

    private Browser(ChromeDriver driver) {
        this.driver = driver;
    }

    /**
     * Starts a fresh browser with its own profile in {@code profile}.
     *
     * @throws IllegalStateException when chromium or chromedriver is missing, saying how to install them
     */
    static Browser start(Path profile, int width, int height) {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            throw new IllegalStateException("the web UI tests need Debian's chromium and chromedriver at " + CHROMIUM
                    + " and " + CHROMEDRIVER + ": run .ci/setup.sh (as root) to install them");
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments(
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
                "--hide-scrollbars",
                "--user-data-dir=" + profile.toAbsolutePath(),
                "--window-size=" + width + "," + height);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER.toString()))
                .usingAnyFreePort()
                .build();
        Browser browser = new Browser(new ChromeDriver(service, options));
        browser.resize(width, height);
        return browser;
    }

    void open(String url) {
        driver.get(url);
    }

    /** Sets the viewport (not the window) to this size, as a phone or a desktop would have it. */
    void resize(int width, int height) {
        driver.executeCdpCommand(
                "Emulation.setDeviceMetricsOverride",
                java.util.Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", false));
        driver.manage().window().setSize(new Dimension(width, height));
    }

    WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    List<WebElement> findAll(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    /** Waits until {@code css} matches a visible element whose text contains {@code text}. */
    WebElement awaitText(String css, String text) {
        return await(
                "'" + text + "' in " + css,
                () -> driver.findElements(By.cssSelector(css)).stream()
                        .filter(e -> e.isDisplayed() && e.getText().contains(text))
                        .findFirst()
                        .orElse(null));
    }

    /** Waits until {@code probe} gives something other than null (or false). */
    <T> T await(String what, Supplier<T> probe) {
        AtomicReference<T> found = new AtomicReference<>();
        Awaitility.await(what)
                .atMost(PATIENCE)
                .pollInterval(Duration.ofMillis(100))
                .ignoreExceptionsMatching(e -> e instanceof org.openqa.selenium.StaleElementReferenceException
                        || e instanceof org.openqa.selenium.NoSuchElementException)
                .until(() -> {
                    T value = probe.get();
                    found.set(value);
                    return value != null && !Boolean.FALSE.equals(value);
                });
        return found.get();
    }

    Object script(String js, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(js, args);
    }

    /** Clicks the element {@code css} matches, again if the page re-rendered it meanwhile. */
    void click(String css) {
        await("a click on " + css, () -> {
            find(css).click();
            return true;
        });
    }

    /** Picks the option with this value in a select, as a user would (the page sees a change event). */
    void choose(String css, String value) {
        script(
                "const s = document.querySelector(arguments[0]); s.value = arguments[1];"
                        + " if (s.value !== arguments[1]) throw new Error('no option ' + arguments[1]);"
                        + " s.dispatchEvent(new Event('change', {bubbles: true}));",
                css,
                value);
    }

    /** Writes a PNG of the viewport. */
    void screenshot(Path png) {
        try {
            Files.createDirectories(png.getParent());
            Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), png, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every error the page logged so far: uncaught exceptions, console errors, failed resource loads. */
    List<String> errors() {
        for (LogEntry entry : driver.manage().logs().get(LogType.BROWSER)) {
            if (entry.getLevel().intValue() >= Level.SEVERE.intValue()) {
                errors.add(entry.getMessage());
            }
        }
        return List.copyOf(errors);
    }

    /** Fails the test with the page's errors when it logged any but those containing {@code expected}. */
    void errorsSoFarAreNone(String... expected) {
        org.assertj.core.api.Assertions.assertThat(errors().stream()
                        .filter(error -> java.util.Arrays.stream(expected).noneMatch(error::contains)))
                .as("errors the page logged")
                .isEmpty();
    }

    @Override
    public void close() {
        driver.quit();
    }
}
