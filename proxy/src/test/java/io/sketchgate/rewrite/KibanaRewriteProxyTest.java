package io.sketchgate.rewrite;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sketchgate.config.ConfigLoader;
import io.sketchgate.config.KibanaRewriteMode;
import io.sketchgate.config.UniqueCountsConfig;
import io.sketchgate.server.ProxyServer;
import io.sketchgate.testing.ApiClient;
import io.sketchgate.testing.IndexNames;
import io.sketchgate.testing.ProxyUnderTest;
import io.sketchgate.testing.RealElasticsearch;
import io.sketchgate.testing.TestDefinitions;
import io.sketchgate.testing.TestElasticsearch;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.elasticsearch.client.Request;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The rewrite through a running proxy in front of real Elasticsearch, with {@link ExactUvQueries} standing in
 * for the sketch engine: {@code _search}, {@code _async_search} (submit, poll, status, delete), {@code _msearch}
 * mixing rewritten and forwarded searches, searches that must pass through, and shadow mode.
 */
@RealElasticsearch
class KibanaRewriteProxyTest {
    private static final String ON = IndexNames.unique("kib-rewrite-on");
    private static final String SHADOW = IndexNames.unique("kib-rewrite-shadow");
    private static final String OFF = IndexNames.unique("kib-rewrite-off");
    private static final String BROKEN = IndexNames.unique("kib-rewrite-broken");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<TestEvents.Event> EVENTS = TestEvents.generate(400, 11);
    private static final RequestFamily.Variant DAILY = RequestFamily.kibanaRecorded().stream()
            .filter(v -> v.name().equals("lens_daily_unique_count_30d"))
            .findFirst()
            .orElseThrow();
    private static final RequestFamily.Variant TOP5 = RequestFamily.kibanaRecorded().stream()
            .filter(v -> v.name().equals("lens_unique_count_by_top5_terms_30d"))
            .findFirst()
            .orElseThrow();
    private static TestElasticsearch es;
    private static ExactUvQueries engine;
    private static ProxyServer proxy;
    private static ApiClient client;

    @BeforeAll
    static void start(TestElasticsearch elasticsearch) throws Exception {
        es = elasticsearch;
        for (String index : List.of(ON, SHADOW, OFF, BROKEN)) {
            TestEvents.index(es, index, EVENTS);
        }
        engine = new ExactUvQueries(EVENTS);
        UniqueCountsConfig uniqueCounts = new UniqueCountsConfig(List.of(
                TestEvents.definition(ON).withKibanaRewrite(KibanaRewriteMode.ON),
                rename(TestEvents.definition(SHADOW), "kib-shadow").withKibanaRewrite(KibanaRewriteMode.SHADOW),
                rename(TestEvents.definition(OFF), "kib-off"),
                rename(TestEvents.definition(BROKEN), "broken").withKibanaRewrite(KibanaRewriteMode.ON)));
        proxy = ProxyServer.start(
                ProxyUnderTest.forElasticsearch(es.baseUri())
                        .shortTimeouts()
                        .config()
                        .withUniqueCounts(uniqueCounts),
                Optional.of(engine));
        client = new ApiClient(ProxyUnderTest.uri(proxy.elasticsearchAddress()));
    }

    @AfterAll
    static void stop() {
        if (proxy != null) {
            proxy.close();
        }
    }

