package io.sketchgate.admin.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sketchgate.admin.AdminProxy;
import io.sketchgate.testing.IndexNames;
import io.sketchgate.testing.ProxyUnderTest;
import io.sketchgate.testing.RealElasticsearch;
import io.sketchgate.testing.TestElasticsearch;
import io.sketchgate.testing.Timestamps;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The admin web page in a real headless Chromium against a real proxy and Elasticsearch: login, editing a quota and
 * seeing a proxied search refused by it, validation problems next to the fields, a lost update, the usage charts
 * drawn from proxied requests, unique counts and explain. Screenshots go to {@code target/screenshots/}.
 *
 * <p>Needs Debian's {@code chromium} and {@code chromium-driver} (.ci/run installs them); skipped only when they are
 * missing. The system chromedriver is used, never a download.
 */
@RealElasticsearch
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdminUiBrowserTest {
    private static final String PASSWORD = ProxyUnderTest.PASSWORD;
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final List<String> CHROMIUM = List.of("/usr/bin/chromium", "/usr/bin/chromium-browser");
    private static final String CHROMEDRIVER = "/usr/bin/chromedriver";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String prefix = IndexNames.unique("logs-ui");
    private ProxyUnderTest proxy;
    private URI base;
    private WebDriver browser;
    private WebDriverWait wait;

    @BeforeAll
    void start(TestElasticsearch es, @TempDir Path dir) throws Exception {
        Optional<String> chromium =
                CHROMIUM.stream().filter(p -> new File(p).canExecute()).findFirst();
        Assumptions.assumeTrue(
                chromium.isPresent() && new File(CHROMEDRIVER).canExecute(),
                "Chromium or chromedriver not found (" + CHROMIUM + ", " + CHROMEDRIVER + "): install Debian's"
                        + " chromium and chromium-driver (apt-get install -y chromium chromium-driver) to run the"
                        + " admin web page's browser test");
        String index = prefix + "-2024";
        es.requests().createIndex(index, Timestamps.MAPPING);
        es.requests()
                .bulkIndex(
                        index, Timestamps.every(Duration.ofHours(1), Instant.parse("2024-04-30T00:00:00Z"), 24 * 10));
        proxy = proxy(es.baseUri()).start(dir);
        base = proxy.baseUri();

        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.get());
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-dev-shm-usage",
                "--disable-gpu",
                "--window-size=1400,1100");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER))
                .usingAnyFreePort()
                .build();
        browser = new ChromeDriver(service, options);
        wait = new WebDriverWait(browser, Duration.ofSeconds(20));
        Files.createDirectories(SCREENSHOTS);
    }

    /** root is the admin; the others are analysts limited to 31 days on the test's indices. */
    private ProxyUnderTest.Builder proxy(URI elasticsearch) {
        ProxyUnderTest.Builder builder =
                ProxyUnderTest.forElasticsearch(elasticsearch).user("root", "sketchgate_admin");
        for (String user : List.of("alice", "bob", "carol")) {
            builder.user(user, "analyst");
        }
        return builder.yaml(AdminProxy.analystsWithRuntimeLimits(
                        prefix,
                        IndexNames.unique("sg-config-ui"),
                        IndexNames.unique("sg-audit-ui"),
                        "poll_interval: 200ms"))
                .yaml("usage: { index: " + IndexNames.unique("sg-usage-ui") + " }");
    }

    @AfterAll
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (proxy != null) {
            proxy.close();
        }
    }

    @BeforeEach
    void freshPage() {
        browser.get(base + "/_sketchgate/ui/");
        ((JavascriptExecutor) browser).executeScript("sessionStorage.clear()");
        browser.get(base + "/_sketchgate/ui/");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-form")));
    }

    @Test
    void login_wrongPasswordAndNonAdminShowErrors_adminSeesRolesWithTheirSource() throws Exception {
        logIn("root", "not the password");
        WebElement error = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-error")));
        assertThat(error.getText()).startsWith("Not logged in (401): wrong user name or password.");
        assertThat(browser.findElement(By.id("app")).isDisplayed()).isFalse();
        screenshot("login-wrong-password");

        logIn("alice", PASSWORD);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("login-error"), "403"));
        assertThat(browser.findElement(By.id("login-error")).getText())
                .contains("Not allowed (403)")
                .contains("unauthorized for user [alice]")
                .contains("sketchgate_admin");

        logIn("root", PASSWORD);
        WebElement analyst = wait.until(
                ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#roles-table tr[data-name='analyst']")));
        assertThat(analyst.getText()).contains("analyst").contains("file").contains("max_time_range: 31d");
        assertThat(browser.findElement(By.id("session-user")).getText()).isEqualTo("root");
        screenshot("roles");
    }

    @Test
    void editingAQuota_changesWhatTheProxyAllows_andDeletingItRestoresTheFile() throws Exception {
        String sevenDays = "/" + prefix + "-*/_search";
        assertThat(search("bob", sevenDays).statusCode()).isEqualTo(200);
        loginAsAdmin();
        openEntry("roles-table", "analyst");
        WebElement field = browser.findElement(By.id("field-max_time_range"));
        assertThat(field.getAttribute("value")).isEqualTo("31d");
        assertThat(helpOf("max_time_range")).contains("longest time span a query may cover");
        field.clear();
        field.sendKeys("3d");
        browser.findElement(By.id("entry-save")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("entry-message"), "Saved (created"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(
                By.cssSelector("#roles-table tr[data-name='analyst']"), "run time"));
        screenshot("quota-saved");

        HttpResponse<String> refused = search("bob", sevenDays);
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(refused.body()).at("/error/type").asText())
                .isEqualTo("sketchgate_time_range_exception");
        assertThat(JSON.readTree(refused.body()).at("/error/reason").asText()).contains("3 days");

        browser.findElement(By.id("entry-delete")).click();
        browser.switchTo().alert().accept();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(
                By.cssSelector("#roles-table tr[data-name='analyst']"), "file"));
        assertThat(search("bob", sevenDays).statusCode()).isEqualTo(200);
    }

    @Test
    void invalidValues_areShownNextToTheirFields_andNothingIsStored() throws Exception {
        loginAsAdmin();
        openEntry("roles-table", "analyst");
        type("field-max_time_range", "31 days");
        type("field-requests_per_minute", "0");
        browser.findElement(By.id("entry-save")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("entry-problems")));
        assertThat(browser.findElement(By.id("entry-problems")).getText()).startsWith("Not saved: 2 problem(s).");
        assertThat(browser.findElement(By.id("problem-max_time_range")).getText())
                .isEqualTo("must be a duration like 5s or 500ms (units: ms, s, m, h, d), was \"31 days\"");
        assertThat(browser.findElement(By.id("problem-requests_per_minute")).getText())
                .isEqualTo("must be a whole number from 1 to 1000000, was \"0\"");
        assertThat(browser.findElement(By.id("field-max_time_range")).getAttribute("class"))
                .contains("invalid");
        assertThat(browser.findElement(By.id("problem-on_exceed")).getText()).isEmpty();
        screenshot("validation-error");
        assertThat(admin("GET", "/_sketchgate/quotas/roles/analyst", null)
                        .at("/source")
                        .asText())
                .isEqualTo("file");
    }

    @Test
    void aLostUpdate_showsTheConflict() throws Exception {
        admin("PUT", "/_sketchgate/quotas/users/carol", "{\"requests_per_minute\":100}");
        loginAsAdmin();
        openEntry("users-table", "carol");
        admin("PUT", "/_sketchgate/quotas/users/carol", "{\"requests_per_minute\":200}"); // another admin
        type("field-requests_per_minute", "300");
        browser.findElement(By.id("entry-save")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("entry-problems"), "409"));
        assertThat(browser.findElement(By.id("entry-problems")).getText())
                .startsWith("Someone else changed this entry (409 conflict)")
                .contains("open the entry again");
        assertThat(admin("GET", "/_sketchgate/quotas/users/carol", null)
                        .at("/settings/requests_per_minute")
                        .asInt())
                .isEqualTo(200);
        screenshot("conflict");
        admin("DELETE", "/_sketchgate/quotas/users/carol", null);
    }

    @Test
    void usageCharts_drawTheProxiedRequests() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertThat(search("alice", "/" + prefix + "-*/_search").statusCode())
                    .isEqualTo(200);
        }
        HttpResponse<String> tooLong = send(
                "alice",
                "POST",
                "/" + prefix + "-*/_search",
                "{\"size\":0,\"query\":{\"range\":"
                        + "{\"@timestamp\":{\"gte\":\"2024-01-01T00:00:00Z\",\"lt\":\"2024-05-08T00:00:00Z\"}}}}");
        assertThat(tooLong.statusCode()).isEqualTo(400);
        loginAsAdmin();
        browser.findElement(By.cssSelector("nav .tab[data-tab='usage']")).click();
        JavascriptExecutor js = (JavascriptExecutor) browser;
        // usage is recorded as each response completes: refresh until alice's requests are all there
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(driver -> {
            Object total = js.executeScript("const c = window.sketchgateCharts && window.sketchgateCharts.requests;"
                    + "if (!c) return 0; const d = c.data.datasets.find(s => s.label === 'alice');"
                    + "return d ? d.data.reduce((a, b) => a + b, 0) : 0;");
            if (((Number) total).longValue() >= 4) {
                return true;
            }
            driver.findElement(By.id("usage-refresh")).click();
            return false;
        });
        JsonNode usage = admin("GET", "/_sketchgate/usage?from=now-24h&interval=1h&user=alice", null);
        long apiRequests = usage.at("/users/0/totals/requests").asLong();
        assertThat(((Number) js.executeScript("return window.sketchgateCharts.requests.data.datasets"
                                + ".find(s => s.label === 'alice').data.reduce((a, b) => a + b, 0)"))
                        .longValue())
                .isEqualTo(apiRequests);
        // the canvas holds drawn points, not just an empty chart object
        assertThat(((Number) js.executeScript("const c = Chart.getChart(document.getElementById('chart-requests'));"
                                + "return c.getDatasetMeta(c.data.datasets.findIndex(s => s.label === 'alice')).data"
                                + ".filter(p => !p.skip).length"))
                        .longValue())
                .isGreaterThan(0);
        assertThat(drawnPixels("chart-requests")).isGreaterThan(500);
        assertThat(drawnPixels("chart-es-time")).isGreaterThan(500);
        // rejections by reason: the chart's bars are the API's reasons and counts
        @SuppressWarnings("unchecked")
        Map<String, Object> rejections =
                (Map<String, Object>) js.executeScript("const c = window.sketchgateCharts.rejections;"
                        + "return Object.fromEntries(c.data.labels.map((l, i) => [l, c.data.datasets[0].data[i]]));");
        JsonNode apiRejections = usage.at("/users/0/totals/rejections");
        assertThat(apiRejections.size()).isGreaterThan(0);
        apiRejections
                .fields()
                .forEachRemaining(e -> assertThat(((Number) rejections.get(e.getKey())).longValue())
                        .isGreaterThanOrEqualTo(e.getValue().asLong()));
        assertThat(drawnPixels("chart-rejections")).isGreaterThan(200);
        assertThat(browser.findElement(By.cssSelector("#top-users tbody")).getText())
                .contains("alice");
        screenshot("usage");
    }

    @Test
    void uniqueCountsAndExplain_tabs() throws Exception {
        loginAsAdmin();
        browser.findElement(By.cssSelector("nav .tab[data-tab='uniques']")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(
                By.id("uniques-state"), "No unique-count definitions"));
        screenshot("unique-counts");

        browser.findElement(By.cssSelector("nav .tab[data-tab='explain']")).click();
        type("explain-path", "/" + prefix + "-*/_search");
        type("explain-user", "bob");
        type("explain-password", PASSWORD);
        browser.findElement(By.id("explain-submit")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("explain-result")));
        assertThat(browser.findElement(By.id("explain-outcome")).getText()).isEqualTo("reject");
        assertThat(browser.findElement(By.id("explain-decision")).getText())
                .isEqualTo("rejected: sketchgate_time_range_exception");
        assertThat(browser.findElement(By.id("explain-json")).getText()).contains("\"user\": \"bob\"");
        screenshot("explain");
    }

    private void loginAsAdmin() {
        logIn("root", PASSWORD);
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#roles-table tr[data-name]")));
    }

    private void logIn(String user, String password) {
        type("login-user", user);
        type("login-password", password);
        browser.findElement(By.id("login-submit")).click();
    }

    private void openEntry(String table, String name) {
        browser.findElement(By.cssSelector("#" + table + " tr[data-name='" + name + "'] button.edit"))
                .click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("entry-title"), name));
    }

    private void type(String id, String text) {
        WebElement input = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id(id)));
        input.clear();
        input.sendKeys(text);
    }

    private String helpOf(String key) {
        return browser.findElement(By.cssSelector(".field[data-key='" + key + "'] .help"))
                .getText();
    }

    /** Pixels of the canvas that are not transparent: axes, labels, lines and points. */
    private long drawnPixels(String canvas) {
        return ((Number) ((JavascriptExecutor) browser)
                        .executeScript(
                                "const c = document.getElementById(arguments[0]);"
                                        + "const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let n = 0;"
                                        + "for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++; return n;",
                                canvas))
                .longValue();
    }

    private void screenshot(String name) throws IOException {
        File shot = ((ChromeDriver) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    /** Seven days of the test index, well inside the file's 31 days. */
    private HttpResponse<String> search(String user, String path) throws Exception {
        return send(
                user,
                "POST",
                path,
                "{\"size\":0,\"query\":{\"range\":{\"@timestamp\":"
                        + "{\"gte\":\"2024-05-01T00:00:00Z\",\"lt\":\"2024-05-08T00:00:00Z\"}}}}");
    }

    private HttpResponse<String> send(String user, String method, String path, String body) throws Exception {
        return proxy.send(method, path, user, body);
    }

    private JsonNode admin(String method, String path, String body) throws Exception {
        HttpResponse<String> response = send("root", method, path, body);
        assertThat(response.statusCode())
                .as(method + " " + path + ": " + response.body())
                .isLessThan(300);
        return JSON.readTree(response.body());
    }
}
