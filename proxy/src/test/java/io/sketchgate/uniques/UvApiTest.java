package io.sketchgate.uniques;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sketchgate.testing.ProxyUnderTest;
import io.sketchgate.testing.RealElasticsearch;
import io.sketchgate.testing.TestElasticsearch;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The UV API through a running proxy with identity and roles, against the precomputed {@link UvFixture}. */
@RealElasticsearch
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UvApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private UvFixture data;
    private String name;
    private ProxyUnderTest proxy;

    @BeforeAll
    void start(TestElasticsearch es, @TempDir Path dir) throws Exception {
        data = UvFixture.shared(es);
        name = data.definition.name();
        String pattern = data.logs.indexPattern();
        proxy = ProxyUnderTest.forElasticsearch(es.baseUri())
                .user("alice", "analyst")
                .user("carl", "clamper")
                .user("mallory", "ghost")
                .yaml("""
                        roles:
                          analyst: { indices: ["%s"], max_time_range: 31d, on_exceed: reject }
                          clamper: { indices: ["%s"], max_time_range: 7d, on_exceed: clamp }
                        index_time_fields:
                          "%s": "@timestamp"
                        unique_counts:
                        """.formatted(pattern, pattern, pattern) + data.yaml())
                .start(dir);
    }

    @AfterAll
    void stop() {
        proxy.close();
    }

    @Test
    void dailyInSeoul_answersTheIssuesShape_withExactClosedDays() throws Exception {
        HttpResponse<String> response = get(
                "alice",
                "/_sketchgate/uv/" + name
                        + "?from=2025-02-10T00:00:00%2B09:00&to=2025-02-13T00:00:00%2B09:00&interval=1d&time_zone=Asia/Seoul");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        List<String> fields = new ArrayList<>();
        body.fieldNames().forEachRemaining(fields::add);
        assertThat(fields)
                .containsExactly(
                        "definition",
                        "from",
                        "to",
                        "interval",
                        "time_zone",
                        "total",
                        "buckets",
                        "watermark",
                        "took_ms");
        assertThat(body.path("definition").asText()).isEqualTo(name);
        assertThat(body.path("from").asText()).isEqualTo("2025-02-10T00:00:00+09:00");
        assertThat(body.path("to").asText()).isEqualTo("2025-02-13T00:00:00+09:00");
        assertThat(body.path("interval").asText()).isEqualTo("1d");
        assertThat(body.path("time_zone").asText()).isEqualTo("Asia/Seoul");
        assertThat(body.path("watermark").asText()).isEqualTo("2025-03-02T00:00:00Z");
        assertThat(body.path("took_ms").isIntegralNumber()).isTrue();
        assertThat(body.path("buckets")).hasSize(3);
        Instant day = Instant.parse("2025-02-09T15:00:00Z");
        for (JsonNode bucket : body.path("buckets")) {
            WebLogTruth.Counts truth = data.truth(day, day.plus(Duration.ofDays(1)));
            assertThat(bucket.toString())
                    .isEqualTo(JSON.createObjectNode()
                            .put(
                                    "key",
                                    day.atZone(java.time.ZoneId.of("Asia/Seoul"))
                                            .toOffsetDateTime()
                                            .toString()
                                            .replace("+09:00", ":00+09:00"))
                            .put("uv", truth.users.size())
                            .put("uv_lower", truth.users.size())
                            .put("uv_upper", truth.users.size())
                            .put("exact", true)
                            .put("pv", truth.pageViews)
                            .put("source", "batch")
                            .toString());
            day = day.plus(Duration.ofDays(1));
        }
        WebLogTruth.Counts all = data.truth(Instant.parse("2025-02-09T15:00:00Z"), day);
        JsonNode total = body.path("total");
        assertThat(total.path("pv").asLong()).isEqualTo(all.pageViews);
        assertThat((long) all.users.size())
                .isBetween(
                        total.path("uv_lower").asLong(), total.path("uv_upper").asLong());
    }

    @Test
    void splitAndFilter_giveOneBucketPerDayAndValue_andTotalsPerValue() throws Exception {
        HttpResponse<String> response = get(
                "alice",
                "/_sketchgate/uv/" + name
                        + "?from=2025-02-20&to=2025-02-22&interval=1d&split=country&filter.device=mobile");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        Map<List<String>, WebLogTruth.Counts> firstDay = data.truth(
                Instant.parse("2025-02-20T00:00:00Z"),
                Instant.parse("2025-02-21T00:00:00Z"),
                v -> v.device().equals("mobile"),
                v -> List.of(v.country()));
        List<JsonNode> first = new ArrayList<>();
        body.path("buckets").forEach(b -> {
            if (b.path("key").asText().equals("2025-02-20T00:00:00Z")) {
                first.add(b);
            }
        });
        assertThat(first).hasSize(firstDay.size());
        for (JsonNode bucket : first) {
            WebLogTruth.Counts truth =
                    firstDay.get(List.of(bucket.at("/split/country").asText()));
            assertThat(bucket.path("uv").asLong()).isEqualTo(truth.users.size());
            assertThat(bucket.path("exact").asBoolean()).isTrue();
            assertThat(bucket.path("pv").asLong()).isEqualTo(truth.pageViews);
        }
        Map<List<String>, WebLogTruth.Counts> totals = data.truth(
                Instant.parse("2025-02-20T00:00:00Z"),
                Instant.parse("2025-02-22T00:00:00Z"),
                v -> v.device().equals("mobile"),
                v -> List.of(v.country()));
        assertThat(body.at("/total/splits")).hasSize(totals.size());
        for (JsonNode split : body.at("/total/splits")) {
            WebLogTruth.Counts truth =
                    totals.get(List.of(split.at("/split/country").asText()));
            assertThat(split.path("pv").asLong()).isEqualTo(truth.pageViews);
            assertThat((long) truth.users.size())
                    .isBetween(
                            split.path("uv_lower").asLong(),
                            split.path("uv_upper").asLong());
        }
    }

    @Test
    void csv_hasAHeaderRow_aRowPerBucketAndValue_andTheTotals() throws Exception {
        HttpResponse<String> response = get(
                "alice",
                "/_sketchgate/uv/" + name
                        + "?from=2025-02-20T00:00:00Z&to=2025-02-20T06:00:00Z&interval=3h&split=device&filter.country=US&format=csv");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).contains("text/csv; charset=utf-8");
        List<String> lines = response.body().lines().toList();
        assertThat(lines.get(0)).isEqualTo("key,device,uv,uv_lower,uv_upper,exact,pv,source");
        Map<List<String>, WebLogTruth.Counts> truth = data.truth(
                Instant.parse("2025-02-20T03:00:00Z"),
                Instant.parse("2025-02-20T06:00:00Z"),
                v -> v.country().equals("US"),
                v -> List.of(v.device()));
        WebLogTruth.Counts desktop = truth.get(List.of("desktop"));
        assertThat(lines)
                .contains("2025-02-20T03:00:00Z,desktop," + desktop.users.size() + "," + desktop.users.size() + ","
                        + desktop.users.size() + ",true," + desktop.pageViews + ",batch");
        assertThat(lines.stream().filter(l -> l.startsWith("total,"))).isNotEmpty();
    }

    @Test
    void aCutOffTheMinuteInsideFineGranules_isExactByDefault_andWithEdgesExact() throws Exception {
        // off the minute: the fine granules' values' first and last milliseconds tell which users the cuts keep
        String range = "/_sketchgate/uv/" + name + "?from=2025-02-11T10:37:30Z&to=2025-02-11T15:43:20Z";
        WebLogTruth.Counts truth =
                data.truth(Instant.parse("2025-02-11T10:37:30Z"), Instant.parse("2025-02-11T15:43:20Z"));

        JsonNode fine = JSON.readTree(get("alice", range).body()).path("total");
        JsonNode exact =
                JSON.readTree(get("alice", range + "&edges=exact").body()).path("total");

        assertThat(fine.path("exact").asBoolean()).isTrue();
        assertThat(fine.path("uv").asLong()).isEqualTo(truth.users.size());
        assertThat(fine.path("pv").asLong()).isEqualTo(truth.pageViews);
        assertThat(exact.path("exact").asBoolean()).isTrue();
        assertThat(exact.path("uv").asLong()).isEqualTo(truth.users.size());
        assertThat(exact.path("pv").asLong()).isEqualTo(truth.pageViews);
    }

    @Test
    void post_withTheSameFieldsAsJson_answersLikeGet() throws Exception {
        String query = "?from=2025-02-01T00:00:00Z||-2d&to=2025-02-01&interval=1d&split=device&filter.country=DE,FR";
        ObjectNode body = JSON.createObjectNode()
                .put("from", "2025-02-01T00:00:00Z||-2d")
                .put("to", "2025-02-01")
                .put("interval", "1d");
        body.putArray("split").add("device");
        body.putObject("filter").putArray("country").add("DE").add("FR");

        JsonNode viaGet = withoutTook(get("alice", "/_sketchgate/uv/" + name + query.replace("|", "%7C"))
                .body());
        HttpResponse<String> viaPost = send("POST", "alice", "/_sketchgate/uv/" + name, body.toString());

        assertThat(viaPost.statusCode()).isEqualTo(200);
        assertThat(withoutTook(viaPost.body())).isEqualTo(viaGet);
        assertThat(viaGet.path("buckets").size()).isGreaterThan(2 * 3);
        assertThat(viaGet.path("from").asText()).isEqualTo("2025-01-30T00:00:00Z");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            unknown definition  | /_sketchgate/uv/nope?from=2025-02-01                                        | "nope" is not a unique-count definition; known definitions: [NAME]
            no definition       | /_sketchgate/uv?from=2025-02-01                                             | name a definition: /_sketchgate/uv/{definition}; known definitions: [NAME]
            empty range         | /_sketchgate/uv/NAME?from=2025-02-02&to=2025-02-01                          | from 2025-02-02T00:00:00Z must be before to 2025-02-01T00:00:00Z; the range is [from, to)
            missing from        | /_sketchgate/uv/NAME?to=2025-02-01                                          | from is required: an ISO-8601 date like 2026-09-01T00:00:00Z or date math like now-7d/d
            finer interval      | /_sketchgate/uv/NAME?from=2025-02-01&to=2025-02-02&interval=1h              | interval 1h is finer than the granularity 3h of "NAME", the smallest bucket it stores; use 3h or coarser
            odd interval        | /_sketchgate/uv/NAME?from=2025-02-01&to=2025-02-02&interval=5h              | interval 5h must be a multiple of the granularity 3h of "NAME" that divides a day; use 1h, 1d, 1w, 1M, all, or a multiple of the granularity like 3h
            unknown dimension   | /_sketchgate/uv/NAME?from=2025-02-01&to=2025-02-02&split=browser            | split: "browser" is not a dimension of "NAME"; its dimensions are [country, device]
            unknown filter      | /_sketchgate/uv/NAME?from=2025-02-01&to=2025-02-02&filter.os=linux          | filter: "os" is not a dimension of "NAME"; its dimensions are [country, device]
            three split dims    | /_sketchgate/uv/NAME?from=2025-02-01&to=2025-02-02&split=country,device,country | split names 3 dimensions [country, device, country]; at most 2 are allowed: split by two and filter by the others; split names a dimension twice: [country, device, country]
            bad format          | /_sketchgate/uv/NAME?from=2025-02-01&to=2025-02-02&format=xml               | format "xml" is not supported; use json or csv
            bad zone            | /_sketchgate/uv/NAME?from=2025-02-01&to=2025-02-02&time_zone=Mars/Base      | time_zone "Mars/Base" is not a time zone; use a region id like Asia/Seoul, an offset like +09:00, or UTC
            unknown parameter   | /_sketchgate/uv/NAME?from=2025-02-01&to=2025-02-02&intervall=1d             | unknown parameter "intervall"; the UV API takes from, to, interval, time_zone, filter.<dimension>, split, format and edges
            bad edges           | /_sketchgate/uv/NAME?from=2025-02-01&to=2025-02-02&edges=source             | edges "source" is not supported; use fine (the default: edges from the stored fine tier, bounded inside a fine granule) or exact (edges read from the source)
            """)
    void badRequests_getAnEsShaped400NamingTheFix(String problem, String path, String reason) throws Exception {
        HttpResponse<String> response = get("alice", path.replace("NAME", name));

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.at("/error/type").asText()).isEqualTo("illegal_argument_exception");
        assertThat(body.at("/error/reason").asText()).isEqualTo(reason.replace("NAME", name));
        assertThat(body.at("/error/root_cause/0/reason").asText()).isEqualTo(reason.replace("NAME", name));
        assertThat(body.path("status").asInt()).isEqualTo(400);
    }

    @Test
    void rangeLongerThanTheRolesMaxTimeRange_isRefusedAsASearchWouldBe() throws Exception {
        HttpResponse<String> response = get("alice", "/_sketchgate/uv/" + name + "?from=2025-01-01&to=2025-02-10");

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.at("/error/type").asText()).isEqualTo("sketchgate_time_range_exception");
        assertThat(body.at("/error/reason").asText())
                .isEqualTo("Time range of 40.0 days on " + data.logs.indexPattern()
                        + " exceeds the 31 days allowed (max_time_range of role analyst). Pick a range of 31 days or less,"
                        + " or ask an administrator to raise the limit.");
    }

    @Test
    void rangeARoleWouldClamp_isRefusedRatherThanNarrowed() throws Exception {
        HttpResponse<String> response = get("carl", "/_sketchgate/uv/" + name + "?from=2025-02-01&to=2025-02-10");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(response.body()).at("/error/type").asText())
                .isEqualTo("sketchgate_time_range_exception");
        assertThat(get("carl", "/_sketchgate/uv/" + name + "?from=2025-02-01&to=2025-02-08")
                        .statusCode())
                .isEqualTo(200);
    }

    @Test
    void userWhoseRolesMayNotQueryTheSource_gets403() throws Exception {
        HttpResponse<String> response = get("mallory", "/_sketchgate/uv/" + name + "?from=2025-02-01&to=2025-02-02");

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(response.body()).at("/error/type").asText())
                .isEqualTo("sketchgate_unknown_role_exception");
    }

    @Test
    void requestWithoutCredentials_gets401() throws Exception {
        assertThat(get(null, "/_sketchgate/uv/" + name + "?from=2025-02-01&to=2025-02-02")
                        .statusCode())
                .isEqualTo(401);
    }

    @Test
    void postedFilterAsAList_saysTheValueMustBeAnObjectOfDimensionToValues() throws Exception {
        HttpResponse<String> response =
                send("POST", "alice", "/_sketchgate/uv/" + name, "{\"from\":\"2025-02-01\",\"filter\":[\"country\"]}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(response.body()).at("/error/reason").asText())
                .isEqualTo("filter must be an object of dimension to values, like"
                        + " {\"filter\":{\"country\":[\"KR\",\"JP\"],\"device\":\"mobile\"}}; was an array");
    }

    @Test
    void postedBodyThatIsNotJson_namesLineAndColumn_notTheParsersInternals() throws Exception {
        HttpResponse<String> response =
                send("POST", "alice", "/_sketchgate/uv/" + name, "{\"from\":\"2025-02-01\",\n \"split\": }");

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode error = JSON.readTree(response.body());
        assertThat(error.at("/error/type").asText()).isEqualTo("parsing_exception");
        assertThat(error.at("/error/reason").asText())
                .isEqualTo("the body is not valid JSON (Unexpected character ('}' (code 125)): expected a value,"
                        + " at line 2, column 11); send an object like"
                        + " {\"from\":\"now-7d\",\"interval\":\"1d\",\"split\":[\"country\"]}");
    }

    @Test
    void splitOfTwoThousandNames_getsAShortErrorNamingTheLimit() throws Exception {
        StringBuilder names = new StringBuilder();
        for (int i = 0; i < 2_000; i++) {
            names.append(i == 0 ? "\"" : ",\"").append("dimension").append(i).append('"');
        }
        HttpResponse<String> response = send(
                "POST",
                "alice",
                "/_sketchgate/uv/" + name,
                "{\"from\":\"2025-02-01\",\"to\":\"2025-02-02\",\"split\":[" + names + "]}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(response.body()).at("/error/reason").asText())
                .isEqualTo("split names 2000 dimensions; at most 2 are allowed: split by two and filter by the others");
        assertThat(response.body().length()).isLessThan(400);
    }

    @Test
    void otherMethods_get405() throws Exception {
        HttpResponse<String> response = send("DELETE", "alice", "/_sketchgate/uv/" + name, null);

        assertThat(response.statusCode()).isEqualTo(405);
    }

    private HttpResponse<String> get(String user, String path) throws Exception {
        return send("GET", user, path, null);
    }

    private HttpResponse<String> send(String method, String user, String path, String body) throws Exception {
        return proxy.send(method, path, user, body);
    }

    private static JsonNode withoutTook(String json) throws Exception {
        ObjectNode node = (ObjectNode) JSON.readTree(json);
        node.remove("took_ms");
        return node;
    }
}
