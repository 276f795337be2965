package io.sketchgate.rewrite;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sketchgate.config.EdgeReads;
import io.sketchgate.config.KibanaRewriteMode;
import io.sketchgate.config.RealtimeSettings;
import io.sketchgate.config.UniqueCountDefinition;
import io.sketchgate.config.UniqueCountsConfig;
import io.sketchgate.server.ProxyServer;
import io.sketchgate.testing.ApiClient;
import io.sketchgate.testing.IndexNames;
import io.sketchgate.testing.ProxyUnderTest;
import io.sketchgate.testing.RealElasticsearch;
import io.sketchgate.testing.TestElasticsearch;
import io.sketchgate.uniques.PrecomputeJob;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.http.entity.ContentType;
import org.apache.http.nio.entity.NStringEntity;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.Response;
import org.elasticsearch.client.ResponseException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The rewrite with the real sketch engine, differentially against Elasticsearch: events precomputed by
 * {@link PrecomputeJob} into a definition with {@code kibana_rewrite: on} and no tailer or scheduler (the
 * precomputed range stays fixed), a proxy from {@link ProxyServer#start}, and Kibana's Lens searches plus the
 * {@link RequestFamily} variations sent both directly to Elasticsearch ({@code request_cache=false}) and through
 * Sketchgate. Structure, bucket keys and doc counts must be equal; each cardinality value must lie within the
 * sketch bounds Sketchgate announces ({@code X-Sketchgate-Uv-Bounds}) and within Elasticsearch's own documented
 * error of the true value, and equal it wherever the announcement says the value is exact.
 *
 * <p>The true values are Elasticsearch's own answer with a {@code precision_threshold} above the number of users:
 * below its threshold its cardinality counts distinct hashes, exact in practice for a few thousand users.
 */
@RealElasticsearch
class KibanaRewriteDifferentialTest {
    private static final String INDEX = IndexNames.unique("kib-diff");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int USERS = 5_000;
    /** Elasticsearch's cardinality at its default precision_threshold (3000) is HLL++ of precision 14. */
    private static final double ES_RELATIVE_STANDARD_ERROR = 1.04 / Math.sqrt(1 << 14);

    private static final Pattern BOUNDS = Pattern.compile("values=(\\d+); exact=(\\d+); max_relative_error=([0-9.]+)");
    private static final String ASYNC_AS_KIBANA = "batched_reduce_size=64&ccs_minimize_roundtrips=true"
            + "&wait_for_completion_timeout=200ms&keep_on_completion=false&keep_alive=60000ms&ignore_unavailable=true";
    private static final Map<String, JsonNode> ANSWERS = new ConcurrentHashMap<>();
    private static TestElasticsearch es;
    private static ProxyServer proxy;
    private static ApiClient client;

    @BeforeAll
    static void start(TestElasticsearch elasticsearch) throws Exception {
        es = elasticsearch;
        TestEvents.index(es, INDEX, events(16_000, USERS));
        UniqueCountDefinition definition = fixedRange(TestEvents.definition(INDEX));
        PrecomputeJob.builder(es.client(), definition)
                .granulesPerRequest(96)
                .clock(Clock.fixed(TestEvents.END.plus(Duration.ofHours(1)), ZoneOffset.UTC))
                .build()
                .run(TestEvents.START, TestEvents.END);
        proxy = ProxyServer.start(ProxyUnderTest.forElasticsearch(es.baseUri())
                .shortTimeouts()
                .config()
                .withUniqueCounts(new UniqueCountsConfig(List.of(definition))));
        client = new ApiClient(ProxyUnderTest.uri(proxy.elasticsearchAddress()));
    }

    @AfterAll
    static void stop() {
        if (proxy != null) {
            proxy.close();
        }
    }

    static List<RequestFamily.Variant> variants() {
        return RequestFamily.all();
    }

    @Test
    void family_hasKibanasLensRequestsAndAtLeastFortyVariations() {
        assertThat(RequestFamily.kibanaRecorded())
                .extracting(RequestFamily.Variant::name)
                .contains("lens_daily_unique_count_30d", "lens_unique_count_by_top5_terms_30d");
        assertThat(RequestFamily.generated()).hasSizeGreaterThanOrEqualTo(40);
    }

    @Test
    void family_includesEstimatedValues_soTheBoundsAreTested() throws Exception {
        RequestFamily.Variant total = RequestFamily.generated().stream()
                .filter(v -> v.name().startsWith("total uv"))
                .findFirst()
                .orElseThrow();

        HttpResponse<String> response = post(
                "/" + INDEX + "/_search?" + queryString(total.parameters()),
                total.body().toString(),
                "application/json");

        Bounds bounds = Bounds.parse(
                response.headers().firstValue("X-Sketchgate-Uv-Bounds").orElseThrow());
        assertThat(bounds.exact()).as("an estimated value").isLessThan(bounds.values());
        assertThat(bounds.maxRelativeError()).isPositive();
        assertThat(JSON.readTree(response.body())
                        .path("aggregations")
                        .path("u")
                        .path("value")
                        .asLong())
                .as("more users than a sketch holds exactly")
                .isGreaterThan(1024);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void search_throughSketchgate_answersAsElasticsearch_withinTheSketchBounds(RequestFamily.Variant variant)
            throws Exception {
        String query = queryString(variant.parameters());

        HttpResponse<String> response =
                post("/" + INDEX + "/_search?" + query, variant.body().toString(), "application/json");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("X-Sketchgate-Source")).contains("unique-counts");
        assertThat(response.headers().firstValue("X-elastic-product")).contains("Elasticsearch");
        Bounds bounds = Bounds.parse(
                response.headers().firstValue("X-Sketchgate-Uv-Bounds").orElseThrow());
        assertMatchesElasticsearch(variant, JSON.readTree(response.body()), bounds);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void asyncSubmit_asKibanaSendsIt_holdsWhatElasticsearchsSearchAnswers(RequestFamily.Variant variant)
            throws Exception {
        HttpResponse<String> response = post(
                "/" + INDEX + "/_async_search?" + ASYNC_AS_KIBANA + "&" + queryString(variant.parameters()),
                variant.body().toString(),
                "application/vnd.elasticsearch+json; compatible-with=8");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("X-Sketchgate-Source")).contains("unique-counts");
        JsonNode envelope = JSON.readTree(response.body());
        assertThat(envelope.has("id")).as("no id without keep_on_completion").isFalse();
        assertThat(envelope.path("is_running").asBoolean(true)).isFalse();
        assertThat(envelope.path("is_partial").asBoolean(true)).isFalse();
        Bounds bounds = Bounds.parse(
                response.headers().firstValue("X-Sketchgate-Uv-Bounds").orElseThrow());
        assertMatchesElasticsearch(variant, envelope.path("response"), bounds);
    }

    @Test
    void msearch_mixingFamilySearchesWithOneThatMustPassThrough_answersEverySlotAsElasticsearch() throws Exception {
        List<RequestFamily.Variant> all = RequestFamily.all();
        for (int start = 0; start + 3 <= all.size(); start += 15) {
            List<RequestFamily.Variant> rewritten = all.subList(start, start + 3).stream()
                    .filter(v -> v.parameters().isEmpty())
                    .toList(); // _msearch lines carry no URL parameters
            ObjectNode withHits = rewritten.get(0).body().deepCopy().put("size", 2);
            String header = "{\"index\":\"" + INDEX + "\",\"request_cache\":false}\n";
            StringBuilder ndjson = new StringBuilder();
            for (JsonNode body : List.of(rewritten.get(0).body(), withHits)) {
                ndjson.append(header).append(body).append('\n');
            }
            for (RequestFamily.Variant variant : rewritten.subList(1, rewritten.size())) {
                ndjson.append(header).append(variant.body()).append('\n');
            }

            HttpResponse<String> response = post("/_msearch", ndjson.toString(), "application/x-ndjson");

            assertThat(response.statusCode()).isEqualTo(200);
            String expectedSlots = rewritten.size() == 1 ? "[0]" : rewritten.size() == 2 ? "[0, 2]" : "[0, 2, 3]";
            assertThat(response.headers().firstValue("X-Sketchgate-Source"))
                    .contains("unique-counts; searches " + expectedSlots);
            List<Bounds> bounds = new ArrayList<>();
            for (String group : response.headers()
                    .firstValue("X-Sketchgate-Uv-Bounds")
                    .orElseThrow()
                    .split(" \\| ")) {
                bounds.add(Bounds.parse(group));
            }
            assertThat(bounds).hasSize(rewritten.size());
            JsonNode slots = JSON.readTree(response.body()).path("responses");
            assertThat(slots.size()).isEqualTo(rewritten.size() + 1);
            for (JsonNode slot : slots) {
                assertThat(slot.path("status").asInt()).isEqualTo(200);
            }
            assertMatchesElasticsearch(rewritten.get(0), withoutStatus(slots.get(0)), bounds.get(0));
            assertThat(slots.get(1).path("hits").path("hits").size())
                    .as("the forwarded search's hits")
                    .isEqualTo(2);
            assertThat(ResponseDiff.compare(direct(withHits, Map.of()), withoutStatus(slots.get(1)))
                            .structure())
                    .isEmpty();
            for (int i = 1; i < rewritten.size(); i++) {
                assertMatchesElasticsearch(rewritten.get(i), withoutStatus(slots.get(i + 1)), bounds.get(i));
            }
        }
    }

    /** An _msearch item is a search response plus its {@code status}. */
    private static JsonNode withoutStatus(JsonNode slot) {
        ObjectNode copy = slot.deepCopy();
        copy.remove("status");
        return copy;
    }

    static List<RequestFamily.Variant> notRewritable() {
        ObjectNode daily = RequestFamily.kibanaRecorded().get(0).body();
        String text = daily.toString();
        Map<String, String> tracked = Map.of("track_total_hits", "true");
        return List.of(
                new RequestFamily.Variant(
                        "should filter",
                        RequestFamily.parse(text.replace(
                                "\"should\":[]", "\"should\":[{\"term\":{\"" + TestEvents.COUNTRY + "\":\"KR\"}}]")),
                        tracked),
                new RequestFamily.Variant(
                        "filter on a field that is not a dimension",
                        RequestFamily.parse(
                                text.replace("\"filter\":[", "\"filter\":[{\"term\":{\"user.id\":\"u7\"}},")),
                        tracked),
                new RequestFamily.Variant(
                        "script filter",
                        RequestFamily.parse(text.replace(
                                "\"filter\":[",
                                "\"filter\":[{\"script\":{\"script\":{\"source\":\"doc['user.id'].size() > 0\"}}},")),
                        tracked),
                new RequestFamily.Variant("size 3", daily.deepCopy().put("size", 3), tracked),
                new RequestFamily.Variant(
                        "interval finer than the granularity",
                        RequestFamily.parse(text.replaceAll(
                                "\"(fixed|calendar)_interval\":\"[^\"]+\"", "\"fixed_interval\":\"30m\"")),
                        tracked));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("notRewritable")
    void searchesThatMustNotBeRewritten_passThrough_withElasticsearchsAnswer(RequestFamily.Variant variant)
            throws Exception {
        HttpResponse<String> response = post(
                "/" + INDEX + "/_search?" + queryString(variant.parameters()),
                variant.body().toString(),
                "application/json");

        assertThat(response.headers().firstValue("X-Sketchgate-Source")).isEmpty();
        JsonNode actual = JSON.readTree(response.body());
        Request request = new Request("POST", "/" + INDEX + "/_search?" + queryString(variant.parameters()));
        request.setEntity(new NStringEntity(variant.body().toString(), ContentType.APPLICATION_JSON));
        Response direct;
        try {
            direct = es.client().performRequest(request);
        } catch (ResponseException e) {
            direct = e.getResponse(); // the test Elasticsearch has no painless: a script search fails there too
        }
        JsonNode expected = JSON.readTree(direct.getEntity().getContent());
        assertThat(response.statusCode())
                .as(response.body())
                .isEqualTo(direct.getStatusLine().getStatusCode());
        if (expected.has("error")) {
            assertThat(actual.path("error").path("root_cause"))
                    .isEqualTo(expected.path("error").path("root_cause"));
            return;
        }
        assertThat(actual.path("aggregations")).isEqualTo(expected.path("aggregations"));
        assertThat(actual.path("hits").path("total"))
                .isEqualTo(expected.path("hits").path("total"));
        assertThat(actual.path("hits").path("hits").size())
                .isEqualTo(expected.path("hits").path("hits").size());
        assertThat(expected.path("hits").path("total").path("value").asLong())
                .as("the search matched events")
                .isPositive();
    }

    /**
     * Same structure, keys and doc counts as Elasticsearch's answer; every cardinality value (the only numbers
     * allowed to differ) within the announced bounds and Elasticsearch's error of the truth, exact where announced.
     */
    private static void assertMatchesElasticsearch(RequestFamily.Variant variant, JsonNode actual, Bounds bounds)
            throws Exception {
        JsonNode expected = cachedDirect(variant.body(), variant.parameters());
        JsonNode truth = cachedDirect(exactCardinality(variant.body()), variant.parameters());

        ResponseDiff diff = ResponseDiff.compare(expected, actual);
        assertThat(diff.structure())
                .as("structural differences from Elasticsearch")
                .isEmpty();
        assertThat(diff.numbers())
                .as("only cardinality values may differ")
                .allSatisfy(n -> assertThat(n.path()).endsWith(".value").doesNotContain("hits.total"));
        assertThat(ResponseDiff.compare(truth, actual).structure())
                .as("same buckets as the truth")
                .isEmpty();

        Map<String, Long> values = new LinkedHashMap<>();
        cardinalityValues("", actual.path("aggregations"), variant.body().path("aggs"), values);
        assertThat(values).as("cardinality values in the response").hasSize((int) bounds.values());
        int equalToTruth = 0;
        for (Map.Entry<String, Long> value : values.entrySet()) {
            long exact = at(truth.path("aggregations"), value.getKey()).asLong();
            long ours = value.getValue();
            double error = Math.abs(ours - exact) / (double) Math.max(exact, 1);
            assertThat(error)
                    .as(
                            "%s: sketchgate %d, truth %d, bounds ±%s",
                            value.getKey(), ours, exact, bounds.maxRelativeError())
                    .isLessThanOrEqualTo(bounds.maxRelativeError());
            assertThat(error)
                    .as("%s within Elasticsearch's documented error (3 standard errors)", value.getKey())
                    .isLessThanOrEqualTo(3 * ES_RELATIVE_STANDARD_ERROR);
            equalToTruth += ours == exact ? 1 : 0;
        }
        assertThat(equalToTruth)
                .as("values equal to the truth, at least the announced exact ones")
                .isGreaterThanOrEqualTo((int) bounds.exact());
    }

    /** Paths of every cardinality value in a response, found through the request's aggregation tree. */
    private static void cardinalityValues(String path, JsonNode response, JsonNode aggs, Map<String, Long> into) {
        for (Iterator<Map.Entry<String, JsonNode>> it = aggs.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> agg = it.next();
            JsonNode result = response.path(agg.getKey());
            String here = path.isEmpty() ? agg.getKey() : path + "." + agg.getKey();
            if (agg.getValue().has("cardinality")) {
                into.put(here + ".value", result.path("value").asLong());
                continue;
            }
            JsonNode sub = agg.getValue().has("aggs")
                    ? agg.getValue().path("aggs")
                    : agg.getValue().path("aggregations");
            if (result.has("buckets") && result.path("buckets").isArray()) {
                for (int i = 0; i < result.path("buckets").size(); i++) {
                    cardinalityValues(
                            here + ".buckets[" + i + "]", result.path("buckets").get(i), sub, into);
                }
            } else if (result.has("buckets")) {
                result.path("buckets")
                        .fieldNames()
                        .forEachRemaining(name -> cardinalityValues(
                                here + ".buckets." + name,
                                result.path("buckets").path(name),
                                sub,
                                into));
            } else {
                cardinalityValues(here, result, sub, into);
            }
        }
    }

    private static JsonNode at(JsonNode root, String path) {
        JsonNode node = root;
        for (String part : path.split("\\.")) {
            Matcher indexed = Pattern.compile("(.*)\\[(\\d+)]").matcher(part);
            node = indexed.matches()
                    ? node.path(indexed.group(1)).path(Integer.parseInt(indexed.group(2)))
                    : node.path(part);
        }
        assertThat(node.isMissingNode()).as("truth has %s", path).isFalse();
        return node;
    }

    /**
     * The body with every cardinality counting exactly: below its precision_threshold Elasticsearch keeps the
     * distinct hashes, and no bucket has more users than the data ({@link #USERS}). (The largest threshold,
     * 40000, trips the request breaker for the hourly splits.)
     */
    private static JsonNode exactCardinality(JsonNode body) {
        JsonNode copy = body.deepCopy();
        copy.findParents("cardinality").forEach(parent -> {
            if (parent.path("cardinality").has("field")) {
                ((ObjectNode) parent.path("cardinality")).put("precision_threshold", USERS);
            }
        });
        return copy;
    }

    record Bounds(long values, long exact, double maxRelativeError) {
        static Bounds parse(String header) {
            Matcher matcher = BOUNDS.matcher(header);
            assertThat(matcher.matches())
                    .as("X-Sketchgate-Uv-Bounds %s", header)
                    .isTrue();
            return new Bounds(
                    Long.parseLong(matcher.group(1)),
                    Long.parseLong(matcher.group(2)),
                    Double.parseDouble(matcher.group(3)));
        }
    }

    /**
     * Page views of a few thousand users (some far more active than others) with clearly different country and
     * system shares, so ordering terms by unique count is not decided by estimation noise.
     */
    private static List<TestEvents.Event> events(int count, int users) {
        Random random = new Random(23);
        long span = TestEvents.END.toEpochMilli() - TestEvents.START.toEpochMilli();
        List<TestEvents.Event> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            double c = random.nextDouble();
            String country =
                    c < 0.34 ? "KR" : c < 0.56 ? "US" : c < 0.72 ? "DE" : c < 0.83 ? "FR" : c < 0.91 ? "JP" : null;
            double o = random.nextDouble();
            String os = o < 0.5 ? "android" : o < 0.8 ? "ios" : "windows";
            events.add(new TestEvents.Event(
                    TestEvents.START.plusMillis((long) (random.nextDouble() * span)),
                    "u" + (int) Math.floor(Math.pow(random.nextDouble(), 1.5) * users),
                    country,
                    os));
        }
        return events;
    }

    /** The definition with {@code kibana_rewrite: on}, no tailer and no scheduler: the precomputed range stays. */
    static UniqueCountDefinition fixedRange(UniqueCountDefinition definition) {
        RealtimeSettings on = definition.realtime();
        return new UniqueCountDefinition(
                IndexNames.unique("kdiff"),
                definition.source(),
                definition.timeField(),
                definition.uniqueField(),
                definition.dimensions(),
                definition.granularity(),
                definition.timeZones(),
                definition.precision(),
                definition.lateness(),
                definition.maxExactValues(),
                new RealtimeSettings(
                        false,
                        on.pollInterval(),
                        on.overlap(),
                        on.persistInterval(),
                        on.maxOpenGranules(),
                        on.maxSketches(),
                        false,
                        on.scheduleInterval()),
                KibanaRewriteMode.ON,
                EdgeReads.DEFAULT);
    }

    private static String queryString(Map<String, String> parameters) {
        Map<String, String> all = new LinkedHashMap<>(parameters);
        all.put("request_cache", "false");
        return all.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("&"));
    }

    /** Elasticsearch's answers are asked once per body: the search, async and _msearch tests share them. */
    private static JsonNode cachedDirect(JsonNode body, Map<String, String> parameters) throws Exception {
        String key = queryString(parameters) + " " + body;
        JsonNode known = ANSWERS.get(key);
        if (known == null) {
            known = direct(body, parameters);
            ANSWERS.put(key, known);
        }
        return known;
    }

    private static JsonNode direct(JsonNode body, Map<String, String> parameters) throws Exception {
        Request request = new Request("POST", "/" + INDEX + "/_search?" + queryString(parameters));
        request.setEntity(new NStringEntity(body.toString(), ContentType.APPLICATION_JSON));
        return JSON.readTree(es.client().performRequest(request).getEntity().getContent());
    }

    private static HttpResponse<String> post(String path, String body, String contentType) throws Exception {
        return client.send("POST", path, null, body, Map.of("Content-Type", contentType));
    }
}
