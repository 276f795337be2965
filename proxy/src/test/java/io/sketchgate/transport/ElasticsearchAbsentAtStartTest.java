package io.sketchgate.transport;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sketchgate.testing.ProxyUnderTest;
import io.sketchgate.testing.RealElasticsearch;
import io.sketchgate.testing.TcpRelay;
import io.sketchgate.testing.TestElasticsearch;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The proxy starts while Elasticsearch is unreachable, says it is not ready, and recovers on its own. */
@RealElasticsearch
class ElasticsearchAbsentAtStartTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void startsNotReady_answers502_andServesOnceElasticsearchIsReachable(TestElasticsearch es) throws Exception {
        int port = TcpRelay.freePort();
        try (ProxyUnderTest proxy = ProxyUnderTest.forElasticsearch(URI.create("http://127.0.0.1:" + port))
                .shortTimeouts()
                .elasticsearch("health_check_interval", "200ms")
                .start()) {
            URI base = proxy.baseUri();
            Thread.sleep(500); // a few failed health checks
            HttpResponse<String> health = get(base, "/_sketchgate/health");
            assertThat(health.statusCode()).isEqualTo(503);
            assertThat(JSON.readTree(health.body()).get("status").asText()).isEqualTo("not_ready");
            HttpResponse<String> refused = get(base, "/_cluster/health");
            assertThat(refused.statusCode()).isEqualTo(502);
            assertThat(JSON.readTree(refused.body()).at("/error/type").asText())
                    .isEqualTo("sketchgate_upstream_unavailable_exception");

            try (TcpRelay ignored = TcpRelay.open(port, es.baseUri())) {
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (get(base, "/_sketchgate/health").statusCode() != 200 && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                HttpResponse<String> ready = get(base, "/_sketchgate/health");
                assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
                assertThat(JSON.readTree(ready.body()).get("status").asText()).isEqualTo("ready");
                HttpResponse<String> served = get(base, "/_cluster/health");
                assertThat(served.statusCode()).as(served.body()).isEqualTo(200);
                assertThat(JSON.readTree(served.body()).has("cluster_name")).isTrue();
            }
        }
    }

    private HttpResponse<String> get(URI base, String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(base.resolve(path))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
