package io.sketchgate.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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

/**
 * Kibana's internal user gets the built-in {@code kibana_internal} role: Kibana's own indices without time limits,
 * nothing else (403 naming the role and the allowed patterns) unless the operator allows more.
 */
@RealElasticsearch
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KibanaInternalRoleTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MATCH_ALL = "{\"query\":{\"match_all\":{}}}";

    private final String kibanaIndex = "." + IndexNames.unique("kibana-sgtest");
    private final String logs = IndexNames.unique("logs-kib");
    private final String sneakyAlias = "." + IndexNames.unique("kibana-alias");
    private ProxyUnderTest defaults;
    private ProxyUnderTest widened;

    @BeforeAll
    void start(TestElasticsearch es, @TempDir Path dir) throws Exception {
        es.requests().createIndex(kibanaIndex, "{\"settings\":{\"index.hidden\":true}}");
        es.requests().bulkIndex(kibanaIndex, List.of(Map.of("type", "config"), Map.of("type", "task")));
        es.requests().createIndex(logs, "{\"mappings\":{\"properties\":{\"@timestamp\":{\"type\":\"date\"}}}}");
        es.requests().bulkIndex(logs, List.of(Map.of("@timestamp", "2024-05-01T00:00:00Z")));
        es.requests()
                .post(
                        "/_aliases",
                        "{\"actions\":[{\"add\":{\"index\":\"" + logs + "\",\"alias\":\"" + sneakyAlias + "\"}}]}");
        defaults = start(dir, es.baseUri(), "");
        widened = start(dir, es.baseUri(), "kibana_internal: { allowed_indices: [\".kibana*\", \"logs-kib-*\"] }");
    }

    private static ProxyUnderTest start(Path dir, URI elasticsearch, String identity) throws Exception {
        return ProxyUnderTest.forElasticsearch(elasticsearch)
                .yaml("access_log: { enabled: false }")
                .identity("sources: [static]\n" + identity)
                .user("kibana_system", "analyst")
                .user("alice", "analyst")
                .yaml("""
                        roles:
                          analyst: { max_time_range: 31d, require_time_filter: true }
                        index_time_fields: { "*": "@timestamp" }
                        """)
                .start(dir);
    }

    @AfterAll
    void stop() {
        defaults.close();
        widened.close();
    }

    @Test
    void internalUser_queriesKibanasOwnIndices_withoutTheTimeLimitsOfItsConfiguredRoles() throws Exception {
        HttpResponse<String> response =
                defaults.send("POST", "/" + kibanaIndex + "/_search", "kibana_system", MATCH_ALL);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).at("/hits/total/value").asInt())
                .isEqualTo(2);

        HttpResponse<String> sameForAnalyst = defaults.send("POST", "/" + kibanaIndex + "/_search", "alice", MATCH_ALL);
        assertThat(sameForAnalyst.statusCode())
                .as("an analyst is held to require_time_filter")
                .isEqualTo(400);
    }

    @Test
    void internalUser_onAnotherIndex_gets403NamingTheRoleAndTheAllowedPatterns() throws Exception {
        HttpResponse<String> response = defaults.send("POST", "/" + logs + "/_search", "kibana_system", MATCH_ALL);
        assertThat(response.statusCode()).isEqualTo(403);
        JsonNode error = JSON.readTree(response.body());
        assertThat(error.at("/error/type").asText()).isEqualTo("security_exception");
        assertThat(error.get("status").asInt()).isEqualTo(403);
        assertThat(error.at("/error/reason").asText())
                .isEqualTo("Kibana's internal user kibana_system (role kibana_internal)"
                        + " may only query Kibana's own indices [.kibana*, .reporting-*, .apm-agent-configuration, .apm-custom-link,"
                        + " .apm-source-map, .fleet-*, .alerts-*, .internal.alerts-*, .preview.alerts-*, .internal.preview.alerts-*,"
                        + " .siem-signals-*, .lists-*, .items-*, .ml-annotations*, .ml-notifications*,"
                        + " .logs-endpoint.diagnostic.collection-*, .monitoring-*, .management-beats]; this request reads "
                        + logs
                        + ". If Kibana needs these, an administrator can add them to identity.kibana_internal.allowed_indices in the"
                        + " Sketchgate configuration.");
    }

    @Test
    void internalUser_cannotReachOtherIndices_throughEveryIndex_anAliasNamedLikeKibanas_orAnMsearchLine()
            throws Exception {
        assertThat(defaults.send("POST", "/_search", "kibana_system", MATCH_ALL).statusCode())
                .isEqualTo(403);
        assertThat(defaults.send("POST", "/.kibana*," + logs + "/_count", "kibana_system", MATCH_ALL)
                        .statusCode())
                .isEqualTo(403);
        HttpResponse<String> alias = defaults.send("POST", "/" + sneakyAlias + "/_search", "kibana_system", MATCH_ALL);
        assertThat(alias.statusCode()).isEqualTo(403);
        assertThat(alias.body()).contains("this request reads " + logs);
        HttpResponse<String> msearch = defaults.send(
                "POST",
                "/" + kibanaIndex + "/_msearch",
                "kibana_system",
                "{}\n" + MATCH_ALL + "\n{\"index\":\"" + logs + "\"}\n" + MATCH_ALL + "\n");
        assertThat(msearch.statusCode()).isEqualTo(403);
    }

    @Test
    void operatorsAllowedIndices_widenWhatTheInternalUserMayQuery() throws Exception {
        HttpResponse<String> response = widened.send("POST", "/" + logs + "/_search", "kibana_system", MATCH_ALL);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(widened.send("POST", "/_search", "kibana_system", MATCH_ALL).statusCode())
                .isEqualTo(403);
    }
}
