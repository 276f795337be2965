package io.sketchgate.rewrite;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sketchgate.testing.IndexNames;
import io.sketchgate.testing.RealElasticsearch;
import io.sketchgate.testing.TestElasticsearch;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.Response;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The synthesized response against Elasticsearch's own, for the same search over the same few hundred events:
 * the answers come from {@link ExactUvQueries} (exact truth from the events), so any difference in keys, key
 * order, bucket keys, {@code key_as_string}, doc counts, terms ordering or {@code hits.total} is the rewrite's.
 * Elasticsearch's cardinality is exact at this size, so values must be equal too.
 */
@RealElasticsearch
class SynthesisAgainstElasticsearchTest {
    private static final String INDEX = IndexNames.unique(SynthesisAgainstElasticsearchTest.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<TestEvents.Event> EVENTS = TestEvents.generate(700, 7);
    private static TestElasticsearch es;
    private static KibanaRewriter rewriter;
    private static ExactUvQueries engine;

    @BeforeAll
    static void load(TestElasticsearch elasticsearch) throws Exception {
        es = elasticsearch;
        TestEvents.index(es, INDEX, EVENTS);
        engine = new ExactUvQueries(EVENTS);
        rewriter = new KibanaRewriter(engine, Clock.systemUTC());
    }

    static List<RequestFamily.Variant> variants() {
        return RequestFamily.all();
    }

    @Test
    void family_hasKibanasRequestsAndAtLeastFortyVariations() {
        assertThat(RequestFamily.kibanaRecorded()).hasSizeGreaterThanOrEqualTo(2);
        assertThat(RequestFamily.generated()).hasSizeGreaterThanOrEqualTo(40);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void synthesizedResponse_equalsElasticsearchs(RequestFamily.Variant variant) throws Exception {
        JsonNode expected = search(variant.body(), variant.parameters());
        RewriteMatcher.Decision decision = decide(variant);
        assertThat(decision).as("rewritable").isInstanceOf(RewriteMatcher.Rewrite.class);

        JsonNode actual = rewriter.answer(((RewriteMatcher.Rewrite) decision).plan())
                .join()
                .search();

        ResponseDiff diff = ResponseDiff.compare(expected, actual);
        assertThat(diff.summary())
                .as("differences from Elasticsearch's response")
                .isEqualTo("0 structural, 0 numeric differences");
        assertThat(actual.path("aggregations").toString())
                .as("whole aggregations, byte for byte")
                .isEqualTo(expected.path("aggregations").toString());
        assertThat(actual.path("hits").toString())
                .isEqualTo(expected.path("hits").toString());
    }

    @Test
    void theOverallUniqueCount_isMadeOnlyForAChartThatShowsIt() {
        RequestFamily.Variant split = firstWithTopLevel("terms");
        RequestFamily.Variant metric = firstWithTopLevel("cardinality");

        assertThat(overallsMadeAnswering(split))
                .as("a split chart (hits.total is the totals' page views)")
                .isZero();
        assertThat(overallsMadeAnswering(metric))
                .as("a chart with a unique count at its top")
                .isEqualTo(1);
    }

    private static RequestFamily.Variant firstWithTopLevel(String aggregation) {
        return RequestFamily.all().stream()
                .filter(v -> {
                    JsonNode aggs = v.body().has("aggs")
                            ? v.body().path("aggs")
                            : v.body().path("aggregations");
                    return aggs.size() == 1 && aggs.elements().next().has(aggregation);
                })
                .findFirst()
                .orElseThrow();
    }

    private static RewriteMatcher.Decision decide(RequestFamily.Variant variant) {
        return RewriteMatcher.match(
                TestEvents.definition(INDEX),
                RewriteMatcher.Endpoint.SEARCH,
                variant.parameters(),
                null,
                variant.body());
    }

    private static int overallsMadeAnswering(RequestFamily.Variant variant) {
        RewriteMatcher.Decision decision = decide(variant);
        int before = engine.overalls.get();
        rewriter.answer(((RewriteMatcher.Rewrite) decision).plan()).join();
        return engine.overalls.get() - before;
    }

    @Test
    void histogramBuckets_haveEvents_soTheComparisonIsNotOfEmptyCharts() throws Exception {
        RequestFamily.Variant daily = RequestFamily.generated().get(0);
        JsonNode expected = search(daily.body(), daily.parameters());
        long nonEmpty = 0;
        for (JsonNode bucket : expected.path("aggregations").path("0").path("buckets")) {
            nonEmpty += bucket.path("doc_count").asLong() > 0 ? 1 : 0;
        }
        assertThat(nonEmpty).isGreaterThan(100);
    }

    private static JsonNode search(JsonNode body, Map<String, String> parameters) throws Exception {
        Request request = new Request("POST", "/" + INDEX + "/_search");
        parameters.forEach(request::addParameter);
        request.setJsonEntity(body.toString());
        Response response = es.client().performRequest(request);
        return JSON.readTree(response.getEntity().getContent());
    }
}
