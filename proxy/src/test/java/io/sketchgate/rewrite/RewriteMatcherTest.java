package io.sketchgate.rewrite;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sketchgate.config.UniqueCountDefinition;
import io.sketchgate.testing.TestDefinitions;
import io.sketchgate.transport.KibanaFixtures;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Which searches are provably a unique-count question, and why the others are not. */
class RewriteMatcherTest {
    private static final UniqueCountDefinition DEFINITION = TestEvents.definition("logs-*");
    private static final String DAILY =
            "{\"0\":{\"date_histogram\":{\"field\":\"@timestamp\",\"calendar_interval\":\"1d\","
                    + "\"time_zone\":\"Asia/Seoul\"},\"aggs\":{\"1\":{\"cardinality\":{\"field\":\"user.id\"}}}}}";

    static Stream<RequestFamily.Variant> family() {
        return RequestFamily.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("family")
    void kibanaShapedSearches_areRewritten(RequestFamily.Variant variant) {
        assertThat(RewriteMatcher.match(
                        DEFINITION, RewriteMatcher.Endpoint.SEARCH, variant.parameters(), null, variant.body()))
                .isInstanceOf(RewriteMatcher.Rewrite.class);
    }

    @Test
    void lensAsyncSubmit_withKibanasParameters_isRewritten_withTheTimeRangeAsAsked() {
        KibanaFixtures.FixtureRequest lens = KibanaFixtures.all().stream()
                .filter(r -> r.name().equals("lens_daily_unique_count_30d"))
                .findFirst()
                .orElseThrow();

        RewriteMatcher.Decision decision =
                RewriteMatcher.match(DEFINITION, RewriteMatcher.Endpoint.ASYNC_SUBMIT, lens.query(), null, lens.body());

        RewritePlan plan = ((RewriteMatcher.Rewrite) decision).plan();
        assertThat(plan.conditions().from()).isEqualTo(Instant.parse("2024-04-15T12:00:00Z"));
        assertThat(plan.conditions().to()).isEqualTo(Instant.parse("2024-05-15T12:00:00.001Z")); // lte is inclusive
        assertThat(plan.async()).isEqualTo(new RewritePlan.Async(false, Duration.ofMinutes(1)));
        assertThat(plan.hitsTotal().tracked()).isTrue();
        assertThat(plan.hitsTotal().upTo()).isEmpty();
    }

    @Test
    void kqlSearch_isRewritten_whenItsFieldsAreDimensions_withTheirValuesAsFilters() {
        KibanaFixtures.FixtureRequest kql = KibanaFixtures.all().stream()
                .filter(r -> r.name().equals("search_with_kql_and_time_range"))
                .findFirst()
                .orElseThrow();
        UniqueCountDefinition nginx = TestDefinitions.definition(
                "nginx",
                "logs-*",
                "@timestamp",
                "user.id",
                List.of("event.dataset", "http.response.status_code"),
                Duration.ofHours(1),
                DEFINITION.timeZones(),
                14,
                Duration.ofMinutes(15),
                1000);

        RewriteMatcher.Decision decision =
                RewriteMatcher.match(nginx, RewriteMatcher.Endpoint.ASYNC_SUBMIT, kql.query(), null, kql.body());

        assertThat(((RewriteMatcher.Rewrite) decision).plan().conditions().filters())
                .isEqualTo(Map.of("event.dataset", Set.of("nginx.access"), "http.response.status_code", Set.of("200")));
        assertThat(RewriteMatcher.match(
                        DEFINITION, RewriteMatcher.Endpoint.ASYNC_SUBMIT, kql.query(), null, kql.body()))
                .isEqualTo(new RewriteMatcher.Pass("a filter on event.dataset, which is not a dimension of kib "
                        + "[geo.country_iso_code, host.os.type]"));
    }

    @Test
    void kqlDisjunction_ofTwoValues_becomesOneFilterWithBoth() {
        String kql = ",{\"bool\":{\"should\":[{\"bool\":{\"should\":[{\"match\":{\"geo.country_iso_code\":\"KR\"}}],"
                + "\"minimum_should_match\":1}},{\"bool\":{\"should\":[{\"match\":{\"geo.country_iso_code\":\"US\"}}],"
                + "\"minimum_should_match\":1}}],\"minimum_should_match\":1}}";

        RewriteMatcher.Decision decision = match(body(DAILY, RequestFamily.query(kql)), Map.of());

        assertThat(((RewriteMatcher.Rewrite) decision).plan().conditions().filters())
                .isEqualTo(Map.of("geo.country_iso_code", Set.of("KR", "US")));
    }

    static Stream<Arguments> notRewritten() {
        String q = RequestFamily.query("");
        return Stream.of(
                Arguments.of(
                        "a should filter beside the time range",
                        body(
                                DAILY,
                                q.replace(
                                        "\"should\":[]", "\"should\":[{\"term\":{\"geo.country_iso_code\":\"KR\"}}]")),
                        Map.of(),
                        "a should clause that is not KQL's one-dimension disjunction"),
                Arguments.of(
                        "a filter on a field that is not a dimension",
                        body(DAILY, RequestFamily.query(",{\"term\":{\"url.path\":\"/\"}}")),
                        Map.of(),
                        "a filter on url.path, which is not a dimension"),
                Arguments.of(
                        "a script query",
                        body(DAILY, RequestFamily.query(",{\"script\":{\"script\":\"true\"}}")),
                        Map.of(),
                        "a script query"),
                Arguments.of("size above 0", body(DAILY, q).put("size", 10), Map.of(), "size 10 asks for hits"),
                Arguments.of("size in the URL", body(DAILY, q), Map.of("size", "5"), "size 5 asks for hits"),
                Arguments.of(
                        "no time range (a role may allow it)",
                        body(DAILY, "{\"match_all\":{}}"),
                        Map.of(),
                        "the query has no time range with both bounds"),
                Arguments.of(
                        "only a lower time bound",
                        body(DAILY, "{\"range\":{\"@timestamp\":{\"gte\":\"2024-03-03T00:00:00Z\"}}}"),
                        Map.of(),
                        "the query has no time range with both bounds"),
                Arguments.of(
                        "an interval finer than the granularity",
                        body(DAILY.replace("\"calendar_interval\":\"1d\"", "\"fixed_interval\":\"30m\""), q),
                        Map.of(),
                        "an interval of 30m, finer than the granularity PT1H"),
                Arguments.of(
                        "a calendar minute interval",
                        body(DAILY.replace("\"1d\"", "\"1m\""), q),
                        Map.of(),
                        "a calendar_interval of 1m, finer"),
                Arguments.of(
                        "an interval not a multiple of the granularity",
                        body(DAILY.replace("\"calendar_interval\":\"1d\"", "\"fixed_interval\":\"90m\""), q),
                        Map.of(),
                        "not a multiple of the granularity"),
                Arguments.of(
                        "a zone whose hours are not on hour buckets",
                        body(
                                DAILY.replace("\"calendar_interval\":\"1d\"", "\"fixed_interval\":\"1h\"")
                                        .replace("Asia/Seoul", "Asia/Kolkata"),
                                q),
                        Map.of(),
                        "do not start on PT1H buckets"),
                Arguments.of(
                        "must_not",
                        body(
                                DAILY,
                                q.replace(
                                        "\"must_not\":[]",
                                        "\"must_not\":[{\"term\":{\"geo.country_iso_code\":\"KR\"}}]")),
                        Map.of(),
                        "a must_not clause"),
                Arguments.of(
                        "a range on another field",
                        body(DAILY, RequestFamily.query(",{\"range\":{\"bytes\":{\"gte\":10}}}")),
                        Map.of(),
                        "a range on bytes, which is not the time field"),
                Arguments.of(
                        "date math Elasticsearch cannot read",
                        body(DAILY, "{\"range\":{\"@timestamp\":{\"gte\":\"now-7x\",\"lte\":\"now\"}}}"),
                        Map.of(),
                        "a time bound Elasticsearch cannot read: now-7x"),
                Arguments.of(
                        "an epoch bound with a time_zone (Elasticsearch versions differ)",
                        body(
                                DAILY,
                                "{\"range\":{\"@timestamp\":{\"gte\":1709449980000,\"lte\":1712087100000,"
                                        + "\"time_zone\":\"Asia/Seoul\"}}}"),
                        Map.of(),
                        "an epoch time bound with a time_zone (1709449980000)"),
                Arguments.of(
                        "a cardinality of another field",
                        body(DAILY.replace("user.id", "client.ip"), q),
                        Map.of(),
                        "a cardinality of client.ip"),
                Arguments.of(
                        "a percentiles metric",
                        body(
                                "{\"p\":{\"percentiles\":{\"field\":\"bytes\"}},\"u\":{\"cardinality\":{\"field\":\"user.id\"}}}",
                                q),
                        Map.of(),
                        "a percentiles aggregation (p)"),
                Arguments.of(
                        "terms on a field that is not a dimension",
                        body(
                                "{\"t\":{\"terms\":{\"field\":\"url.path\"},\"aggs\":{\"u\":{\"cardinality\":{\"field\":\"user.id\"}}}}}",
                                q),
                        Map.of(),
                        "terms on url.path, which is not a dimension"),
                Arguments.of(
                        "terms with missing",
                        body(
                                "{\"t\":{\"terms\":{\"field\":\"host.os.type\",\"missing\":\"n/a\"},\"aggs\":{\"u\":{\"cardinality\":{\"field\":\"user.id\"}}}}}",
                                q),
                        Map.of(),
                        "terms t with missing"),
                Arguments.of(
                        "a value_count of the unique field (not the PV)",
                        body(
                                "{\"c\":{\"value_count\":{\"field\":\"user.id\"}},\"u\":{\"cardinality\":{\"field\":\"user.id\"}}}",
                                q),
                        Map.of(),
                        "a value_count of user.id, not of the time field"),
                Arguments.of(
                        "no cardinality at all",
                        body("{\"c\":{\"value_count\":{\"field\":\"@timestamp\"}}}", q),
                        Map.of(),
                        "no cardinality of user.id"),
                Arguments.of(
                        "filters with other_bucket",
                        body(
                                "{\"f\":{\"filters\":{\"other_bucket\":true,\"filters\":{\"a\":{\"match_all\":{}}}},\"aggs\":{\"u\":{\"cardinality\":{\"field\":\"user.id\"}}}}}",
                                q),
                        Map.of(),
                        "filters f with other_bucket"),
                Arguments.of(
                        "a runtime field",
                        body(DAILY, q).set("runtime_mappings", RequestFamily.parse("{\"x\":{\"type\":\"keyword\"}}")),
                        Map.of(),
                        "non-empty runtime_mappings"),
                Arguments.of(
                        "a post_filter",
                        body(DAILY, q).set("post_filter", RequestFamily.parse("{\"match_all\":{}}")),
                        Map.of(),
                        "the body has post_filter"),
                Arguments.of("a Lucene q parameter", body(DAILY, q), Map.of("q", "x"), "the parameter q"),
                Arguments.of("typed_keys", body(DAILY, q), Map.of("typed_keys", "true"), "typed_keys"),
                Arguments.of(
                        "hidden indices too",
                        body(DAILY, q),
                        Map.of("expand_wildcards", "all"),
                        "expand_wildcards=all"),
                Arguments.of(
                        "a histogram in a histogram",
                        body(
                                "{\"a\":{\"date_histogram\":{\"field\":\"@timestamp\",\"calendar_interval\":\"1w\"},\"aggs\":"
                                        + DAILY + "}}",
                                q),
                        Map.of(),
                        "a date_histogram inside another"),
                Arguments.of(
                        "a histogram on another date field",
                        body(DAILY.replace("\"field\":\"@timestamp\"", "\"field\":\"event.created\""), q),
                        Map.of(),
                        "a date_histogram on event.created"),
                Arguments.of(
                        "extended_bounds a century wide",
                        body(
                                DAILY.replace(
                                        "\"time_zone\"",
                                        "\"extended_bounds\":{\"min\":0,\"max\":4102444800000},\"time_zone\""),
                                q),
                        Map.of(),
                        "more than 20000 date_histogram buckets"),
                Arguments.of(
                        "a terms order by a sub-bucket path",
                        body(
                                "{\"t\":{\"terms\":{\"field\":\"host.os.type\",\"order\":{\"h\":\"desc\"}},\"aggs\":"
                                        + DAILY.replace("\"0\"", "\"h\"") + "}}",
                                q),
                        Map.of(),
                        "a terms order by h, which is not a metric of the bucket"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("notRewritten")
    void searchesThatAskSomethingElse_areNotRewritten_withTheReason(
            String name, ObjectNode body, Map<String, String> parameters, String reason) {
        RewriteMatcher.Decision decision = match(body, parameters);

        assertThat(decision).isInstanceOf(RewriteMatcher.Pass.class);
        assertThat(((RewriteMatcher.Pass) decision).reason()).contains(reason);
    }

    @Test
    void msearchLine_withRoutingInItsHeader_isNotRewritten() {
        ObjectNode header = RequestFamily.parse("{\"index\":\"logs-*\",\"routing\":\"u1\"}");

        RewriteMatcher.Decision decision = RewriteMatcher.match(
                DEFINITION,
                RewriteMatcher.Endpoint.MSEARCH_LINE,
                Map.of(),
                header,
                body(DAILY, RequestFamily.query("")));

        assertThat(decision).isEqualTo(new RewriteMatcher.Pass("an _msearch header with routing"));
    }

    @Test
    void asyncParameters_onPlainSearch_areNotRewritten() {
        assertThat(match(body(DAILY, RequestFamily.query("")), Map.of("keep_on_completion", "true")))
                .isEqualTo(new RewriteMatcher.Pass("the parameter keep_on_completion"));
    }

    @Test
    void trackTotalHits_andRestTotalHitsAsInt_areReadAsElasticsearchReadsThem() {
        ObjectNode body = body(DAILY, RequestFamily.query(""));
        assertThat(plan(body, Map.of()).hitsTotal())
                .isEqualTo(new RewritePlan.HitsTotal(true, java.util.OptionalLong.of(10_000), false));
        assertThat(plan(body, Map.of("rest_total_hits_as_int", "true")).hitsTotal())
                .isEqualTo(new RewritePlan.HitsTotal(true, java.util.OptionalLong.empty(), true));
        assertThat(plan(body.deepCopy().put("track_total_hits", false), Map.of())
                        .hitsTotal()
                        .tracked())
                .isFalse();
        assertThat(plan(body.deepCopy().put("track_total_hits", 50), Map.of("track_total_hits", "7"))
                        .hitsTotal())
                .isEqualTo(new RewritePlan.HitsTotal(true, java.util.OptionalLong.of(7), false));
    }

    private static RewritePlan plan(ObjectNode body, Map<String, String> parameters) {
        return ((RewriteMatcher.Rewrite) match(body, parameters)).plan();
    }

    private static RewriteMatcher.Decision match(ObjectNode body, Map<String, String> parameters) {
        return RewriteMatcher.match(DEFINITION, RewriteMatcher.Endpoint.SEARCH, parameters, null, body);
    }

    /** At {@link #NOW}: Elasticsearch's range semantics, {@code [from, to)} in UTC. */
    static Stream<Arguments> dateMathBounds() {
        return Stream.of(
                Arguments.of(
                        "\"gte\":\"now-7d\",\"lt\":\"now\"", "2024-03-13T10:17:31.250Z", "2024-03-20T10:17:31.250Z"),
                Arguments.of("\"gte\":\"now-7d/d\",\"lte\":\"now/d\"", "2024-03-13T00:00:00Z", "2024-03-21T00:00:00Z"),
                Arguments.of("\"gt\":\"now-7d/d\",\"lt\":\"now/d\"", "2024-03-14T00:00:00Z", "2024-03-20T00:00:00Z"),
                Arguments.of(
                        "\"gte\":\"now/d\",\"lte\":\"now\",\"time_zone\":\"Asia/Seoul\"",
                        "2024-03-19T15:00:00Z",
                        "2024-03-20T10:17:31.251Z"),
                Arguments.of(
                        "\"gte\":\"2024-03-01||+1M/M\",\"lt\":\"2024-04-05\",\"time_zone\":\"America/New_York\"",
                        "2024-04-01T04:00:00Z",
                        "2024-04-05T04:00:00Z"),
                Arguments.of(
                        "\"gte\":\"2024-03-10\",\"lte\":\"2024-03-12\"",
                        "2024-03-10T00:00:00Z",
                        "2024-03-13T00:00:00Z"),
                Arguments.of(
                        "\"gte\":\"2024-03-10T00:00:00Z\",\"lte\":\"2024-03-12T05:00:00Z\"",
                        "2024-03-10T00:00:00Z",
                        "2024-03-12T05:00:01Z"));
    }

    private static final Instant NOW = Instant.parse("2024-03-20T10:17:31.250Z");

    @ParameterizedTest(name = "{0}")
    @MethodSource("dateMathBounds")
    void dateMathInTimeBounds_isResolvedAtTheRequestsNow_asElasticsearchResolvesIt(
            String range, String from, String to) {
        ObjectNode search = body(DAILY, "{\"range\":{\"@timestamp\":{" + range + "}}}");

        RewriteMatcher.Decision decision =
                RewriteMatcher.match(DEFINITION, RewriteMatcher.Endpoint.SEARCH, Map.of(), null, search, NOW);

        assertThat(decision).isInstanceOf(RewriteMatcher.Rewrite.class);
        QueryReader.Conditions conditions =
                ((RewriteMatcher.Rewrite) decision).plan().conditions();
        assertThat(conditions.from()).isEqualTo(Instant.parse(from));
        assertThat(conditions.to()).isEqualTo(Instant.parse(to));
    }

    private static ObjectNode body(String aggs, String query) {
        return RequestFamily.parse("{\"aggs\":" + aggs + ",\"size\":0,\"query\":" + query + "}");
    }
}