    @Test
    void lensSearch_isAnsweredFromUniqueCounts_withElasticsearchsResponseAndHeaders() throws Exception {
        int asked = engine.questions.get();

        HttpResponse<String> response =
                post("/" + ON + "/_search?track_total_hits=true", DAILY.body().toString(), "application/json");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("X-elastic-product")).contains("Elasticsearch");
        assertThat(response.headers().firstValue("content-type")).contains("application/json");
        assertThat(response.headers().firstValue("X-Sketchgate-Source")).contains("unique-counts");
        assertThat(response.headers().firstValue("X-Sketchgate-Uv-Bounds").orElseThrow())
                .matches("values=\\d+; exact=\\d+; max_relative_error=0");
        assertThat(engine.questions.get()).isGreaterThan(asked);
        assertSameAnswer(JSON.readTree(response.body()), direct(ON, DAILY.body().toString(), "track_total_hits=true"));
    }

    @Test
    void searchesThatMustNotBeRewritten_passThrough_withElasticsearchsAnswer() throws Exception {
        String withHits = DAILY.body().deepCopy().put("size", 3).toString();
        String shouldFilter = DAILY.body()
                .toString()
                .replace("\"should\":[]", "\"should\":[{\"term\":{\"" + TestEvents.COUNTRY + "\":\"KR\"}}]");
        for (String body : List.of(withHits, shouldFilter)) {
            HttpResponse<String> response = post("/" + ON + "/_search", body, "application/json");

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("X-Sketchgate-Source")).isEmpty();
            JsonNode expected = direct(ON, body, "");
            assertThat(JSON.readTree(response.body()).path("aggregations")).isEqualTo(expected.path("aggregations"));
            assertThat(JSON.readTree(response.body()).path("hits").path("hits").size())
                    .isEqualTo(expected.path("hits").path("hits").size());
        }
    }

    @Test
    void indexWithRewriteOff_isNotRewritten() throws Exception {
        int asked = engine.questions.get();

        HttpResponse<String> response =
                post("/" + OFF + "/_search", DAILY.body().toString(), "application/json");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("X-Sketchgate-Source")).isEmpty();
        assertThat(engine.questions.get()).isEqualTo(asked);
    }

    @Test
    void whenTheEngineFails_elasticsearchAnswers() throws Exception {
        int asked = engine.questions.get();

        HttpResponse<String> response =
                post("/" + BROKEN + "/_search", DAILY.body().toString(), "application/json");

        assertThat(engine.questions.get()).as("the engine was asked").isGreaterThan(asked);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("X-Sketchgate-Source")).isEmpty();
        assertSameAnswer(
                JSON.readTree(response.body()), direct(BROKEN, DAILY.body().toString(), ""));
    }

    @Test
    void asyncSubmit_asKibanaSendsIt_isACompletedEnvelopeWithoutId_holdingWhatSearchWouldAnswer() throws Exception {
        HttpResponse<String> response = post(
                "/" + ON + "/_async_search?batched_reduce_size=64&ccs_minimize_roundtrips=true"
                        + "&wait_for_completion_timeout=200ms&keep_on_completion=false&keep_alive=60000ms"
                        + "&ignore_unavailable=true&track_total_hits=true",
                TOP5.body().toString(),
                "application/vnd.elasticsearch+json; compatible-with=8");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode envelope = JSON.readTree(response.body());
        assertThat(envelope.has("id")).isFalse();
        assertThat(envelope.path("is_running").asBoolean(true)).isFalse();
        assertThat(envelope.path("is_partial").asBoolean(true)).isFalse();
        assertThat(envelope.path("expiration_time_in_millis").asLong()
                        - envelope.path("start_time_in_millis").asLong())
                .isBetween(59_000L, 61_000L);
        assertThat(envelope.path("response").path("_shards").path("total").isNumber())
                .isTrue();
        assertSameAnswer(envelope.path("response"), direct(ON, TOP5.body().toString(), "track_total_hits=true"));
    }

    @Test
    void asyncSubmit_keptOnCompletion_isServedByItsId_untilDeleted() throws Exception {
        HttpResponse<String> submitted = post(
                "/" + ON + "/_async_search?keep_on_completion=true&keep_alive=5m",
                DAILY.body().toString(),
                "application/json");
        JsonNode envelope = JSON.readTree(submitted.body());
        String id = envelope.path("id").asText();
        assertThat(id).isNotEmpty();

        HttpResponse<String> polled = send("GET", "/_async_search/" + id + "?wait_for_completion_timeout=200ms", null);
        assertThat(polled.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(polled.body()).path("response")).isEqualTo(envelope.path("response"));
        assertThat(polled.headers().firstValue("X-elastic-product")).contains("Elasticsearch");

        HttpResponse<String> status = send("GET", "/_async_search/status/" + id, null);
        assertThat(JSON.readTree(status.body()).path("completion_status").asInt())
                .isEqualTo(200);
        assertThat(JSON.readTree(status.body()).path("is_running").asBoolean(true))
                .isFalse();

        HttpResponse<String> deleted = send("DELETE", "/_async_search/" + id, null);
        assertThat(JSON.readTree(deleted.body()).path("acknowledged").asBoolean())
                .isTrue();

        HttpResponse<String> gone = send("GET", "/_async_search/" + id, null);
        assertThat(gone.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(gone.body()).path("error").path("type").asText())
                .isEqualTo("resource_not_found_exception");
        assertThat(JSON.readTree(gone.body()).path("status").asInt()).isEqualTo(404);
    }

    @Test
    void msearch_mixingRewrittenAndForwardedSearches_answersEachInItsSlot() throws Exception {
        String forwarded = DAILY.body().deepCopy().put("size", 2).toString();
        String body = "{\"index\":\"" + ON + "\"}\n" + DAILY.body() + "\n"
                + "{\"index\":\"" + ON + "\"}\n" + forwarded + "\n"
                + "{\"index\":\"" + OFF + "\"}\n" + DAILY.body() + "\n"
                + "{\"index\":\"" + ON + "\"}\n" + TOP5.body() + "\n";

        HttpResponse<String> response = post("/_msearch?max_concurrent_searches=4", body, "application/x-ndjson");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("X-Sketchgate-Uv-Bounds").orElseThrow())
                .matches(
                        "values=\\d+; exact=\\d+; max_relative_error=0 \\| values=\\d+; exact=\\d+; max_relative_error=0");
        JsonNode actual = JSON.readTree(response.body()).path("responses");
        JsonNode expected = directMsearch(body).path("responses");
        assertThat(actual.size()).isEqualTo(4);
        for (int slot = 0; slot < 4; slot++) {
            assertThat(actual.get(slot).path("status").asInt())
                    .as("slot %d", slot)
                    .isEqualTo(200);
            assertSameAnswer(actual.get(slot), expected.get(slot));
        }
        assertThat(actual.get(1).path("hits").path("hits").size()).isEqualTo(2); // the forwarded one has its hits
        assertThat(response.headers().firstValue("X-Sketchgate-Source")).contains("unique-counts; searches [0, 3]");
    }

    @Test
    void msearch_whoseEverySearchIsRewritten_isAnsweredWithoutElasticsearch() throws Exception {
        String body =
                "{\"index\":\"" + ON + "\"}\n" + DAILY.body() + "\n{\"index\":\"" + ON + "\"}\n" + TOP5.body() + "\n";

        HttpResponse<String> response = post("/_msearch", body, "application/x-ndjson");

        assertThat(response.headers().firstValue("X-Sketchgate-Source")).contains("unique-counts");
        JsonNode actual = JSON.readTree(response.body()).path("responses");
        JsonNode expected = directMsearch(body).path("responses");
        for (int slot = 0; slot < 2; slot++) {
            assertSameAnswer(actual.get(slot), expected.get(slot));
        }
    }

    @Test
    void shadowMode_answersFromElasticsearch_andLogsTheComparison() throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger("io.sketchgate.pipeline.UniqueCountRewrites");
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        logger.addAppender(logged);
        try {
            HttpResponse<String> response =
                    post("/" + SHADOW + "/_search", DAILY.body().toString(), "application/json");

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("X-Sketchgate-Source")).isEmpty();
            assertSameAnswer(
                    JSON.readTree(response.body()), direct(SHADOW, DAILY.body().toString(), ""));
            long deadline = System.nanoTime() + 10_000_000_000L; // the comparison is logged once both answers are in
            while (logged.list.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(logged.list)
                    .extracting(ILoggingEvent::getFormattedMessage)
                    .anySatisfy(line -> assertThat(line)
                            .startsWith("kibana_rewrite shadow kib-shadow: elasticsearch took")
                            .contains("0 structural, 0 numeric differences"));
        } finally {
            logger.detachAppender(logged);
        }
    }

    @Test
    void rewrittenResponse_carriesTheDecisionHeader_andItsRealRequestSizeInTheAccessLog(@TempDir Path dir)
            throws Exception {
        Path accessLog = dir.resolve("access.jsonl");
        Path file = dir.resolve("sketchgate.yml");
        Files.writeString(file, """
                listeners: { elasticsearch: { host: 127.0.0.1, port: 0 } }
                elasticsearch: { hosts: ["%s"] }
                access_log: { enabled: true, path: "%s" }
                identity: { sources: [], anonymous_role: viewer, decision_header: everyone }
                roles:
                  viewer: { indices: ["*"] }
                """.formatted(es.baseUri(), accessLog));
        UniqueCountsConfig uniqueCounts = new UniqueCountsConfig(List.of(
                TestEvents.definition(ON).withKibanaRewrite(KibanaRewriteMode.ON),
                rename(TestEvents.definition(SHADOW), "kib-shadow").withKibanaRewrite(KibanaRewriteMode.SHADOW)));
        try (ProxyServer governed = ProxyServer.start(
                new ConfigLoader(Map.of()).load(file).withUniqueCounts(uniqueCounts), Optional.of(engine))) {
            URI uri = ProxyUnderTest.uri(governed.elasticsearchAddress());
            String body = DAILY.body().toString();
            ApiClient governedClient = new ApiClient(uri);
            Map<String, String> json = Map.of("Content-Type", "application/json");
            HttpResponse<String> rewritten =
                    governedClient.send("POST", "/" + ON + "/_search?track_total_hits=true", null, body, json);
            HttpResponse<String> forwarded = governedClient.send("POST", "/" + OFF + "/_search", null, body, json);

            assertThat(rewritten.statusCode()).isEqualTo(200);
            assertThat(rewritten.headers().firstValue("X-Sketchgate-Source")).contains("unique-counts");
            assertThat(forwarded.headers().firstValue("X-Sketchgate-Decision")).isPresent();
            assertThat(rewritten.headers().firstValue("X-Sketchgate-Decision").orElseThrow())
                    .startsWith("allowed, roles [viewer]")
                    .contains(", rewritten from unique counts ");
            // why a search of a rewritten index was not rewritten, and shadow mode, say so in the decision
            HttpResponse<String> withHits = governedClient.send(
                    "POST",
                    "/" + ON + "/_search",
                    null,
                    DAILY.body().deepCopy().put("size", 3).toString(),
                    json);
            assertThat(withHits.headers().firstValue("X-Sketchgate-Decision").orElseThrow())
                    .startsWith("allowed, roles [viewer]")
                    .contains(", not rewritten: ")
                    .doesNotContain("rewritten from");
            HttpResponse<String> yaml = governedClient.send(
                    "POST",
                    "/" + ON + "/_search",
                    null,
                    body,
                    Map.of("Content-Type", "application/json", "Accept", "application/yaml"));
            assertThat(yaml.headers().firstValue("X-Sketchgate-Decision").orElseThrow())
                    .endsWith(", not rewritten: Accept application/yaml");
            HttpResponse<String> shadowed = governedClient.send("POST", "/" + SHADOW + "/_search", null, body, json);
            assertThat(shadowed.headers().firstValue("X-Sketchgate-Source")).isEmpty();
            assertThat(shadowed.headers().firstValue("X-Sketchgate-Decision").orElseThrow())
                    .endsWith(", shadowed by unique counts kib-shadow");
            JsonNode logged = null;
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (logged == null && System.nanoTime() < deadline) {
                if (Files.exists(accessLog)) {
                    for (String line : Files.readAllLines(accessLog)) {
                        JsonNode entry = JSON.readTree(line);
                        if (entry.path("path").asText().startsWith("/" + ON + "/_search?")) {
                            logged = entry;
                        }
                    }
                }
                Thread.sleep(50);
            }
            assertThat(logged).as("access log entry of the rewritten search").isNotNull();
            assertThat(logged.path("bytes_in").asLong())
                    .isEqualTo(body.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
        }
    }

    private static void assertSameAnswer(JsonNode actual, JsonNode expected) {
        ResponseDiff diff = ResponseDiff.compare(expected, actual);
        assertThat(diff.summary()).isEqualTo("0 structural, 0 numeric differences");
    }

    private static io.sketchgate.config.UniqueCountDefinition rename(
            io.sketchgate.config.UniqueCountDefinition d, String name) {
        return TestDefinitions.definition(
                name,
                d.source(),
                d.timeField(),
                d.uniqueField(),
                d.dimensions(),
                d.granularity(),
                d.timeZones(),
                d.precision(),
                d.lateness(),
                d.maxExactValues());
    }

    private static JsonNode direct(String index, String body, String query) throws Exception {
        Request request = new Request("POST", "/" + index + "/_search" + (query.isEmpty() ? "" : "?" + query));
        request.setJsonEntity(body);
        return JSON.readTree(es.client().performRequest(request).getEntity().getContent());
    }

    private static JsonNode directMsearch(String body) throws Exception {
        Request request = new Request("POST", "/_msearch");
        request.setEntity(new org.apache.http.nio.entity.NStringEntity(
                body, org.apache.http.entity.ContentType.create("application/x-ndjson")));
        return JSON.readTree(es.client().performRequest(request).getEntity().getContent());
    }

    private static HttpResponse<String> post(String path, String body, String contentType) throws Exception {
        return client.send("POST", path, null, body, Map.of("Content-Type", contentType));
    }

    private static HttpResponse<String> send(String method, String path, String body) throws Exception {
        return client.send(method, path, null, body);
    }
}
