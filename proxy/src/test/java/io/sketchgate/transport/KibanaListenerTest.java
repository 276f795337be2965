package io.sketchgate.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.sketchgate.testing.ProxyUnderTest;
import io.sketchgate.testing.RawHttpResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Kibana-facing listener forwards browser traffic to the Kibana server unchanged. */
class KibanaListenerTest {
    private RecordingServer kibana;
    private ProxyUnderTest proxy;
    private URI proxyUri;
    private final HttpClient http =
            HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @BeforeEach
    void start() throws Exception {
        kibana = new RecordingServer();
        proxy = ProxyUnderTest.forElasticsearch(URI.create("http://127.0.0.1:9"))
                .shortTimeouts()
                .kibanaUpstream(kibana.uri())
                .start();
        proxyUri = proxy.kibanaUri();
    }

    @AfterEach
    void stop() {
        proxy.close();
        kibana.close();
    }

    @Test
    void requestHeadersAndBody_reachKibanaUnchanged_withForwardingHeadersAdded() throws Exception {
        kibana.on("/api/saved_objects/_find", ex -> RecordingServer.respond(ex, 200, "{}".getBytes(), Map.of()));
        byte[] body = "{\"type\":\"dashboard\",\"search\":\"ü\"}".getBytes(StandardCharsets.UTF_8);
        http.send(
                HttpRequest.newBuilder(proxyUri.resolve("/api/saved_objects/_find?per_page=100&search=a%20b"))
                        .header("kbn-xsrf", "true")
                        .header("Cookie", "sid=abc; other=1")
                        .header("X-Custom", "v1")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        RecordingServer.Recorded seen = kibana.requests().get(0);
        assertThat(seen.method()).isEqualTo("POST");
        assertThat(seen.uri()).isEqualTo("/api/saved_objects/_find?per_page=100&search=a%20b");
        assertThat(seen.header("kbn-xsrf")).isEqualTo("true");
        assertThat(seen.header("Cookie")).isEqualTo("sid=abc; other=1");
        assertThat(seen.header("X-Custom")).isEqualTo("v1");
        assertThat(seen.header("X-Forwarded-For")).isEqualTo("127.0.0.1");
        assertThat(seen.header("X-Forwarded-Proto")).isEqualTo("http");
        assertThat(seen.body()).isEqualTo(body);
    }

    @Test
    void responseHeaders_includingRepeatedSetCookie_passThrough() throws Exception {
        kibana.on("/login", ex -> {
            ex.getResponseHeaders().add("Set-Cookie", "sid=1; HttpOnly");
            ex.getResponseHeaders().add("Set-Cookie", "theme=dark");
            RecordingServer.respond(ex, 200, "ok".getBytes(), Map.of("kbn-name", "kibana", "Cache-Control", "private"));
        });
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(proxyUri.resolve("/login")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().allValues("set-cookie")).containsExactly("sid=1; HttpOnly", "theme=dark");
        assertThat(response.headers().firstValue("kbn-name")).contains("kibana");
        assertThat(response.headers().firstValue("cache-control")).contains("private");
        assertThat(response.body()).isEqualTo("ok");
    }

    @Test
    void redirects_passThroughUnfollowed() throws Exception {
        kibana.on("/", ex -> RecordingServer.respond(ex, 302, new byte[0], Map.of("Location", "/spaces/enter")));
        HttpResponse<String> response =
                http.send(HttpRequest.newBuilder(proxyUri.resolve("/")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(302);
        assertThat(response.headers().firstValue("location")).contains("/spaces/enter");
    }

    @Test
    void largeStaticAsset_streamsThroughIntact() throws Exception {
        byte[] asset = new byte[48 * 1024 * 1024];
        new Random(7).nextBytes(asset);
        kibana.on("/bundles/kbn-ui-shared-deps.js", ex -> {
            try {
                ex.getResponseHeaders().add("Content-Type", "application/javascript");
                ex.sendResponseHeaders(200, 0); // chunked
                try (OutputStream out = ex.getResponseBody()) {
                    for (int i = 0; i < asset.length; i += 1 << 20) {
                        out.write(asset, i, Math.min(1 << 20, asset.length - i));
                    }
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        HttpResponse<InputStream> response = http.send(
                HttpRequest.newBuilder(proxyUri.resolve("/bundles/kbn-ui-shared-deps.js"))
                        .build(),
                HttpResponse.BodyHandlers.ofInputStream());
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        long total = 0;
        try (InputStream in = response.body()) {
            byte[] buf = new byte[65536];
            int n;
            while ((n = in.read(buf)) > 0) {
                digest.update(buf, 0, n);
                total += n;
            }
        }
        assertThat(total).isEqualTo(asset.length);
        assertThat(digest.digest())
                .isEqualTo(MessageDigest.getInstance("SHA-256").digest(asset));
        assertThat(response.headers().firstValue("content-type")).contains("application/javascript");
    }

    @Test
    void keepAlive_oneClientConnectionCarriesSeveralRequests_andReusesTheUpstreamConnection() throws Exception {
        kibana.on("/api/status", ex -> RecordingServer.respond(ex, 200, "{\"status\":\"green\"}".getBytes(), Map.of()));
        try (Socket socket = new Socket("127.0.0.1", proxyUri.getPort())) {
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            for (int i = 0; i < 3; i++) {
                out.write(("GET /api/status HTTP/1.1\r\nHost: kibana\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                RawHttpResponse response = RawHttpResponse.read(in);
                assertThat(response.statusLine()).startsWith("HTTP/1.1 200");
                assertThat(response.body()).endsWith("{\"status\":\"green\"}");
            }
        }
        assertThat(kibana.requests()).hasSize(3);
        assertThat(kibana.requests().stream().map(r -> r.from().getPort()).distinct())
                .hasSize(1);
    }

    @Test
    void sketchgatePaths_areNeverForwardedToKibana() throws Exception {
        kibana.on("/", ex -> RecordingServer.respond(ex, 200, "kibana".getBytes(), Map.of()));
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(proxyUri.resolve("/%5Fsketchgate/anything"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).contains("\"type\":\"sketchgate_endpoint_not_found_exception\"");
        assertThat(kibana.requests()).isEmpty();
    }
}
