package io.sketchgate.transport;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sketchgate.testing.IndexNames;
import io.sketchgate.testing.ProxyUnderTest;
import io.sketchgate.testing.RealElasticsearch;
import io.sketchgate.testing.TestElasticsearch;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every request goes to Elasticsearch directly and through Sketchgate; status, Elasticsearch's headers and
 * body must be the same (timings aside). Covers every recorded Kibana request and the everyday API.
 */
@RealElasticsearch
@Tag("passthrough")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DifferentialPassthroughTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * Framing headers belong to one connection (see docs/proxy.md); content-length is checked against each
     * response's own body instead, since timings ({@code took}) make equal answers differ in length.
     */
    private static final Set<String> CONNECTION_HEADERS =
            Set.of("transfer-encoding", "connection", "keep-alive", "content-length");

    private static final String VENDORED_JSON = "application/vnd.elasticsearch+json; compatible-with=";
    private static final String VENDORED_NDJSON = "application/vnd.elasticsearch+x-ndjson; compatible-with=";

    private final String prefix = IndexNames.unique("logs-difftest");
    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private TestElasticsearch es;
    private ProxyUnderTest proxy;
    private URI direct;
    private URI proxied;

    @BeforeAll
    void loadLogsAndStartProxy(TestElasticsearch es) throws Exception {
        this.es = es;
        String index = prefix + "-2024.05";
        es.requests().createIndex(index, """
                {"mappings":{"properties":{"@timestamp":{"type":"date"},"user":{"properties":{"id":{"type":"keyword"}}},
                 "geo":{"properties":{"country_iso_code":{"type":"keyword"}}},"event":{"properties":{"dataset":{"type":"keyword"}}},
                 "http":{"properties":{"response":{"properties":{"status_code":{"type":"long"}}}}},"message":{"type":"text"}}}}""");
        List<Map<String, Object>> docs = new ArrayList<>();
        Instant start = Instant.parse("2024-04-15T00:00:00Z");
        String[] countries = {"KR", "DE", "US", "FR", "JP", "BR"};
        for (int i = 0; i < 3000; i++) {
            docs.add(Map.of(
                    "@timestamp",
                    start.plusSeconds(i * 900L).toString(),
                    "user",
                    Map.of("id", "user-" + (i * 7919 % 401)),
                    "geo",
                    Map.of("country_iso_code", countries[i % countries.length]),
                    "event",
                    Map.of("dataset", i % 5 == 0 ? "nginx.error" : "nginx.access"),
                    "http",
                    Map.of("response", Map.of("status_code", i % 11 == 0 ? 404 : 200)),
                    "message",
                    "GET /page/" + (i % 97) + " HTTP/1.1"));
        }
        es.requests().bulkIndex(index, docs);
        es.requests().refresh(index);
        direct = es.baseUri();
        proxy = ProxyUnderTest.forElasticsearch(direct).shortTimeouts().start();
        proxied = proxy.baseUri();
    }

    @AfterAll
    void stopProxy() {
        proxy.close();
    }

    Stream<KibanaFixtures.FixtureRequest> kibanaRequests() {
        return KibanaFixtures.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kibanaRequests")
    void kibanaRequest_getsTheSameAnswerThroughSketchgate(KibanaFixtures.FixtureRequest fixture) throws Exception {
        KibanaFixtures.FixtureRequest request = fixture.withIndexPattern("logs-*", prefix + "*");
        Map<String, String> headers = new TreeMap<>(request.headers());
        headers.put("x-opaque-id", "difftest-" + request.name());
        if (es.majorVersion() < 8) {
            headers.replaceAll((k, v) -> v.replace("compatible-with=8", "compatible-with=7"));
        }
        byte[] body = request.body() == null ? null : JSON.writeValueAsBytes(request.body());
        assertSame(request.method(), request.pathAndQuery(), headers, body);
    }

    @Test
    void everydayApi_getsTheSameAnswersThroughSketchgate() throws Exception {
        String index = prefix + "-2024.05";
        Map<String, String> json = Map.of("content-type", "application/json");
        assertSame("GET", "/_cluster/health/" + index, Map.of(), null);
        assertSame("GET", "/" + index + "/_mapping", Map.of(), null);
        assertSame("GET", "/" + index + "/_settings?filter_path=*.settings.index.number_of_shards", Map.of(), null);
        assertSame("GET", "/_cat/indices/" + prefix + "*?v&h=index,docs.count&s=index", Map.of(), null);
        assertSame("GET", "/_cat/count/" + index + "?format=json&h=count", Map.of(), null); // without its clock columns
        assertSame("HEAD", "/" + index, Map.of(), null);
        assertSame("HEAD", "/" + prefix + "-missing", Map.of(), null);
        assertSame("GET", "/" + index + "/_count", Map.of(), null);
        assertSame("POST", "/" + index + "/_search?pretty", json, """
                {"size":2,"sort":[{"@timestamp":"asc"}],"query":{"range":{"@timestamp":{"gte":"2024-04-20","lt":"2024-04-21"}}},
                 "aggs":{"users":{"cardinality":{"field":"user.id"}},"per_day":{"date_histogram":{"field":"@timestamp","calendar_interval":"1d"}}}}""".getBytes(StandardCharsets.UTF_8));
        assertSame(
                "GET", "/" + index + "/_search?q=geo.country_iso_code:KR&size=1&sort=@timestamp:desc", Map.of(), null);
        String vendoredVersion = String.valueOf(Math.max(7, es.majorVersion()));
        assertSame(
                "POST",
                "/" + index + "/_msearch",
                Map.of("content-type", VENDORED_NDJSON + vendoredVersion, "accept", VENDORED_JSON + vendoredVersion),
                ("{}\n{\"size\":0,\"query\":{\"term\":{\"geo.country_iso_code\":\"DE\"}}}\n" + "{\"index\":\"" + prefix
                                + "-nope\"}\n{\"size\":0}\n")
                        .getBytes(StandardCharsets.UTF_8));
        assertSame("GET", "/" + index + "/_doc/does-not-exist", Map.of(), null);
        assertSame(
                "POST",
                "/" + index + "/_search",
                json,
                "{\"query\":{\"bogus_query\":{}}}".getBytes(StandardCharsets.UTF_8));
        assertSame("POST", "/" + index + "/_search", json, "{\"query\":".getBytes(StandardCharsets.UTF_8));
        assertSame(
                "GET",
                "/" + index + "/_search",
                Map.of("content-type", "text/plain"),
                "{}".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void writes_getTheSameAnswersThroughSketchgate() throws Exception {
        for (String target : List.of("direct", "proxied")) {
            es.requests().createIndex(prefix + "-writes-" + target, "{\"settings\":{\"number_of_replicas\":0}}");
        }
        Observed viaDirect = send(
                direct,
                "POST",
                "/_bulk?refresh=true",
                Map.of("content-type", "application/x-ndjson"),
                bulk(prefix + "-writes-direct"));
        Observed viaProxy = send(
                proxied,
                "POST",
                "/_bulk?refresh=true",
                Map.of("content-type", "application/x-ndjson"),
                bulk(prefix + "-writes-proxied"));
        assertThat(viaProxy.status()).isEqualTo(viaDirect.status()).isEqualTo(200);
        assertThat(viaProxy.headers()).isEqualTo(viaDirect.headers());
        assertThat(normalise(viaProxy.body()).toString().replace("-writes-proxied", "-writes-X"))
                .isEqualTo(normalise(viaDirect.body()).toString().replace("-writes-direct", "-writes-X"));
    }

    @Test
    void scroll_continuesThroughSketchgate_withTheSameHits() throws Exception {
        String index = prefix + "-2024.05";
        byte[] query = "{\"size\":500,\"sort\":[\"_doc\"]}".getBytes(StandardCharsets.UTF_8);
        Map<String, String> json = Map.of("content-type", "application/json");
        JsonNode first = JSON.readTree(send(proxied, "POST", "/" + index + "/_search?scroll=1m", json, query)
                .body());
        JsonNode firstDirect = JSON.readTree(send(direct, "POST", "/" + index + "/_search?scroll=1m", json, query)
                .body());
        List<String> ids = new ArrayList<>();
        List<String> idsDirect = new ArrayList<>();
        String scrollId = first.get("_scroll_id").asText();
        String scrollIdDirect = firstDirect.get("_scroll_id").asText();
        JsonNode page = first;
        JsonNode pageDirect = firstDirect;
        while (page.at("/hits/hits").size() > 0) {
            page.at("/hits/hits").forEach(h -> ids.add(h.get("_id").asText()));
            pageDirect.at("/hits/hits").forEach(h -> idsDirect.add(h.get("_id").asText()));
            page = JSON.readTree(send(
                            proxied,
                            "POST",
                            "/_search/scroll",
                            json,
                            ("{\"scroll\":\"1m\",\"scroll_id\":\"" + scrollId + "\"}").getBytes(StandardCharsets.UTF_8))
                    .body());
            pageDirect = JSON.readTree(send(
                            direct,
                            "POST",
                            "/_search/scroll",
                            json,
                            ("{\"scroll\":\"1m\",\"scroll_id\":\"" + scrollIdDirect + "\"}")
                                    .getBytes(StandardCharsets.UTF_8))
                    .body());
        }
        assertThat(ids).hasSize(3000).isEqualTo(idsDirect);
        Observed cleared = send(
                proxied,
                "DELETE",
                "/_search/scroll",
                json,
                ("{\"scroll_id\":\"" + scrollId + "\"}").getBytes(StandardCharsets.UTF_8));
        assertThat(cleared.status()).isEqualTo(200);
    }

    private static byte[] bulk(String index) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            sb.append("{\"index\":{\"_index\":\"")
                    .append(index)
                    .append("\",\"_id\":\"")
                    .append(i)
                    .append("\"}}\n");
            sb.append("{\"n\":").append(i).append("}\n");
        }
        sb.append("{\"delete\":{\"_index\":\"").append(index).append("\",\"_id\":\"3\"}}\n");
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private void assertSame(String method, String pathAndQuery, Map<String, String> headers, byte[] body)
            throws Exception {
        Observed viaDirect = send(direct, method, pathAndQuery, headers, body);
        Observed viaProxy = send(proxied, method, pathAndQuery, headers, body);
        String what = method + " " + pathAndQuery;
        assertThat(viaProxy.status()).as(what + " status").isEqualTo(viaDirect.status());
        assertThat(viaProxy.headers()).as(what + " headers").isEqualTo(viaDirect.headers());
        assertThat(normalise(viaProxy.body())).as(what + " body").isEqualTo(normalise(viaDirect.body()));
    }

    private Observed send(URI base, String method, String pathAndQuery, Map<String, String> headers, byte[] body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + pathAndQuery))
                .timeout(Duration.ofSeconds(60))
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        if (!method.equals("HEAD")) {
            response.headers()
                    .firstValueAsLong("content-length")
                    .ifPresent(length -> assertThat(length)
                            .as(method + " " + pathAndQuery + " content-length")
                            .isEqualTo(response.body().length));
        }
        Map<String, List<String>> kept = new TreeMap<>();
        response.headers().map().forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!CONNECTION_HEADERS.contains(lower) && !lower.equals(":status")) {
                kept.put(lower, values);
            }
        });
        return new Observed(response.statusCode(), kept, new String(response.body(), StandardCharsets.UTF_8));
    }

    /** JSON without timing fields; other bodies as they are. */
    private static Object normalise(String body) {
        try {
            JsonNode node = JSON.readTree(body);
            if (node == null) {
                return body;
            }
            stripTimings(node);
            return node;
        } catch (IOException notJson) {
            return body;
        }
    }

    private static void stripTimings(JsonNode node) {
        if (node instanceof ObjectNode object) {
            object.remove(List.of("took", "took_in_millis"));
            for (Iterator<JsonNode> it = object.elements(); it.hasNext(); ) {
                stripTimings(it.next());
            }
        } else if (node.isArray()) {
            node.forEach(DifferentialPassthroughTest::stripTimings);
        }
    }

    record Observed(int status, Map<String, List<String>> headers, String body) {}
}
