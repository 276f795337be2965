package io.sketchgate.rewrite;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sketchgate.config.UniqueCountDefinition;
import io.sketchgate.config.UniqueCountsConfig;
import io.sketchgate.server.ProxyServer;
import io.sketchgate.testing.IndexNames;
import io.sketchgate.testing.ProxyUnderTest;
import io.sketchgate.testing.RealElasticsearch;
import io.sketchgate.testing.TestElasticsearch;
import io.sketchgate.uniques.PrecomputeJob;
import io.sketchgate.uniques.RealtimeSketches;
import io.sketchgate.uniques.SketchCache;
import io.sketchgate.uniques.UvAnswer;
import io.sketchgate.uniques.UvQueries;
import io.sketchgate.uniques.UvQueryEngine;
import io.sketchgate.uniques.UvQuestion;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One engine pass per Kibana chart, and the rest of Elasticsearch's answer, against a real Elasticsearch: 25
 * countries with well separated unique counts (so ordering by the estimate and by Elasticsearch's cardinality
 * agree), precomputed by {@link PrecomputeJob}; the proxy's rewrite engine is the real {@link UvQueryEngine}
 * behind a wrapper that records every question. Each chart is sent through Sketchgate and directly to
 * Elasticsearch ({@code request_cache=false}) and the answers compared with {@link ResponseDiff}.
 */
@RealElasticsearch
class KibanaRewriteOnePassTest {
    private static final String INDEX = IndexNames.unique("kib-pass");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final int COUNTRIES = 25;
    private static final String VENDOR_JSON = "application/vnd.elasticsearch+json; compatible-with=8";

    private static final List<Asked> ASKED = new CopyOnWriteArrayList<>();
    private static final ExecutorService ENGINE_THREADS = Executors.newFixedThreadPool(2);
    private static TestElasticsearch es;
    private static ProxyServer proxy;
    private static URI base;

    /** A question the rewrite asked and the engine's answer. */
    private record Asked(UvQuestion question, UvAnswer answer) {}

    /** The real engine, recording what it is asked. */
    private record Recording(UvQueries engine) implements UvQueries {
        @Override
        public CompletableFuture<UvAnswer> answer(UvQuestion question) {
            return engine.answer(question).thenApply(answer -> {
                ASKED.add(new Asked(question, answer));
                return answer;
            });
        }
    }

    @BeforeAll
    static void start(TestElasticsearch elasticsearch) throws Exception {
        es = elasticsearch;
        TestEvents.index(es, INDEX, events());
        // exact edges: this test holds every chart to Elasticsearch's own numbers within 3 %, and some of its windows
        // cut a 5-minute granule, which fine edges answer as a bounded estimate (UvQueryEngineFineEdgesTest)
        UniqueCountDefinition definition = KibanaRewriteDifferentialTest.fixedRange(TestEvents.definition(INDEX))
                .withKibanaEdges(io.sketchgate.config.EdgeReads.EXACT);
        PrecomputeJob.builder(es.client(), definition)
                .granulesPerRequest(96)
                .clock(Clock.fixed(TestEvents.END.plus(Duration.ofHours(1)), ZoneOffset.UTC))
                .build()
                .run(TestEvents.START, TestEvents.END);
        UvQueryEngine engine = new UvQueryEngine(
                es.client(), RealtimeSketches.NONE, new SketchCache(SketchCache.DEFAULT_MAX_BYTES), ENGINE_THREADS);
        proxy = ProxyServer.start(
                ProxyUnderTest.forElasticsearch(es.baseUri())
                        .shortTimeouts()
                        .config()
                        .withUniqueCounts(new UniqueCountsConfig(List.of(definition))),
                Optional.of(new Recording(engine)));
        base = ProxyUnderTest.uri(proxy.elasticsearchAddress());
    }

    @AfterAll
    static void stop() {
        if (proxy != null) {
            proxy.close();
        }
        ENGINE_THREADS.shutdownNow();
    }

    @BeforeEach
    void forget() {
        ASKED.clear();
    }

    /** Country {@code C00} has the most users, {@code C24} the fewest; events without a country too. */
    private static List<TestEvents.Event> events() {
        Random random = new Random(41);
        long span = TestEvents.END.toEpochMilli() - TestEvents.START.toEpochMilli();
        List<TestEvents.Event> events = new ArrayList<>();
        String[] systems = {"android", "ios", "windows"};
        for (int c = 0; c <= COUNTRIES; c++) {
            int users = c == COUNTRIES ? 50 : 40 * (COUNTRIES - c) + 20;
            for (int i = 0; i < users * 3; i++) {
                String country = c == COUNTRIES ? null : String.format("C%02d", c);
                events.add(new TestEvents.Event(
                        TestEvents.START.plusMillis((long) (random.nextDouble() * span)),
                        "u" + c + "-" + random.nextInt(users),
                        country,
                        systems[random.nextInt(systems.length)]));
            }
        }
        return events;
    }

