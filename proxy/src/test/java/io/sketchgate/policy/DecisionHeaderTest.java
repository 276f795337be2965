package io.sketchgate.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.sketchgate.testing.IndexNames;
import io.sketchgate.testing.ProxyUnderTest;
import io.sketchgate.testing.RealElasticsearch;
import io.sketchgate.testing.TestElasticsearch;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** {@code X-Sketchgate-Decision}: for administrators, or everyone when configured; never for other users. */
@RealElasticsearch
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DecisionHeaderTest {
    private static final String SEVEN_DAYS = "{\"size\":0,\"query\":{\"range\":{\"@timestamp\":"
            + "{\"gte\":\"2024-05-01T00:00:00Z\",\"lt\":\"2024-05-08T00:00:00Z\"}}}}";
    private static final String NINETY_DAYS = "{\"size\":0,\"query\":{\"range\":{\"@timestamp\":"
            + "{\"gte\":\"2024-02-01T00:00:00Z\",\"lt\":\"2024-05-01T00:00:00Z\"}}}}";

    private final String index = IndexNames.unique("logs-dec");
    private ProxyUnderTest adminsOnly;
    private ProxyUnderTest everyone;

    @BeforeAll
    void start(TestElasticsearch es, @TempDir Path dir) throws Exception {
        es.requests().createIndex(index, "{\"mappings\":{\"properties\":{\"@timestamp\":{\"type\":\"date\"}}}}");
        es.requests().bulkIndex(index, List.of(Map.of("@timestamp", "2024-05-02T00:00:00Z")));
        adminsOnly = start(dir, es.baseUri(), "");
        everyone = start(dir, es.baseUri(), "decision_header: everyone");
    }

    private static ProxyUnderTest start(Path dir, URI elasticsearch, String identity) throws Exception {
        return ProxyUnderTest.forElasticsearch(elasticsearch)
                .yaml("access_log: { enabled: false }")
                .identity("sources: [static]\n" + identity)
                .user("alice", "analyst")
                .user("ada", "analyst", "sketchgate_admin")
                .user("carl", "clamper")
                .yaml("""
                        roles:
                          analyst: { indices: ["logs-dec-*"], max_time_range: 31d, requests_per_minute: 1000, max_concurrent: 4 }
                          clamper: { indices: ["logs-dec-*"], max_time_range: 7d, on_exceed: clamp }
                          sketchgate_admin: { indices: ["nothing-governed"] }
                        index_time_fields: { "logs-dec-*": "@timestamp" }
                        """)
                .start(dir);
    }

    @AfterAll
    void stop() {
        adminsOnly.close();
        everyone.close();
    }

    @Test
    void admin_seesRolesLimitsSpanAndQueueWait() throws Exception {
        HttpResponse<String> response = adminsOnly.send("POST", "/" + index + "/_search", "ada", SEVEN_DAYS);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("X-Sketchgate-Decision"))
                .hasValueSatisfying(value -> assertThat(value)
                        .matches(
                                "allowed, roles \\[analyst], limits max_time_range=31d \\(role analyst\\) on_exceed=reject"
                                        + " \\(role analyst\\) requests_per_minute=1000 \\(role analyst\\) max_concurrent=4 \\(role analyst\\),"
                                        + " span 7(\\.0)? days, queue wait \\d+ms"));
    }

    @Test
    void admin_seesTheDecisionOfARefusalToo() throws Exception {
        HttpResponse<String> response = adminsOnly.send("POST", "/" + index + "/_search", "ada", NINETY_DAYS);
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("X-Sketchgate-Decision"))
                .contains("rejected: sketchgate_time_range_exception");
    }

    @Test
    void otherUsers_neverSeeIt_allowedClampedOrRefused() throws Exception {
        assertThat(adminsOnly
                        .send("POST", "/" + index + "/_search", "alice", SEVEN_DAYS)
                        .headers()
                        .firstValue("X-Sketchgate-Decision"))
                .isEmpty();
        assertThat(adminsOnly
                        .send("POST", "/" + index + "/_search", "alice", NINETY_DAYS)
                        .headers()
                        .firstValue("X-Sketchgate-Decision"))
                .isEmpty();
        HttpResponse<String> clamped = adminsOnly.send("POST", "/" + index + "/_search", "carl", NINETY_DAYS);
        assertThat(clamped.headers().firstValue("X-Sketchgate-Clamped")).isPresent();
        assertThat(clamped.headers().firstValue("X-Sketchgate-Decision")).isEmpty();
    }

    @Test
    void everyoneSwitch_showsItToEveryUser_includingTheClamp() throws Exception {
        HttpResponse<String> clamped = everyone.send("POST", "/" + index + "/_search", "carl", NINETY_DAYS);
        assertThat(clamped.statusCode()).isEqualTo(200);
        assertThat(clamped.headers().firstValue("X-Sketchgate-Decision"))
                .hasValueSatisfying(value -> assertThat(value)
                        .startsWith(
                                "allowed, roles [clamper], limits max_time_range=7d (role clamper) on_exceed=clamp (role clamper),"
                                        + " clamped to 2024-04-23T23:59:59.999Z/2024-04-30T23:59:59.999Z"));
    }
}
