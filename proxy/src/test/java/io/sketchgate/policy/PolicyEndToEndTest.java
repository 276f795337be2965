package io.sketchgate.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sketchgate.testing.ApiClient;
import io.sketchgate.testing.IndexNames;
import io.sketchgate.testing.ProxyUnderTest;
import io.sketchgate.testing.RawHttpResponse;
import io.sketchgate.testing.RealElasticsearch;
import io.sketchgate.testing.TestElasticsearch;
import io.sketchgate.transport.KibanaFixtures;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Policy through the proxy, against a real Elasticsearch: who may ask, which time range, how often — and the
 * ways a client might try to get around it.
 */
@RealElasticsearch
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PolicyEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PASSWORD = ProxyUnderTest.PASSWORD;
    private static final String TO = BypassRequests.TO;

    private final String prefix = IndexNames.unique("logs-pol");
    private final String alias = IndexNames.unique("everything");
    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private ProxyUnderTest proxy;
    private URI proxied;
    private URI direct;

    @BeforeAll
    void start(TestElasticsearch es, @TempDir Path dir) throws Exception {
        String index = prefix + "-2024";
        es.requests()
                .createIndex(
                        index,
                        "{\"mappings\":{\"properties\":{\"@timestamp\":{\"type\":\"date\"},\"n\":{\"type\":\"long\"}}}}");
        List<Map<String, Object>> docs = new ArrayList<>();
        Instant start = Instant.parse("2024-02-15T12:00:00Z");
        for (int i = 0; i < 2160; i++) { // one per hour over 90 days
            docs.add(Map.of("@timestamp", start.plus(Duration.ofHours(i)).toString(), "n", i));
        }
        es.requests().bulkIndex(index, docs);
        es.requests()
                .post(
                        "/_aliases",
                        "{\"actions\":[{\"add\":{\"index\":\"" + index + "\",\"alias\":\"" + alias + "\"}}]}");
        es.requests().createIndex(alias + "-free", "{}"); // an index no role governs
        direct = es.baseUri();
        proxy = ProxyUnderTest.forElasticsearch(direct)
                .yaml("access_log: { path: \"%s\" }".formatted(dir.resolve("access.jsonl")))
                .identity("""
                        sources: [signed_header, static]
                        signed_header: { secret: "0123456789abcdef0123456789abcdef-test", max_age: 5m }
                        """)
                .user("alice", "analyst")
                .user("carl", "clamper")
                .user("rita", "limited")
                .userWith("vic", "roles: [analyst], overrides: { max_time_range: 100d }")
                .user("bob", "analyst")
                .yaml("""
                        roles:
                          analyst: { indices: ["logs-pol-*"], max_time_range: 31d, on_exceed: reject, require_time_filter: true }
                          clamper: { indices: ["logs-pol-*"], max_time_range: 7d, on_exceed: clamp }
                          limited: { indices: ["logs-pol-*"], requests_per_minute: 3 }
                        index_time_fields:
                          "logs-pol-*": "@timestamp"
                        """)
                .start(dir);
        proxied = proxy.baseUri();
    }

    @AfterAll
    void stop() {
        proxy.close();
    }

    @Test
    void requestWithoutCredentials_gets401WithWwwAuthenticate() throws Exception {
        HttpResponse<String> response = send("GET", "/_cluster/health", null, null, Map.of());
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).contains("Basic realm=\"sketchgate\", ApiKey");
        assertThat(JSON.readTree(response.body()).at("/error/type").asText()).isEqualTo("security_exception");
    }

    @Test
    void forgedSignedHeader_grantsNoIdentity() throws Exception {
        Map<String, String> forged = Map.of(
                "X-Sketchgate-User",
                "admin",
                "X-Sketchgate-Roles",
                "superuser",
                "X-Sketchgate-Expires",
                String.valueOf(Instant.now().plusSeconds(60).getEpochSecond()),
                "X-Sketchgate-Signature",
                "00".repeat(32));
        assertThat(send("GET", "/_cluster/health", null, null, forged).statusCode())
                .isEqualTo(401);
    }

    @Test
    void nonQueryRequest_ofAKnownUser_passes() throws Exception {
        assertThat(send("GET", "/_cluster/health", "alice", null, Map.of()).statusCode())
                .isEqualTo(200);
    }

    @Test
    void kibanaLens30Days_isAllowed_andAnsweredAsElasticsearchAnswersIt() throws Exception {
        String body = lensBody("2024-04-15T12:00:00.000Z");
        HttpResponse<String> viaProxy = send("POST", "/" + prefix + "-*/_search", "alice", body, Map.of());
        HttpResponse<String> viaDirect = http.send(
                HttpRequest.newBuilder(URI.create(direct + "/" + prefix + "-*/_search"))
                        .header("content-type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(viaProxy.statusCode()).isEqualTo(200);
        assertThat(withoutTook(viaProxy.body())).isEqualTo(withoutTook(viaDirect.body()));
    }

    @Test
    void kibanaDiscover90Days_isRejectedWith400_namingTheLimitAndTheFix() throws Exception {
        HttpResponse<String> response = send("POST", "/" + prefix + "-*/_search", "alice", discover90Days(), Map.of());
        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode error = JSON.readTree(response.body());
        String reason = "Time range of 90 days on " + prefix + "-* exceeds the 31 days allowed (max_time_range of role"
                + " analyst). Pick a range of 31 days or less, or ask an administrator to raise the limit.";
        assertThat(error.at("/error/type").asText()).isEqualTo("sketchgate_time_range_exception");
        assertThat(error.at("/error/reason").asText()).isEqualTo(reason);
        assertThat(error.at("/error/root_cause/0/reason").asText()).isEqualTo(reason);
        assertThat(error.at("/error/caused_by").isMissingNode()).isTrue();
        assertThat(error.get("status").asInt()).isEqualTo(400);
        assertThat(response.headers().firstValue("X-elastic-product")).contains("Elasticsearch");
    }

    @Test
    void userOverride_replacesTheRoleLimit() throws Exception {
        assertThat(send("POST", "/" + prefix + "-*/_search", "vic", discover90Days(), Map.of())
                        .statusCode())
                .isEqualTo(200);
    }

    @Test
    void queryWithoutTimeFilter_isRejected_whenTheRoleRequiresOne() throws Exception {
        HttpResponse<String> response =
                send("POST", "/" + prefix + "-*/_search", "alice", "{\"query\":{\"match_all\":{}}}", Map.of());
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(response.body()).at("/error/reason").asText())
                .isEqualTo("Queries on " + prefix
                        + "-* must filter on the time field @timestamp (require_time_filter of role analyst). Pick a time range"
                        + " (in Kibana, with the time picker) and try again.");
    }

    /** Each row is a way to send a 90-day query (or none at all) that must still be refused. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.sketchgate.policy.BypassRequests#rows")
    void ninetyDayQuery_isRefused_onEveryQueryPath(String name, String method, String path) throws Exception {
        HttpResponse<String> response = send(method, path.replace("{p}", prefix), "alice", discover90Days(), Map.of());
        assertThat(response.statusCode()).as(name + ": " + response.body()).isEqualTo(400);
        assertThat(response.body()).contains("sketchgate_time_range_exception");
    }

    @Test
    void aliasNoRoleNames_isGovernedByTheIndicesItStandsFor() throws Exception {
        HttpResponse<String> response = send("POST", "/" + alias + "/_search", "alice", discover90Days(), Map.of());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(JSON.readTree(response.body()).at("/error/reason").asText())
                .startsWith("Time range of 90 days on " + alias + " exceeds the 31 days allowed");
    }

    @Test
    void msearchLineNamingAGovernedAlias_isDecided_evenUnderAnUngovernedPath() throws Exception {
        String ndjson = "{\"index\":\"" + alias + "\"}\n" + discover90Days() + "\n";
        HttpResponse<String> response = send(
                "POST",
                "/" + alias + "-free/_msearch",
                "alice",
                ndjson,
                Map.of("content-type", "application/x-ndjson"));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).at("/responses/0/error/type").asText())
                .isIn("sketchgate_time_range_exception", "sketchgate_time_filter_required_exception");
    }

    @Test
    void scroll_ofAnotherUser_isNotFound_whileItsOwnerContinues() throws Exception {
        String sevenDays =
                "{\"size\":10,\"query\":{\"range\":{\"@timestamp\":{\"gte\":\"2024-05-01T00:00:00Z\",\"lt\":\"2024-05-08T00:00:00Z\"}}}}";
        HttpResponse<String> opened = send("POST", "/" + prefix + "-*/_search?scroll=1m", "alice", sevenDays, Map.of());
        assertThat(opened.statusCode()).isEqualTo(200);
        String scrollId = JSON.readTree(opened.body()).get("_scroll_id").asText();
        String next = "{\"scroll\":\"1m\",\"scroll_id\":\"" + scrollId + "\"}";

        HttpResponse<String> stolen = send("POST", "/_search/scroll", "bob", next, Map.of());
        assertThat(stolen.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(stolen.body()).at("/error/type").asText())
                .isEqualTo("search_context_missing_exception");
        HttpResponse<String> stolenByPath =
                send("GET", "/_search/scroll/" + scrollId + "?scroll=1m", "bob", null, Map.of());
        assertThat(stolenByPath.statusCode()).isEqualTo(404);

        HttpResponse<String> continued = send("POST", "/_search/scroll", "alice", next, Map.of());
        assertThat(continued.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(continued.body()).at("/hits/hits").size()).isEqualTo(10);
    }

    @Test
    void malformedQueryBody_is400NamingLineAndColumn_withoutTheParsersInternals() throws Exception {
        HttpResponse<String> response =
                send("POST", "/" + prefix + "-*/_search", "alice", "{\"query\":\n  {\"match_all\": {}},}", Map.of());
        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode error = JSON.readTree(response.body());
        assertThat(error.at("/error/type").asText()).isEqualTo("parsing_exception");
        assertThat(error.at("/error/reason").asText())
                .isEqualTo("The request body is not valid JSON (Unexpected character ('}' (code 125)): was expecting"
                        + " double-quote to start field name, at line 2, column 21). Sketchgate reads query bodies to"
                        + " apply limits; fix the JSON and send it again.");
    }

    @Test
    void clearingEveryScroll_isRefused() throws Exception {
        HttpResponse<String> response = send("DELETE", "/_search/scroll/_all", "alice", null, Map.of());
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(response.body()).at("/error/reason").asText())
                .startsWith("Clearing every scroll at once");
    }

    @Test
    void gzipBody_isInspectedAfterInflation() throws Exception {
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(discover90Days().getBytes(StandardCharsets.UTF_8));
        }
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(proxied.resolve("/" + prefix + "-*/_search"))
                        .header("Authorization", basic("alice"))
                        .header("content-type", "application/json")
                        .header("content-encoding", "gzip")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(gz.toByteArray()))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("sketchgate_time_range_exception");
    }

    @Test
    void msearch_refusedSearch_getsItsErrorInItsSlot_whileTheOthersRun() throws Exception {
        String ndjson = "{}\n" + lensBody("2024-04-15T12:00:00.000Z") + "\n{}\n" + discover90Days() + "\n{}\n"
                + "{\"size\":0,\"query\":{\"range\":{\"@timestamp\":{\"gte\":\"2024-05-01T00:00:00Z\",\"lt\":\"2024-05-02T00:00:00Z\"}}}}\n";
        HttpResponse<String> response = send(
                "POST", "/" + prefix + "-*/_msearch", "alice", ndjson, Map.of("content-type", "application/x-ndjson"));
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode responses = JSON.readTree(response.body()).get("responses");
        assertThat(responses).hasSize(3);
        assertThat(responses.get(0).get("status").asInt()).isEqualTo(200);
        assertThat(responses.get(0).at("/hits/total/value").asInt()).isPositive();
        assertThat(responses.get(1).get("status").asInt()).isEqualTo(400);
        assertThat(responses.get(1).at("/error/type").asText()).isEqualTo("sketchgate_time_range_exception");
        assertThat(responses.get(1).at("/error/reason").asText())
                .startsWith("Search 2 of the _msearch (line 3): Time range of 90 days");
        assertThat(responses.get(2).at("/hits/total/value").asInt()).isEqualTo(24);
    }

    /**
     * Requests pipelined on one connection, written in one go so that all of them arrive before the first answer:
     * each is decided on its own (a refused one between two allowed ones is refused, not forwarded behind the
     * first), and the answers come back in order on the same connection.
     */
    @Test
    void pipelinedRequests_areEachGoverned_andAnsweredInOrder() throws Exception {
        String oneDay =
                "{\"size\":0,\"query\":{\"range\":{\"@timestamp\":{\"gte\":\"2024-05-01T00:00:00Z\",\"lt\":\"2024-05-02T00:00:00Z\"}}}}";
        Map<String, String> alice = Map.of("Authorization", basic("alice"));
        String search = "/" + prefix + "-*/_search";
        String pipeline = RawHttpResponse.request("POST", search, alice, oneDay)
                + RawHttpResponse.request("POST", search, alice, discover90Days())
                + RawHttpResponse.request("POST", search + "?size=0", alice, oneDay);
        List<RawHttpResponse> answers = new ArrayList<>();
        try (Socket socket = new Socket(proxied.getHost(), proxied.getPort())) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(pipeline.getBytes(StandardCharsets.UTF_8));
            InputStream in = new BufferedInputStream(socket.getInputStream());
            for (int i = 0; i < 3; i++) {
                answers.add(RawHttpResponse.read(in));
            }
        }
        assertThat(answers).extracting(RawHttpResponse::status).containsExactly(200, 400, 200);
        assertThat(JSON.readTree(answers.get(0).body()).at("/hits/total/value").asInt())
                .isEqualTo(24);
        assertThat(JSON.readTree(answers.get(1).body()).at("/error/type").asText())
                .isEqualTo("sketchgate_time_range_exception");
        assertThat(JSON.readTree(answers.get(2).body()).at("/hits/total/value").asInt())
                .isEqualTo(24);
    }

    @Test
    void msearch_withEverySearchRefused_isAnsweredWithoutElasticsearch() throws Exception {
        String ndjson =
                "{}\n" + discover90Days() + "\n{\"index\":\"" + prefix + "-2024\"}\n{\"query\":{\"match_all\":{}}}\n";
        HttpResponse<String> response = send(
                "POST", "/" + prefix + "-*/_msearch", "alice", ndjson, Map.of("content-type", "application/x-ndjson"));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("X-elastic-product")).contains("Elasticsearch");
        JsonNode responses = JSON.readTree(response.body()).get("responses");
        assertThat(responses).hasSize(2);
        assertThat(responses.get(0).at("/error/type").asText()).isEqualTo("sketchgate_time_range_exception");
        assertThat(responses.get(1).at("/error/type").asText()).isEqualTo("sketchgate_time_filter_required_exception");
    }

    @Test
    void duplicateKeys_cannotHideARangeFromThePolicy() throws Exception {
        // A lenient parser keeps one of the two "range" values and Elasticsearch another: refuse the ambiguity.
        String twoRanges = "{\"size\":0,\"query\":{\"range\":{\"@timestamp\":{\"gte\":\"now-1d\"}},"
                + "\"range\":{\"@timestamp\":{\"gte\":\"now-900d\"}}}}";
        HttpResponse<String> response = send("POST", "/" + prefix + "-*/_search", "alice", twoRanges, Map.of());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(JSON.readTree(response.body()).at("/error/reason").asText()).containsIgnoringCase("duplicate");
    }

    @Test
    void luceneQueryParameter_countsAsNoTimeFilter() throws Exception {
        HttpResponse<String> response = send("GET", "/" + prefix + "-*/_search?q=n:5", "alice", null, Map.of());
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("sketchgate_time_filter_required_exception");
    }

    @Test
    void bodyInTheUrl_isInspectedToo() throws Exception {
        String source = URLEncoder.encode(discover90Days(), StandardCharsets.UTF_8);
        HttpResponse<String> response = send(
                "GET",
                "/" + prefix + "-*/_search?source_content_type=application/json&source=" + source,
                "alice",
                null,
                Map.of());
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("sketchgate_time_range_exception");
    }

    @Test
    void clamp_narrowsToTheLatestAllowedWindow_andGivesTheSameHitsAsThatWindowDirect() throws Exception {
        String thirtyDays =
                "{\"size\":0,\"query\":{\"bool\":{\"filter\":[{\"range\":{\"@timestamp\":{\"gte\":\"2024-04-15T12:00:00.000Z\","
                        + "\"lte\":\"" + TO + "\",\"format\":\"strict_date_optional_time\"}}}]}}}";
        HttpResponse<String> clamped = send("POST", "/" + prefix + "-*/_search", "carl", thirtyDays, Map.of());
        assertThat(clamped.statusCode()).isEqualTo(200);
        assertThat(clamped.headers().firstValue("X-Sketchgate-Clamped")).contains("2024-05-08T12:00:00.000Z/" + TO);
        assertThat(clamped.headers().firstValue("Warning"))
                .hasValueSatisfying(w -> assertThat(w).startsWith("299 Sketchgate \""));
        String sevenDays = thirtyDays.replace("2024-04-15T12:00:00.000Z", "2024-05-08T12:00:00.000Z");
        HttpResponse<String> viaDirect = http.send(
                HttpRequest.newBuilder(URI.create(direct + "/" + prefix + "-*/_search"))
                        .header("content-type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(sevenDays))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(JSON.readTree(clamped.body()).at("/hits/total/value").asInt())
                .isEqualTo(
                        JSON.readTree(viaDirect.body()).at("/hits/total/value").asInt())
                .isEqualTo(7 * 24); // one document an hour, the last at 11:00
    }

    @Test
    void requestsPerMinute_overTheLimit_gets429WithRetryAfter() throws Exception {
        String body = "{\"size\":0}";
        for (int i = 0; i < 3; i++) {
            assertThat(send("POST", "/" + prefix + "-*/_search", "rita", body, Map.of())
                            .statusCode())
                    .isEqualTo(200);
        }
        HttpResponse<String> limited = send("POST", "/" + prefix + "-*/_search", "rita", body, Map.of());
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After"))
                .hasValueSatisfying(v -> assertThat(Long.parseLong(v)).isBetween(1L, 60L));
        JsonNode error = JSON.readTree(limited.body());
        assertThat(error.at("/error/type").asText()).isEqualTo("sketchgate_quota_exception");
        assertThat(error.at("/error/reason").asText()).contains("requests_per_minute of role limited");
    }

    private String lensBody(String from) throws Exception {
        JsonNode lens = JSON.readTree(KibanaFixtures.directory()
                        .resolve("lens_daily_unique_count_30d.json")
                        .toFile())
                .get("body");
        return lens.toString().replace("2024-04-15T12:00:00.000Z", from).replace("\"user.id\"", "\"n\"");
    }

    private static String discover90Days() {
        return BypassRequests.discover90Days();
    }

    private HttpResponse<String> send(String method, String path, String user, String body, Map<String, String> headers)
            throws Exception {
        return proxy.send(method, path, user, body, headers);
    }

    private static String basic(String user) {
        return ApiClient.basic(user, PASSWORD);
    }

    private static String withoutTook(String json) throws Exception {
        JsonNode node = JSON.readTree(json);
        ((com.fasterxml.jackson.databind.node.ObjectNode) node).remove("took");
        return node.toString();
    }
}