    static Stream<RequestFamily.Variant> charts() {
        Stream<RequestFamily.Variant> lens = RequestFamily.kibanaRecorded().stream();
        Stream<RequestFamily.Variant> generated = RequestFamily.generated().stream()
                .filter(v -> v.name().equals("uv over time 1h UTC")
                        || v.name().equals("top countries by uv 1d Asia/Seoul")
                        || v.name().startsWith("kql filter pv uv 1d")
                        || v.name().startsWith("total uv"));
        return Stream.concat(lens, generated);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("charts")
    void oneChart_makesOneEnginePass_andAnswersAsElasticsearch(RequestFamily.Variant chart) throws Exception {
        HttpResponse<String> response = search(chart.body(), chart.parameters(), "application/json", null);

        assertRewrittenAsElasticsearch(response, chart.body(), chart.parameters());
        assertThat(ASKED).as("engine questions for one chart").hasSize(1);
    }

    @Test
    void lensTop5ByUniqueCount_over25Countries_hasElasticsearchsDocCountError_andRowsOnlyForTheTop5() throws Exception {
        RequestFamily.Variant top5 = RequestFamily.kibanaRecorded().stream()
                .filter(v -> v.name().equals("lens_unique_count_by_top5_terms_30d"))
                .findFirst()
                .orElseThrow();

        HttpResponse<String> response = search(top5.body(), top5.parameters(), "application/json", null);

        JsonNode expected = assertRewrittenAsElasticsearch(response, top5.body(), top5.parameters());
        JsonNode terms = JSON.readTree(response.body()).path("aggregations").path("0");
        assertThat(expected.path("aggregations")
                        .path("0")
                        .path("doc_count_error_upper_bound")
                        .asLong())
                .as("Elasticsearch 8.19, terms ordered by a cardinality, shard_size (17) buckets returned")
                .isEqualTo(-1);
        assertThat(terms.path("doc_count_error_upper_bound").asLong()).isEqualTo(-1);
        List<String> shown = new ArrayList<>();
        terms.path("buckets").forEach(bucket -> shown.add(bucket.path("key").asText()));
        assertThat(shown).containsExactly("C00", "C01", "C02", "C03", "C04");
        assertThat(ASKED).hasSize(1);
        Asked asked = ASKED.get(0);
        assertThat(asked.answer().totals()).as("every country ranked").hasSize(COUNTRIES + 1);
        Set<String> withRows = asked.answer().rows().stream()
                .map(r -> r.split().get(TestEvents.COUNTRY))
                .collect(Collectors.toSet());
        assertThat(withRows)
                .as("per-day values only for the countries shown")
                .containsExactlyInAnyOrder("C00", "C01", "C02", "C03", "C04");
    }

    static Stream<Arguments> termsOrders() {
        return Stream.of(
                Arguments.of("{\"2\":\"desc\"}", 5, "-1: ordered by the cardinality"),
                Arguments.of("{\"_count\":\"desc\"}", 5, "0: by count"),
                Arguments.of("{\"_key\":\"asc\"}", 5, "0: by key"),
                Arguments.of("{\"_count\":\"asc\"}", 5, "-1: by ascending count"),
                Arguments.of("{\"2\":\"desc\"}", 10, "-1: 25 values, shard_size 25"),
                Arguments.of("{\"2\":\"desc\"}", 11, "0: 25 values, shard_size 26"),
                Arguments.of("{\"2\":\"desc\"}", 9, "-1: 25 values, shard_size 23"));
    }

    @ParameterizedTest(name = "{0} size {1} → {2}")
    @MethodSource("termsOrders")
    void docCountErrorUpperBound_isElasticsearchs_forEachOrderAndSize(String order, int size, String why)
            throws Exception {
        ObjectNode body = RequestFamily.parse("{\"size\":0,\"aggs\":{\"0\":{\"terms\":{\"field\":\""
                + TestEvents.COUNTRY + "\",\"order\":" + order + ",\"size\":" + size
                + "},\"aggs\":{\"2\":{\"cardinality\":{\"field\":\"user.id\"}}}}},\"query\":"
                + RequestFamily.query("") + "}");

        HttpResponse<String> response = search(body, Map.of(), "application/json", null);

        assertRewrittenAsElasticsearch(response, body, Map.of());
    }

    static Stream<Arguments> mediaTypes() {
        return Stream.of(
                Arguments.of(VENDOR_JSON, VENDOR_JSON),
                Arguments.of("application/json", null),
                Arguments.of("application/json", "application/json"),
                Arguments.of(VENDOR_JSON, null),
                Arguments.of("application/json; charset=UTF-8", "*/*"));
    }

    @ParameterizedTest(name = "Content-Type {0}, Accept {1}")
    @MethodSource("mediaTypes")
    void contentType_isTheOneElasticsearchSendsForTheRequestsAccept(String contentType, String accept)
            throws Exception {
        RequestFamily.Variant daily = RequestFamily.kibanaRecorded().get(0);

        HttpResponse<String> response = search(daily.body(), daily.parameters(), contentType, accept);
        HttpResponse<String> direct = send(
                es.baseUri(), "/" + INDEX + "/_search?" + query(daily.parameters()), daily.body(), contentType, accept);

        assertThat(response.headers().firstValue("X-Sketchgate-Source")).contains("unique-counts");
        assertThat(response.headers().firstValue("content-type"))
                .isEqualTo(direct.headers().firstValue("content-type"));
    }

    @Test
    void asyncSubmit_asKibanaSendsIt_getsTheVendorContentType() throws Exception {
        RequestFamily.Variant top5 = RequestFamily.kibanaRecorded().get(1);
        String path = "/" + INDEX + "/_async_search?keep_on_completion=false&" + query(top5.parameters());

        HttpResponse<String> response = send(base, path, top5.body(), VENDOR_JSON, VENDOR_JSON);
        HttpResponse<String> direct = send(es.baseUri(), path, top5.body(), VENDOR_JSON, VENDOR_JSON);

        assertThat(response.headers().firstValue("X-Sketchgate-Source")).contains("unique-counts");
        assertThat(response.headers().firstValue("content-type"))
                .isEqualTo(direct.headers().firstValue("content-type"))
                .contains("application/vnd.elasticsearch+json;compatible-with=8");
    }

    static Stream<Arguments> dateMathRanges() {
        // the data is in March and April 2024; "now" is later: now-relative bounds reach back to it
        long toMarch10 = ChronoUnit.DAYS.between(LocalDate.parse("2024-03-10"), LocalDate.now(ZoneOffset.UTC));
        return Stream.of(
                Arguments.of("\"gte\":\"2024-03-04T10:17:00Z||/d\",\"lt\":\"2024-03-20||+1d/d\""),
                Arguments.of("\"gte\":\"2024-03-04||/w\",\"lte\":\"2024-03-25T07:00:00\",\"time_zone\":\"Asia/Seoul\""),
                Arguments.of("\"gt\":\"2024-03-03\",\"lte\":\"2024-03-28\",\"time_zone\":\"America/New_York\""),
                Arguments.of("\"gte\":\"2024-03-02T00:00:00Z||+1M/M\",\"lt\":\"now-" + (toMarch10 - 26) + "d/d\""),
                Arguments.of("\"gte\":\"now-" + toMarch10 + "d/d\",\"lt\":\"now-" + (toMarch10 - 20)
                        + "d/d\",\"time_zone\":\"Asia/Seoul\""),
                Arguments.of("\"gte\":\"now-" + toMarch10 + "d/h\",\"lte\":\"now-" + (toMarch10 - 15) + "d/h\""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dateMathRanges")
    void dateMathInTimeBounds_isResolvedAsElasticsearchResolvesIt_andRewritten(String range) throws Exception {
        String daily = RequestFamily.kibanaRecorded().get(0).body().path("aggs").toString();
        ObjectNode body = RequestFamily.parse("{\"size\":0,\"aggs\":" + daily + ",\"query\":{\"bool\":{\"filter\":"
                + "[{\"range\":{\"@timestamp\":{" + range + "}}}]}}}");
        ((ObjectNode) body.path("aggs").path("0").path("date_histogram")).remove("extended_bounds");

        HttpResponse<String> response = search(body, Map.of("track_total_hits", "true"), "application/json", null);

        JsonNode expected = assertRewrittenAsElasticsearch(response, body, Map.of("track_total_hits", "true"));
        assertThat(expected.path("hits").path("total").path("value").asLong())
                .as("the range holds events")
                .isPositive();
    }

    /**
     * Rewritten, with Elasticsearch's structure, keys and counts; only cardinality values may differ, within 3 %
     * (the sketches' and Elasticsearch's errors at a few hundred users). Returns Elasticsearch's answer.
     */
    private static JsonNode assertRewrittenAsElasticsearch(
            HttpResponse<String> response, JsonNode body, Map<String, String> parameters) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("X-Sketchgate-Source"))
                .as("rewritten")
                .contains("unique-counts");
        JsonNode expected = JSON.readTree(
                send(es.baseUri(), "/" + INDEX + "/_search?" + query(parameters), body, "application/json", null)
                        .body());
        JsonNode actual = JSON.readTree(response.body());
        ResponseDiff diff = ResponseDiff.compare(expected, actual);
        assertThat(diff.structure()).as("structural differences").isEmpty();
        assertThat(diff.numbers()).allSatisfy(n -> {
            assertThat(n.path()).as("only cardinality values differ").endsWith(".value");
            assertThat(Math.abs(n.elasticsearch() - n.rewritten()) / Math.max(1.0, n.elasticsearch()))
                    .as(n.path())
                    .isLessThanOrEqualTo(0.03);
        });
        return expected;
    }

    private static HttpResponse<String> search(
            JsonNode body, Map<String, String> parameters, String contentType, String accept) throws Exception {
        return send(base, "/" + INDEX + "/_search?" + query(parameters), body, contentType, accept);
    }

    private static String query(Map<String, String> parameters) {
        return Stream.concat(
                        parameters.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()),
                        Stream.of("request_cache=false"))
                .collect(Collectors.joining("&"));
    }

    private static HttpResponse<String> send(URI to, String path, JsonNode body, String contentType, String accept)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(to.resolve(path))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        if (accept != null) {
            request.header("Accept", accept);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
