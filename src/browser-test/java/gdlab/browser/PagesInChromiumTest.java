package gdlab.browser;

import gdlab.Main;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pages as a reader sees them: a quick batch-modes run's report.html and the answers page (index.html) opened
 * in headless Chromium (Debian's chromium and chromium-driver) through Selenium. Every image must have loaded
 * (naturalWidth > 0), every table must have rows, and the console must show no error. A screenshot of each whole
 * page goes to target/browser/ for a person to look at.
 */
class PagesInChromiumTest {
    private static final Path RESULTS = Path.of("target/browser/results");
    private static final Path SHOTS = Path.of("target/browser");
    private static ChromeDriver browser;
    private static Path runFolder;

    @BeforeAll
    static void runAndOpenBrowser() throws IOException {
        deleteTree(RESULTS);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(Map.of("experiment", "batch-modes", "quick", "true", "quiet", "true",
                        "results_dir", RESULTS.toString()), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
        runFolder = RESULTS.resolve("batch-modes").resolve("latest").toRealPath();
        status = Main.run(Map.of("experiment", "report", "results_dir", RESULTS.toString()),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();

        ChromeOptions options = new ChromeOptions();
        options.setBinary(System.getProperty("chromium.binary", "/usr/bin/chromium"));
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--allow-file-access-from-files");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        // Debian's driver, named so that Selenium Manager never tries to download one
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(System.getProperty("chromedriver", "/usr/bin/chromedriver"))).build();
        browser = new ChromeDriver(service, options);
        Files.createDirectories(SHOTS);
    }

    @AfterAll
    static void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void theRunsReportShowsEveryFigureAndTable() throws IOException {
        Path page = runFolder.resolve("report.html");
        assertThat(page).isRegularFile();
        check(page, "report.png", 3, 3);
    }

    @Test
    void theAnswersPageShowsEveryFigureAndTable() throws IOException {
        Path page = RESULTS.resolve("index.html");
        assertThat(page).isRegularFile();
        check(page, "index.png", 10, 8);
        String text = browser.findElement(org.openqa.selenium.By.tagName("body")).getText();
        assertThat(text).contains("How do batch, stochastic and mini-batch gradient descent differ?")
                .contains("From run batch-modes/" + runFolder.getFileName())
                .contains("How does the learning rate change gradient descent?");
        String report = browser.findElement(org.openqa.selenium.By.cssSelector(
                "section[id^='4-'] a[href$='report.html']")).getAttribute("href");
        assertThat(report).endsWith("batch-modes/" + runFolder.getFileName() + "/report.html");
        browser.get(report);
        assertThat(browser.getTitle()).contains("batch-modes");
    }

    /**
     * Opens the page, checks its images, tables and console, and saves a screenshot of the whole page.
     *
     * @param minImages at least this many images (the page's figures)
     * @param minTables at least this many tables
     */
    private static void check(Path page, String shot, int minImages, int minTables) throws IOException {
        browser.manage().window().setSize(new Dimension(1280, 900));
        browser.get(page.toAbsolutePath().toUri().toString());
        JavascriptExecutor js = browser;
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> images = (List<Map<String, Object>>) js.executeScript(
                "return Array.from(document.images).map(i => ({alt: i.alt, complete: i.complete, "
                        + "width: i.naturalWidth}));");
        assertThat(images).as("images").hasSizeGreaterThanOrEqualTo(minImages);
        assertThat(images).as("images that did not load").allSatisfy(i -> {
            assertThat(i.get("complete")).as(String.valueOf(i.get("alt"))).isEqualTo(true);
            assertThat(((Number) i.get("width")).longValue()).as(String.valueOf(i.get("alt"))).isPositive();
        });
        @SuppressWarnings("unchecked")
        List<Number> rows = (List<Number>) js.executeScript(
                "return Array.from(document.querySelectorAll('table')).map(t => t.querySelectorAll('tbody tr')"
                        + ".length);");
        assertThat(rows).as("tables").hasSizeGreaterThanOrEqualTo(minTables);
        assertThat(rows).as("rows per table").allSatisfy(n -> assertThat(n.intValue()).isPositive());
        List<LogEntry> errors = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).toList();
        assertThat(errors).as("console errors").isEmpty();

        long height = ((Number) js.executeScript("return document.documentElement.scrollHeight;")).longValue();
        browser.manage().window().setSize(new Dimension(1280, (int) Math.min(height + 100, 30000)));
        Files.write(SHOTS.resolve(shot), browser.getScreenshotAs(OutputType.BYTES));
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
