package io.sketchgate.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sketchgate.policy.BypassRequests;
import io.sketchgate.testing.ApiClient;
import io.sketchgate.testing.IndexNames;
import io.sketchgate.testing.ProxyUnderTest;
import io.sketchgate.testing.RealElasticsearch;
import io.sketchgate.testing.TestElasticsearch;
import io.sketchgate.testing.Timestamps;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code POST /_sketchgate/explain} says what the proxy then does: for every request of the policy's bypass suite,
 * for an allowed and a clamped query, and for a rate limit it must look at without spending.
 */
@RealElasticsearch
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExplainAgreementTest {
    private final String prefix = IndexNames.unique("logs-expl");
    private ProxyUnderTest server;
    private ApiClient proxy;

    @BeforeAll
    void start(TestElasticsearch es, @TempDir Path dir) throws Exception {
        String index = prefix + "-2024";
        es.requests().createIndex(index, Timestamps.MAPPING);
        es.requests()
                .bulkIndex(
                        index, Timestamps.every(Duration.ofHours(6), Instant.parse("2024-02-15T12:00:00Z"), 2160 / 6));
        server = ProxyUnderTest.forElasticsearch(es.baseUri())
                .user("root", "sketchgate_admin")
                .user("alice", "analyst")
                .user("carl", "clamper")
                .user("rita", "limited")
                .user("bob", "analyst")
                .user("kibana_system", "analyst")
                .yaml("""
                        roles:
                          analyst: { indices: ["logs-expl-*"], max_time_range: 31d, on_exceed: reject, require_time_filter: true }
                          clamper: { indices: ["logs-expl-*"], max_time_range: 7d, on_exceed: clamp }
                          limited: { indices: ["logs-expl-*"], requests_per_minute: 3 }
                        index_time_fields:
                          "logs-expl-*": "@timestamp"
                        runtime_limits: { index: %s, audit_index: %s }
                        """.formatted(IndexNames.unique("sg-config"), IndexNames.unique("sg-audit")))
                .start(dir);
        proxy = server.client();
    }

    @AfterAll
    void stop() {
        server.close();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.sketchgate.policy.BypassRequests#rows")
    void explain_ofEveryBypassAttempt_givesTheErrorTheProxyThenGives(String name, String method, String path)
            throws Exception {
        String target = path.replace("{p}", prefix);
        JsonNode explained = explain("alice", method, target, BypassRequests.discover90Days());
        ApiClient.Answer actual = proxy.answer("alice", method, target, BypassRequests.discover90Days());

        assertThat(actual.status()).as(name).isEqualTo(400);
        assertThat(explained.get("outcome").asText()).as(name).isEqualTo("reject");
        assertThat(explained.get("status").asInt()).isEqualTo(actual.status());
        assertThat(explained.get("error")).as(name).isEqualTo(actual.json());
        assertThat(explained.at("/identity/user").asText()).isEqualTo("alice");
    }

    @Test
    void explain_ofAnAllowedQuery_showsIdentityIndicesLimitsAndTheirSources() throws Exception {
        String thirtyDays = range("2024-04-15T12:00:00.000Z", BypassRequests.TO);
        JsonNode explained = explain("alice", "POST", "/" + prefix + "-*/_search", thirtyDays);
        assertThat(proxy.answer("alice", "POST", "/" + prefix + "-*/_search", thirtyDays)
                        .status())
                .isEqualTo(200);

        assertThat(explained.get("outcome").asText()).isEqualTo("allow");
        assertThat(explained.at("/identity/roles/0").asText()).isEqualTo("analyst");
        assertThat(explained.get("endpoint").asText()).isEqualTo("search");
        assertThat(explained.at("/indices/requested/0").asText()).isEqualTo(prefix + "-*");
        assertThat(explained.at("/indices/resolved").toString()).contains(prefix + "-2024");
        assertThat(explained.at("/limits/max_time_range").toString())
                .isEqualTo("{\"value\":\"31d\",\"from\":\"max_time_range of role analyst\",\"source\":\"file\"}");
        assertThat(explained.get("time_span").asText()).isEqualTo("passed, span 30 days");
    }

    @Test
    void explain_ofAClampedQuery_showsTheRewrittenBody_andSaysWhereARunTimeLimitComesFrom() throws Exception {
        String thirtyDays = range("2024-04-15T12:00:00.000Z", BypassRequests.TO);
        JsonNode explained = explain("carl", "POST", "/" + prefix + "-*/_search", thirtyDays);
        ApiClient.Answer actual = proxy.answer("carl", "POST", "/" + prefix + "-*/_search", thirtyDays);
        assertThat(explained.get("outcome").asText()).isEqualTo("clamp");
        assertThat(explained.at("/response_headers/X-Sketchgate-Clamped").asText())
                .isEqualTo(actual.header("X-Sketchgate-Clamped"))
                .isEqualTo("2024-05-08T12:00:00.000Z/" + BypassRequests.TO);
        assertThat(explained.at("/rewritten_body").toString()).contains("2024-05-08T12:00:00.000Z");

        proxy.answer("root", "PUT", "/_sketchgate/quotas/users/carl", "{\"max_time_range\":\"40d\"}");
        JsonNode overridden = explain("carl", "POST", "/" + prefix + "-*/_search", thirtyDays);
        assertThat(overridden.get("outcome").asText()).isEqualTo("allow");
        assertThat(overridden.at("/limits/max_time_range").toString())
                .isEqualTo("{\"value\":\"40d\",\"from\":\"max_time_range set for user carl\",\"source\":\"runtime\"}");
        assertThat(proxy.answer("carl", "POST", "/" + prefix + "-*/_search", thirtyDays)
                        .header("X-Sketchgate-Clamped"))
                .isNull();
    }

    @Test
    void explain_looksAtTheRateLimit_withoutSpendingIt() throws Exception {
        String body = "{\"size\":0}";
        for (int i = 0; i < 5; i++) {
            assertThat(explain("rita", "POST", "/" + prefix + "-*/_search", body)
                            .get("outcome")
                            .asText())
                    .isEqualTo("allow");
        }
        for (int i = 0; i < 3; i++) {
            assertThat(proxy.answer("rita", "POST", "/" + prefix + "-*/_search", body)
                            .status())
                    .isEqualTo(200);
        }
        JsonNode explained = explain("rita", "POST", "/" + prefix + "-*/_search", body);
        ApiClient.Answer actual = proxy.answer("rita", "POST", "/" + prefix + "-*/_search", body);
        assertThat(actual.status()).isEqualTo(429);
        assertThat(explained.get("outcome").asText()).isEqualTo("reject");
        assertThat(explained.get("status").asInt()).isEqualTo(429);
        assertThat(explained.at("/error/error/type").asText()).isEqualTo(actual.errorType());
        assertThat(explained.get("quota").asText()).isEqualTo("refused: sketchgate_quota_exception");
        assertThat(explained.at("/response_headers/Retry-After").asText()).isNotEmpty();
    }

    @Test
    void explain_withoutCredentialsInTheExplainedRequest_saysItWouldBe401() throws Exception {
        ObjectNode request =
                ApiClient.JSON.createObjectNode().put("method", "GET").put("path", "/_cluster/health");
        JsonNode explained = proxy.answer("root", "POST", "/_sketchgate/explain", request.toString())
                .json();
        assertThat(explained.get("outcome").asText()).isEqualTo("reject");
        assertThat(explained.get("status").asInt()).isEqualTo(401);
        assertThat(explained.at("/response_headers/WWW-Authenticate").asText()).startsWith("Basic");
    }

    @Test
    void explain_ofKibanasInternalUserOutsideItsIndices_givesThe403TheProxyGives_andItsOwnIndicesStayOpen()
            throws Exception {
        String logs = "/" + prefix + "-2024/_search";
        JsonNode explained = explain("kibana_system", "POST", logs, "{\"size\":0}");
        ApiClient.Answer actual = proxy.answer("kibana_system", "POST", logs, "{\"size\":0}");
        assertThat(actual.status()).isEqualTo(403);
        assertThat(explained.get("outcome").asText()).isEqualTo("reject");
        assertThat(explained.get("error")).isEqualTo(actual.json());
        assertThat(explained.at("/indices/resolved").toString()).contains(prefix + "-2024");

        // the built-in role also governs under run-time limits: Kibana's own indices need no time filter
        JsonNode own = explain("kibana_system", "POST", "/.kibana-explain-none*/_search", "{\"size\":0}");
        assertThat(own.get("outcome").asText()).as(own.toString()).isEqualTo("allow");
        assertThat(proxy.answer("kibana_system", "POST", "/.kibana-explain-none*/_search", "{\"size\":0}")
                        .status())
                .isEqualTo(200);
    }

    @Test
    void explain_ofASearchOnAnotherUsersPit_givesThe404TheProxyGives_andTheOwnersIsGovernedByThePitsIndices()
            throws Exception {
        ApiClient.Answer opened = proxy.answer("alice", "POST", "/" + prefix + "-*/_pit?keep_alive=1m", "");
        assertThat(opened.status()).as(opened.json().toString()).isEqualTo(200);
        String pit = opened.json().get("id").asText();
        String search = "{\"size\":0,\"pit\":{\"id\":\"" + pit + "\"}}";

        JsonNode stolen = explain("bob", "POST", "/_search", search);
        ApiClient.Answer actual = proxy.answer("bob", "POST", "/_search", search);
        assertThat(actual.status()).isEqualTo(404);
        assertThat(stolen.get("status").asInt()).isEqualTo(404);
        assertThat(stolen.get("error")).isEqualTo(actual.json());

        JsonNode own = explain("alice", "POST", "/_search", search);
        ApiClient.Answer ownActual = proxy.answer("alice", "POST", "/_search", search);
        assertThat(ownActual.status()).isEqualTo(400);
        assertThat(own.get("outcome").asText()).isEqualTo("reject");
        assertThat(own.at("/indices/requested/0").asText())
                .as("the PIT's indices")
                .isEqualTo(prefix + "-*");
        assertThat(own.get("error"))
                .as("require_time_filter on the PIT's indices")
                .isEqualTo(ownActual.json());
    }

    private JsonNode explain(String user, String method, String path, String body) throws Exception {
        ObjectNode request =
                ApiClient.JSON.createObjectNode().put("method", method).put("path", path);
        request.putObject("headers").put("Authorization", ApiClient.basic(user, ProxyUnderTest.PASSWORD));
        request.set("body", ApiClient.JSON.readTree(body));
        ApiClient.Answer answer = proxy.answer("root", "POST", "/_sketchgate/explain", request.toString());
        assertThat(answer.status()).as(answer.json().toString()).isEqualTo(200);
        return answer.json();
    }

    private static String range(String from, String to) {
        return "{\"size\":0,\"query\":{\"bool\":{\"filter\":[{\"range\":{\"@timestamp\":{\"gte\":\"" + from
                + "\",\"lte\":\"" + to + "\",\"format\":\"strict_date_optional_time\"}}}]}}}";
    }
}
