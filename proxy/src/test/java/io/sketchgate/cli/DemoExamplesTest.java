package io.sketchgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sketchgate.embedded.ElasticsearchVersion;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import picocli.CommandLine;

/**
 * Runs {@code sketchgate demo} in this JVM on a small sample (its own Elasticsearch from the test zip, as the demo
 * starts it) and holds the banner and the docs to what they print: every {@code curl} line of the banner, and
 * every {@code curl} in a {@code bash} block of README.md and docs/uv-api.md, is sent as an HTTP request and
 * answers a non-empty 2xx, or the status the text documents for a refusal ({@code -> 400} on the banner's
 * comment line; {@code "status":400} in the lines after a command in the docs). In the docs, {@code NAME:PASSWORD}
 * stands for the password the demo printed for NAME, and port 9201 for the demo's port.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DemoExamplesTest {
    private static final String CHROMEDRIVER = "/usr/bin/chromedriver";
    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();

    private final DemoCommand demo = new DemoCommand();
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final AtomicInteger exitCode = new AtomicInteger(-1);
    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private Thread run;
    private Path workDir;
    private String proxy;
    private final Map<String, String> passwords = new HashMap<>();

    @BeforeAll
    void startTheDemo() throws Exception {
        String version = System.getProperty("es.version", ElasticsearchVersion.ofBuild());
        Path target = Path.of(System.getProperty("es.dist.dir", "target/es-dist"))
                .toAbsolutePath()
                .getParent();
        workDir = target.resolve("es-work/demo-" + ProcessHandle.current().pid());
        CommandLine commandLine =
                new CommandLine(demo).setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
        run = new Thread(
                () -> exitCode.set(commandLine.execute(
                        "--es-version",
                        version,
                        "--events",
                        "6000",
                        "--days",
                        "9",
                        "--port",
                        "0",
                        "--kibana",
                        "--es-dist",
                        target.resolve("es-dist").toString(),
                        "--es-cache",
                        target.resolve("es-home").toString(),
                        "--work-dir",
                        workDir.toString())),
                "demo");
        run.start();
        Instant deadline = Instant.now().plus(Duration.ofMinutes(4));
        while (run.isAlive()
                && !out.toString().contains("Press Ctrl-C")
                && Instant.now().isBefore(deadline)) {
            Thread.sleep(200);
        }
        assertThat(out.toString()).as("the demo is up; stderr: %s", err).contains("Press Ctrl-C");
        proxy = out.toString().replaceAll("(?s).*Sketchgate proxy: +(http://\\S+).*", "$1");
        Matcher user =
                Pattern.compile("(?m)^  (admin|alice|bob) +(\\S+)  role ").matcher(out.toString());
        while (user.find()) {
            passwords.put(user.group(1), user.group(2));
        }
        assertThat(passwords).containsOnlyKeys("admin", "alice", "bob");
    }

    @AfterAll
    void stopTheDemo() throws InterruptedException {
        demo.stop();
        run.join(Duration.ofMinutes(1).toMillis());
        assertThat(exitCode.get()).isZero();
        assertThat(run.isAlive()).isFalse();
        assertThat(Files.exists(workDir)).as("Elasticsearch work dir deleted").isFalse();
    }

    @Test
    void output_whenNotATerminal_hasWholeProgressLines_andNoCarriageReturn() {
        assertThat(System.console()).as("surefire's stdout is not a terminal").isNull();
        assertThat(out.toString())
                .doesNotContain("\r")
                .contains("\nLoading sample web logs into weblogs-*: 6,000 / 6,000 (100%)\n")
                .containsPattern("\nPrecomputing weblogs_uv: [\\d,]+ buckets \\(100%\\)\n")
                .contains("Loaded 6,000 page views");
    }

    @Test
    void banner_namesTheUsers_theAdminPage_andTheKibanaLines() {
        assertThat(out.toString())
                .contains("  admin  " + passwords.get("admin") + "  role sketchgate_admin")
                .contains("  alice  " + passwords.get("alice") + "  role analyst: at most 7d per search on weblogs-*")
                .contains("  bob    " + passwords.get("bob") + "  role analyst")
                .contains("Admin page:            " + proxy + "/_sketchgate/ui/  (log in as admin)")
                .contains("  elasticsearch.hosts: [\"" + proxy + "\"]\n")
                .contains("  elasticsearch.password: \"" + passwords.get("alice") + "\"\n");
    }

    @Test
    void sample_isLoadedAndPrecomputed_andRequestsNeedCredentials() throws Exception {
        HttpResponse<String> anonymous = get("/weblogs-*/_count", null);
        assertThat(anonymous.statusCode()).isEqualTo(401);

        HttpResponse<String> count = get("/weblogs-*/_count", "admin");
        assertThat(count.body()).contains("\"count\":6000");
        JsonNode uv = new ObjectMapper()
                .readTree(get("/_sketchgate/uv/weblogs_uv?from=now-10d&interval=1d", "admin")
                        .body());
        assertThat(uv.at("/total/pv").asLong())
                .as("every sample event, precomputed or read from the source")
                .isEqualTo(6000);
        assertThat(uv.path("watermark").isTextual())
                .as("something was precomputed")
                .isTrue();
    }

    @Test
    void bannerExamples_answerAsTheBannerSays_inOrder() throws Exception {
        List<CurlExample> examples = CurlExample.parseAll(out.toString(), false);

        assertThat(examples).hasSize(9);
        List<String> failures = new ArrayList<>();
        for (CurlExample example : examples) {
            HttpResponse<String> response = example.send(http);
            check(example, response, failures);
        }
        assertThat(failures).isEmpty();
        HttpResponse<String> lens = examples.get(0).send(http);
        assertThat(lens.headers().firstValue("X-Sketchgate-Source"))
                .as("the Lens search is answered from the unique counts: %s", lens.body())
                .contains("unique-counts");
        assertThat(examples.get(1).send(http).body()).contains("sketchgate_time_range_exception");
    }

    @Test
    void docsExamples_inReadmeAndUvApi_answerOnTheDemo() throws Exception {
        List<CurlExample> examples = new ArrayList<>();
        for (String doc : List.of("README.md", "docs/uv-api.md")) {
            for (String block : bashBlocks(Files.readString(REPO.resolve(doc)))) {
                examples.addAll(CurlExample.parseAll(block, true));
            }
        }
        URI demoUri = URI.create(proxy);

        assertThat(examples).hasSizeGreaterThanOrEqualTo(8);
        List<String> failures = new ArrayList<>();
        for (CurlExample example : examples) {
            assertThat(example.uri().getPort()).as("%s", example).isEqualTo(9201);
            CurlExample onTheDemo = example.with(
                    uri -> URI.create(demoUri.getScheme() + "://" + demoUri.getAuthority() + uri.getRawPath()
                            + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery())),
                    credentials -> {
                        String name = credentials.substring(0, credentials.indexOf(':'));
                        return credentials.endsWith(":PASSWORD") ? name + ":" + passwords.get(name) : credentials;
                    });
            check(onTheDemo, onTheDemo.send(http), failures);
        }
        assertThat(failures).isEmpty();
    }

    /**
     * The browser walk-through: log in to the admin page with the password the banner printed, lower the
     * analysts' max_time_range, and see alice's 7-day Lens search from the banner refused; deleting the change
     * lets it through again. Skipped without Debian's chromium and chromium-driver, as {@code AdminUiBrowserTest}.
     */
    @Test
    void adminPage_loginWithThePrintedPassword_quotaChange_refusesTheAnalyst() throws Exception {
        Optional<String> chromium = Stream.of("/usr/bin/chromium", "/usr/bin/chromium-browser")
                .filter(path -> new File(path).canExecute())
                .findFirst();
        Assumptions.assumeTrue(
                chromium.isPresent() && new File(CHROMEDRIVER).canExecute(),
                "Chromium or chromedriver not found: apt-get install -y chromium chromium-driver");
        CurlExample lens = CurlExample.parseAll(out.toString(), false).get(0);
        assertThat(lens.send(http).statusCode()).isEqualTo(200);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.get());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu");
        WebDriver browser = new ChromeDriver(
                new ChromeDriverService.Builder()
                        .usingDriverExecutable(new File(CHROMEDRIVER))
                        .usingAnyFreePort()
                        .build(),
                options);
        try {
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
            String adminPage = out.toString().replaceAll("(?s).*Admin page: +(http://\\S+).*", "$1");
            browser.get(adminPage);
            type(wait, "login-user", "admin");
            type(wait, "login-password", passwords.get("admin"));
            browser.findElement(By.id("login-submit")).click();
            wait.until(ExpectedConditions.visibilityOfElementLocated(
                    By.cssSelector("#roles-table tr[data-name='analyst']")));
            browser.findElement(By.cssSelector("#roles-table tr[data-name='analyst'] button.edit"))
                    .click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("entry-title"), "analyst"));
            assertThat(browser.findElement(By.id("field-max_time_range")).getAttribute("value"))
                    .isEqualTo("7d");
            type(wait, "field-max_time_range", "1d");
            browser.findElement(By.id("entry-save")).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("entry-message"), "Saved (created"));

            HttpResponse<String> refused = lens.send(http);
            assertThat(refused.statusCode()).isEqualTo(400);
            assertThat(refused.body())
                    .contains("sketchgate_time_range_exception")
                    .contains("1 day allowed");

            browser.findElement(By.id("entry-delete")).click();
            browser.switchTo().alert().accept();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(
                    By.cssSelector("#roles-table tr[data-name='analyst']"), "file"));
            assertThat(lens.send(http).statusCode()).isEqualTo(200);
        } finally {
            browser.quit();
        }
    }

    private static void type(WebDriverWait wait, String id, String text) {
        WebElement input = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id(id)));
        input.clear();
        input.sendKeys(text);
    }

    private static void check(CurlExample example, HttpResponse<String> response, List<String> failures) {
        boolean ok = example.expectedStatus().isPresent()
                ? response.statusCode() == example.expectedStatus().getAsInt()
                : response.statusCode() / 100 == 2 && !response.body().isBlank();
        if (!ok) {
            failures.add(example + "\n  -> " + response.statusCode() + " " + response.body());
        }
    }

    private static List<String> bashBlocks(String markdown) {
        List<String> blocks = new ArrayList<>();
        Matcher block =
                Pattern.compile("(?ms)^```(?:bash|sh|shell)\\n(.*?)^```").matcher(markdown);
        while (block.find()) {
            blocks.add(block.group(1));
        }
        return blocks;
    }

    private HttpResponse<String> get(String path, String user) throws IOException, InterruptedException {
        CurlExample example = new CurlExample(
                "GET " + path,
                "GET",
                URI.create(proxy + path),
                Optional.ofNullable(user).map(u -> u + ":" + passwords.get(u)),
                Map.of(),
                Optional.empty(),
                java.util.OptionalInt.empty());
        try {
            return example.send(http);
        } catch (IOException | InterruptedException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
