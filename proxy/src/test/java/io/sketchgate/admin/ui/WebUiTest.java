package io.sketchgate.admin.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sketchgate.testing.ProxyUnderTest;
import io.sketchgate.testing.RealElasticsearch;
import io.sketchgate.testing.TestElasticsearch;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The admin web page's files through a real proxy: content types, caching, index.html for the route itself, the
 * Chart.js WebJar, and no path spelling that reaches a file outside the page's two roots.
 */
@RealElasticsearch
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebUiTest {
    private static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private ProxyUnderTest proxy;
    private URI base;

    @BeforeAll
    void start(TestElasticsearch es) throws Exception {
        proxy = ProxyUnderTest.forElasticsearch(es.baseUri()).shortTimeouts().start();
        base = proxy.baseUri();
    }

    @AfterAll
    void stop() {
        proxy.close();
    }

    @Test
    void theRouteAndItsSlash_serveIndexHtml_revalidatedEachTime_withSecurityHeaders() throws Exception {
        for (String path : List.of("/_sketchgate/ui/", "/_sketchgate/ui", "/_sketchgate/ui/index.html")) {
            HttpResponse<String> page = get(path, null);
            assertThat(page.statusCode()).as(path).isEqualTo(200);
            assertThat(page.headers().firstValue("Content-Type")).contains("text/html; charset=utf-8");
            assertThat(page.headers().firstValue("Cache-Control")).contains("no-cache");
            assertThat(page.headers().firstValue("ETag"))
                    .hasValueSatisfying(etag -> assertThat(etag).matches("\"[0-9a-f]{24}\""));
            assertThat(page.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
            assertThat(page.headers().firstValue("Content-Security-Policy"))
                    .hasValueSatisfying(csp ->
                            assertThat(csp).contains("default-src 'self'").contains("frame-ancestors 'none'"));
            assertThat(page.body())
                    .contains("<title>Sketchgate admin</title>")
                    .contains("/_sketchgate/ui/vendor/chart.js/dist/chart.umd.js");
        }
    }

    @Test
    void thePage_declaresAnInlineIcon_soTheBrowserNeverAsksForFaviconIco() throws Exception {
        assertThat(get("/_sketchgate/ui/", null).body()).contains("<link rel=\"icon\" href=\"data:,\">");
        assertThat(WebUi.CONTENT_SECURITY_POLICY).contains("img-src 'self' data:");
    }

    @Test
    void eachKindOfFile_getsItsContentType() throws Exception {
        assertThat(get("/_sketchgate/ui/js/app.js", null).headers().firstValue("Content-Type"))
                .contains("text/javascript; charset=utf-8");
        assertThat(get("/_sketchgate/ui/style.css", null).headers().firstValue("Content-Type"))
                .contains("text/css; charset=utf-8");
        HttpResponse<String> module = get("/_sketchgate/ui/js/limits.js", null);
        assertThat(module.statusCode()).isEqualTo(200);
        assertThat(module.body()).contains("max_time_range — the longest time span a query may cover");
    }

    @Test
    void chartJs_comesFromItsWebJar_cachedForADay() throws Exception {
        HttpResponse<String> chart = get("/_sketchgate/ui/vendor/chart.js/dist/chart.umd.js", null);
        assertThat(chart.statusCode()).isEqualTo(200);
        assertThat(chart.headers().firstValue("Content-Type")).contains("text/javascript; charset=utf-8");
        assertThat(chart.headers().firstValue("Cache-Control")).contains("public, max-age=86400");
        assertThat(chart.body()).startsWith("/*!").contains("Chart.js v4.");
    }

    @Test
    void aMatchingIfNoneMatch_is304WithoutABody() throws Exception {
        String etag = get("/_sketchgate/ui/js/app.js", null)
                .headers()
                .firstValue("ETag")
                .orElseThrow();
        HttpResponse<String> again = get("/_sketchgate/ui/js/app.js", etag);
        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
        assertThat(get("/_sketchgate/ui/js/app.js", "\"0000\"").statusCode()).isEqualTo(200);
    }

    @Test
    void unknownFilesAndOtherMethods_getElasticsearchShapedErrors() throws Exception {
        HttpResponse<String> missing = get("/_sketchgate/ui/nothing.js", null);
        assertThat(missing.statusCode()).isEqualTo(404);
        JsonNode error = JSON.readTree(missing.body());
        assertThat(error.at("/error/type").asText()).isEqualTo("resource_not_found_exception");
        assertThat(error.at("/error/reason").asText()).contains("Open /_sketchgate/ui/ in a browser");
        assertThat(get("/_sketchgate/ui/js", null).statusCode())
                .as("a directory")
                .isEqualTo(404);
        HttpResponse<String> post = HTTP.send(
                HttpRequest.newBuilder(base.resolve("/_sketchgate/ui/index.html"))
                        .POST(HttpRequest.BodyPublishers.ofString("x"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
    }

    /** Raw request lines, as an attacker would write them: no client normalizes the dots away. */
    @Test
    void noPathSpelling_reachesAFileOutsideThePage() throws Exception {
        List<String> attempts = List.of(
                "/_sketchgate/ui/../../../../etc/passwd",
                "/_sketchgate/ui/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
                "/_sketchgate/ui/..%2f..%2f..%2fetc%2fpasswd",
                "/_sketchgate/ui/js/..%2F..%2Fio%2Fsketchgate%2Fproxy%2FProxyServer.class",
                "/_sketchgate/ui/..%5c..%5cMETA-INF%5cMANIFEST.MF",
                "/_sketchgate/ui/%2e%2e/sketchgate-ui/index.html",
                "/_sketchgate/ui/.%2e/logback.xml",
                "/_sketchgate/ui/vendor/chart.js/..%2f..%2f..%2f..%2fmaven/org.webjars.npm/chart.js/pom.properties",
                "/_sketchgate/ui/vendor/chart.js/../../../maven/org.webjars.npm/chart.js/pom.properties",
                "/_sketchgate/ui/vendor/bcrypt/META-INF/MANIFEST.MF",
                "/_sketchgate/ui/vendor/..%2fio/sketchgate/proxy/ProxyServer.class",
                "/_sketchgate/ui/%00index.html",
                "/_sketchgate/ui/.hidden.js",
                "/_sketchgate/ui/C:%5cWindows%5cwin.ini");
        for (String attempt : attempts) {
            String answer = raw("GET " + attempt + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
            String statusLine = answer.lines().findFirst().orElse("");
            assertThat(statusLine).as(attempt).matches("HTTP/1\\.1 (400|404) .*");
            assertThat(answer)
                    .as(attempt)
                    .contains("\"error\"")
                    .doesNotContain("root:x:")
                    .doesNotContain("version=")
                    .doesNotContain("Manifest-Version")
                    .doesNotContain("<title>");
        }
    }

    private HttpResponse<String> get(String path, String ifNoneMatch) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).GET();
        if (ifNoneMatch != null) {
            request.header("If-None-Match", ifNoneMatch);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String raw(String request) throws IOException {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            in.transferTo(answer);
            return answer.toString(StandardCharsets.UTF_8);
        }
    }
}
