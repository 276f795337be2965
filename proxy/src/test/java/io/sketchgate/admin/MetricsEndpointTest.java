package io.sketchgate.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sketchgate.testing.IndexNames;
import io.sketchgate.testing.ProxyUnderTest;
import io.sketchgate.testing.RealElasticsearch;
import io.sketchgate.testing.TestElasticsearch;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /_sketchgate/metrics} through a real proxy with policy on, in front of a real Elasticsearch. */
@RealElasticsearch
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MetricsEndpointTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> ES = Map.of("listener", "elasticsearch");

    private final String prefix = IndexNames.unique("logs-met");
    private TestElasticsearch es;
    private Path dir;
    private ProxyUnderTest proxy;

    @BeforeAll
    void start(TestElasticsearch es, @TempDir Path dir) throws Exception {
        this.es = es;
        this.dir = dir;
        List<Map<String, Object>> docs = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            docs.add(Map.of("n", i));
        }
        es.requests().bulkIndex(prefix + "-1", docs);
        proxy = AdminProxy.start(dir, es.baseUri(), """
                roles:
                  analyst: { indices: ["logs-met-*"], requests_per_minute: 2 }
                  sketchgate_admin: { indices: ["sketchgate-nothing-*"] }
                usage: { index: "%s" }
                """.formatted(IndexNames.unique("usage-met")));
    }

    @AfterAll
    void stop() {
        proxy.close();
    }

    @Test
    void scrape_parsesAsPrometheusText_andCountsProxiedRequestsRejectionsAndUpstreamLatency() throws Exception {
        PrometheusText before = scrape();
        long took = 0;
        long bytesOut = 0;
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 3; i++) { // requests_per_minute: 2, so the third is refused
            HttpResponse<String> response = proxy.send(
                    "POST",
                    "/" + prefix + "-*/_search",
                    "alice",
                    "{\"query\":{\"match_all\":{}},\"aggs\":{\"n\":{\"terms\":{\"field\":\"n\",\"size\":100}}}}");
            statuses.add(response.statusCode());
            bytesOut += response.body().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            if (response.statusCode() == 200) {
                took += JSON.readTree(response.body()).path("took").asLong();
            }
        }
        assertThat(statuses).containsExactly(200, 200, 429);
        PrometheusText after = scrape();

        assertThat(delta(
                        before,
                        after,
                        "sketchgate_requests_total",
                        Map.of("listener", "elasticsearch", "status_class", "2xx", "decision", "allowed")))
                .isEqualTo(2);
        assertThat(delta(
                        before,
                        after,
                        "sketchgate_requests_total",
                        Map.of("listener", "elasticsearch", "status_class", "4xx", "decision", "rejected")))
                .isEqualTo(1);
        assertThat(delta(
                        before,
                        after,
                        "sketchgate_rejections_total",
                        Map.of("listener", "elasticsearch", "reason", "rate_limit")))
                .isEqualTo(1);
        assertThat(delta(before, after, "sketchgate_upstream_duration_seconds_count", ES))
                .isEqualTo(2);
        assertThat(after.value("sketchgate_upstream_duration_seconds_sum", ES))
                .isGreaterThan(before.value("sketchgate_upstream_duration_seconds_sum", ES));
        assertThat(after.type("sketchgate_upstream_duration_seconds")).isEqualTo("histogram");
        assertThat(after.has(
                        "sketchgate_request_duration_seconds_bucket", Map.of("listener", "elasticsearch", "le", "0.1")))
                .isTrue();
        assertThat(delta(before, after, "sketchgate_es_time_seconds_total", ES)).isCloseTo(took / 1000.0, within(1e-9));
        assertThat(delta(before, after, "sketchgate_response_bytes_total", ES)).isGreaterThanOrEqualTo(bytesOut);
        assertThat(delta(before, after, "sketchgate_request_bytes_total", ES)).isGreaterThan(0);
    }

    @Test
    void scrape_showsUpstreamCachesQueuesAndTheJvm() throws Exception {
        proxy.get("/_cluster/health", "bob");
        proxy.get("/_cluster/health", "bob"); // the second is a hit in the password cache
        PrometheusText metrics = scrape();
        assertThat(metrics.value("sketchgate_upstream_up", Map.of("upstream", "elasticsearch")))
                .isEqualTo(1);
        assertThat(metrics.value("cache_gets_total", Map.of("cache", "identity_static", "result", "hit")))
                .isPositive();
        assertThat(metrics.has("sketchgate_cache_hit_ratio", Map.of("cache", "indices")))
                .isTrue();
        assertThat(metrics.value("sketchgate_cache_hit_ratio", Map.of("cache", "identity_static")))
                .isPositive();
        assertThat(metrics.has("sketchgate_queue_waiting", Map.of())).isTrue();
        assertThat(metrics.has("sketchgate_queue_running", Map.of())).isTrue();
        // the scrape itself is in flight while it is taken
        assertThat(metrics.value("sketchgate_requests_in_flight", Map.of())).isGreaterThanOrEqualTo(1);
        assertThat(metrics.has("sketchgate_rejections_total", Map.of("reason", "es_time_budget")))
                .isTrue();
        assertThat(metrics.has("jvm_memory_used_bytes", Map.of("area", "heap"))).isTrue();
        assertThat(metrics.value("process_uptime_seconds", Map.of())).isPositive();
    }

    @Test
    void everySketchgateMetric_isDescribedInDocsMetricsMd() throws Exception {
        String docs = java.nio.file.Files.readString(Path.of("..", "docs", "metrics.md"));
        java.util.Set<String> exposed = new java.util.TreeSet<>();
        for (PrometheusText.Sample sample : scrape().samples()) {
            if (sample.name().startsWith("sketchgate_")) {
                exposed.add(sample.name().replaceAll("_(bucket|count|sum|max)$", ""));
            }
        }
        assertThat(exposed)
                .contains(
                        "sketchgate_requests_total",
                        "sketchgate_upstream_duration_seconds",
                        "sketchgate_queue_wait_seconds",
                        "sketchgate_usage_flushes_total");
        assertThat(exposed).allSatisfy(name -> assertThat(docs).contains("`" + name + "`"));
    }

    @Test
    void nonAdmin_gets403InElasticsearchShape_andNoCredentials401() throws Exception {
        HttpResponse<String> forbidden = proxy.get("/_sketchgate/metrics", "alice");
        assertThat(forbidden.statusCode()).isEqualTo(403);
        JsonNode error = JSON.readTree(forbidden.body());
        assertThat(error.at("/error/type").asText()).isEqualTo("security_exception");
        assertThat(error.at("/error/reason").asText())
                .isEqualTo(
                        "User alice may not read the metrics: it needs the"
                                + " role sketchgate_admin, or the scraper's address listed in metrics.unauthenticated_scrape_from.");
        assertThat(error.at("/status").asInt()).isEqualTo(403);
        assertThat(proxy.get("/_sketchgate/metrics", null).statusCode()).isEqualTo(401);
    }

    @Test
    void listedScraperAddress_needsNoCredentials_othersStillDo() throws Exception {
        try (ProxyUnderTest open = AdminProxy.start(
                        dir, es.baseUri(), "metrics: { unauthenticated_scrape_from: [\"127.0.0.0/8\"] }\n");
                ProxyUnderTest closed = AdminProxy.start(
                        dir, es.baseUri(), "metrics: { unauthenticated_scrape_from: [\"10.0.0.0/8\"] }\n")) {
            HttpResponse<String> scraped = open.get("/_sketchgate/metrics", null);
            assertThat(scraped.statusCode()).isEqualTo(200);
            assertThat(scraped.headers().firstValue("content-type")).contains(MetricsEndpoint.CONTENT_TYPE);
            assertThat(PrometheusText.parse(scraped.body()).has("sketchgate_requests_total", ES))
                    .isTrue();
            assertThat(closed.get("/_sketchgate/metrics", null).statusCode()).isEqualTo(401);
        }
    }

    private PrometheusText scrape() throws Exception {
        HttpResponse<String> response = proxy.get("/_sketchgate/metrics", "admin");
        assertThat(response.statusCode()).isEqualTo(200);
        return PrometheusText.parse(response.body());
    }

    private static double delta(PrometheusText before, PrometheusText after, String name, Map<String, String> labels) {
        return after.value(name, labels) - before.value(name, labels);
    }
}
