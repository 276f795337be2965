package io.sketchgate.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sketchgate.config.ConfigLoader;
import io.sketchgate.server.ProxyServer;
import io.sketchgate.testing.IndexNames;
import io.sketchgate.testing.ProxyUnderTest;
import io.sketchgate.testing.RealElasticsearch;
import io.sketchgate.testing.TestElasticsearch;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /_sketchgate/usage} after real requests through a proxy with policy on: counts, rejections by reason,
 * Elasticsearch time from {@code took}, budget left, top users, and who may see what.
 */
@RealElasticsearch
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UsageEndpointTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SEARCH = "{\"size\":0,\"aggs\":{\"n\":{\"terms\":{\"field\":\"n\",\"size\":1000}}}}";

    private final String prefix = IndexNames.unique("logs-use");
    private ProxyUnderTest proxy;
    private TestElasticsearch es;
    private Path dir;
    private long aliceTook;
    private long aliceBytesOut;

    @BeforeAll
    void start(TestElasticsearch es, @TempDir Path dir) throws Exception {
        this.es = es;
        this.dir = dir;
        List<Map<String, Object>> docs = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            docs.add(Map.of("n", i));
        }
        es.requests().bulkIndex(prefix + "-1", docs);
        proxy = AdminProxy.start(dir, es.baseUri(), """
                roles:
                  analyst: { indices: ["logs-use-*"], requests_per_minute: 3, daily_es_time_budget: 1h }
                  sketchgate_admin: { indices: ["sketchgate-nothing-*"] }
                usage: { index: "%s" }
                """.formatted(IndexNames.unique("usage-use")));
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 4; i++) { // the fourth exceeds requests_per_minute
            HttpResponse<String> response = proxy.send("POST", "/" + prefix + "-*/_search", "alice", SEARCH);
            statuses.add(response.statusCode());
            aliceBytesOut += response.body().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            if (response.statusCode() == 200) {
                aliceTook += JSON.readTree(response.body()).path("took").asLong();
            }
        }
        assertThat(statuses).containsExactly(200, 200, 200, 429);
        assertThat(proxy.send("POST", "/" + prefix + "-*/_search", "bob", SEARCH)
                        .statusCode())
                .isEqualTo(200);
    }

    @AfterAll
    void stop() {
        proxy.close();
    }

    @Test
    void adminSeesAUsersRequestsRejectionsEsTimeBytesAndBudget() throws Exception {
        JsonNode usage = usage("?user=alice&from=now-1d&interval=1h", "admin");
        assertThat(usage.path("users")).hasSize(1);
        JsonNode alice = usage.path("users").path(0);
        assertThat(alice.path("user").asText()).isEqualTo("alice");
        assertThat(alice.path("roles").toString()).isEqualTo("[\"analyst\"]");
        JsonNode totals = alice.path("totals");
        assertThat(totals.path("requests").asLong()).isEqualTo(4);
        assertThat(totals.path("rejected").asLong()).isEqualTo(1);
        assertThat(totals.path("rejections").toString()).isEqualTo("{\"rate_limit\":1}");
        assertThat(totals.path("es_time_ms").asLong()).isEqualTo(aliceTook);
        assertThat(totals.path("bytes_out").asLong()).isGreaterThanOrEqualTo(aliceBytesOut);
        assertThat(totals.path("bytes_in").asLong()).isEqualTo(3L * SEARCH.length()); // the refused body is never read
        long seriesRequests = 0;
        for (JsonNode point : alice.path("series")) {
            seriesRequests += point.path("requests").asLong();
        }
        assertThat(seriesRequests).isEqualTo(4);
        assertThat(alice.path("series").size()).isBetween(24, 26); // hourly buckets over the day asked
        JsonNode budget = alice.path("budget_today");
        assertThat(budget.path("es_time_used_ms").asLong()).isEqualTo(aliceTook);
        assertThat(budget.path("daily_es_time_budget_ms").asLong()).isEqualTo(3_600_000);
        assertThat(budget.path("remaining_ms").asLong()).isEqualTo(3_600_000 - aliceTook);
        assertThat(usage.path("totals").path("requests").asLong()).isEqualTo(4);
    }

    @Test
    void everyoneAtOnce_hasTotalsAndTopUsersByEsTime() throws Exception {
        JsonNode usage = usage("?role=analyst", "admin");
        assertThat(usage.path("users").findValuesAsText("user")).containsExactlyInAnyOrder("alice", "bob");
        assertThat(usage.path("totals").path("requests").asLong()).isEqualTo(5);
        assertThat(usage.path("totals").path("rejections").path("rate_limit").asLong())
                .isEqualTo(1);
        JsonNode top = usage.path("top_users");
        assertThat(top).hasSize(2);
        assertThat(top.path(0).path("es_time_ms").asLong())
                .isGreaterThanOrEqualTo(top.path(1).path("es_time_ms").asLong());
        assertThat(usage("?role=nobody", "admin").path("users")).isEmpty();
    }

    @Test
    void aUserMaySeeTheirOwnUsageOnly() throws Exception {
        JsonNode own = usage("", "alice");
        assertThat(own.path("users").findValuesAsText("user")).containsExactly("alice");
        assertThat(usage("?user=alice", "alice")
                        .path("users")
                        .path(0)
                        .path("totals")
                        .path("requests")
                        .asLong())
                .isEqualTo(4);

        HttpResponse<String> other = proxy.get("/_sketchgate/usage?user=bob", "alice");
        assertThat(other.statusCode()).isEqualTo(403);
        JsonNode error = JSON.readTree(other.body());
        assertThat(error.at("/error/type").asText()).isEqualTo("security_exception");
        assertThat(error.at("/error/reason").asText())
                .isEqualTo("User alice may not read the usage of other users:"
                        + " it needs the role sketchgate_admin; without it, ask for your own usage only (no role parameter,"
                        + " user omitted or your own name).");
        assertThat(proxy.get("/_sketchgate/usage?role=analyst", "alice").statusCode())
                .isEqualTo(403);
        assertThat(proxy.get("/_sketchgate/usage", null).statusCode()).isEqualTo(401);
    }

    @Test
    void adminApi401_carriesWwwAuthenticate_asAProxiedSearchsDoes() throws Exception {
        HttpResponse<String> search = proxy.send("POST", "/" + prefix + "-*/_search", null, SEARCH);
        assertThat(search.statusCode()).isEqualTo(401);
        for (String path : List.of("/_sketchgate/usage", "/_sketchgate/quotas")) {
            HttpResponse<String> api = proxy.get(path, null);
            assertThat(api.statusCode()).as(path).isEqualTo(401);
            assertThat(api.headers().allValues("WWW-Authenticate"))
                    .as(path)
                    .containsExactly("Basic realm=\"sketchgate\", ApiKey")
                    .isEqualTo(search.headers().allValues("WWW-Authenticate"));
        }
    }

    @Test
    void usage_withIdentityOff_is401SayingWhy_not403WithAdviceThatCannotBeFollowed() throws Exception {
        Path config = Files.createTempFile(dir, "sketchgate", ".yml");
        Files.writeString(config, """
                listeners: { elasticsearch: { host: 127.0.0.1, port: 0 }, warmup: off }
                elasticsearch: { hosts: ["%s"] }
                access_log: { enabled: false }
                usage: { index: "%s" }
                """.formatted(es.baseUri(), IndexNames.unique("usage-off")));
        try (ProxyServer open = ProxyServer.start(new ConfigLoader(Map.of()).load(config))) {
            HttpResponse<String> usage = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(ProxyUnderTest.uri(open.elasticsearchAddress())
                                            .resolve("/_sketchgate/usage"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(usage.statusCode()).isEqualTo(401);
            assertThat(usage.headers().firstValue("WWW-Authenticate")).contains("Basic realm=\"sketchgate\", ApiKey");
            JsonNode error = JSON.readTree(usage.body());
            assertThat(error.at("/error/type").asText()).isEqualTo("security_exception");
            assertThat(error.at("/error/reason").asText())
                    .isEqualTo("Usage is counted per user, and Sketchgate identifies no one here: the identity section"
                            + " of sketchgate.yml is not set, so no usage is charged to anyone. Configure identity"
                            + " (docs/identity.md) and call again with credentials.");
        }
    }

    @Test
    void badParameters_get400NamingTheParameterAndTheFix() throws Exception {
        assertThat(error("?interval=15m"))
                .isEqualTo("[interval] must be a number of hours or days, like 1h, 6h or 1d"
                        + " (usage is counted per hour), was [15m].");
        assertThat(error("?from=yesterday"))
                .startsWith("[from] must be an ISO-8601 date (2026-11-01T00:00:00Z),"
                        + " epoch milliseconds or date math (now-7d/d), was [yesterday]: ");
        assertThat(error("?from=now&to=now-1d")).contains("must be before [to]");
        assertThat(error("?from=now-1y&interval=1h")).contains("choose a larger interval or a shorter range");
        assertThat(error("?usr=alice"))
                .isEqualTo("Unknown parameter [usr] for /_sketchgate/usage; parameters:"
                        + " [from, interval, role, to, top, user].");
        assertThat(proxy.send("POST", "/_sketchgate/usage", "admin", "{}").statusCode())
                .isEqualTo(405);
    }

    @Test
    void isoDatesBoundTheSeries() throws Exception {
        JsonNode usage = usage("?user=alice&from=2020-01-01T00:00:00Z&to=2020-01-03T00:00:00Z&interval=1d", "admin");
        assertThat(usage.path("from").asText()).isEqualTo("2020-01-01T00:00:00Z");
        assertThat(usage.path("users")).isEmpty(); // nothing then
        assertThat(usage.path("totals").path("requests").asLong()).isZero();
    }

    private JsonNode usage(String query, String user) throws Exception {
        HttpResponse<String> response = proxy.get("/_sketchgate/usage" + query, user);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private String error(String query) throws Exception {
        HttpResponse<String> response = proxy.get("/_sketchgate/usage" + query, "admin");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        JsonNode error = JSON.readTree(response.body());
        assertThat(error.at("/error/type").asText()).isEqualTo("illegal_argument_exception");
        return error.at("/error/reason").asText();
    }
}
