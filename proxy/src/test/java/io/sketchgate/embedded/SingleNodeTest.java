package io.sketchgate.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sketchgate.testing.IndexNames;
import io.sketchgate.testing.RealElasticsearch;
import io.sketchgate.testing.TestElasticsearch;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The shared single node of the harness, for whatever {@code -Des.version} names. */
@RealElasticsearch
@Tag("es-smoke")
class SingleNodeTest {

    private static final String INDEX = IndexNames.unique(SingleNodeTest.class);

    @Test
    void node_reportsTheVersionTheBuildAskedFor(TestElasticsearch es) throws Exception {
        String expected = System.getProperty("es.version", ElasticsearchVersion.ofBuild());

        JsonNode nodes = es.requests().get("/_nodes/_local?filter_path=nodes.*.version");

        assertThat(nodes.path("nodes").elements().next().path("version").asText())
                .isEqualTo(expected);
        assertThat(es.version()).isEqualTo(expected);
    }

    @Test
    void cluster_hasOneHealthyNode(TestElasticsearch es) throws Exception {
        JsonNode health = es.requests().get("/_cluster/health");

        assertThat(health.path("number_of_nodes").asInt()).isEqualTo(1);
        assertThat(health.path("status").asText()).isIn("green", "yellow");
        assertThat(es.baseUri().getHost()).isEqualTo("127.0.0.1");
        assertThat(es.baseUri().getPort()).isNotIn(9200, 9300);
    }

    @Test
    void pid_isTheElasticsearchServerJvm(TestElasticsearch es) {
        long pid = es.embedded().node(0).pid();

        ProcessHandle server = ProcessHandle.of(pid).orElseThrow();
        assertThat(server.isAlive()).isTrue();
        assertThat(server.info().command())
                .hasValueSatisfying(command -> assertThat(command).endsWith("java"));
        assertThat(server.info().arguments().map(List::of).orElse(List.of()))
                .anySatisfy(argument -> assertThat(argument).contains("org.elasticsearch"));
    }

    @Test
    void indexedDocuments_areFoundBySearch(TestElasticsearch es) throws Exception {
        es.requests().createIndex(INDEX, "{\"mappings\":{\"properties\":{\"user_id\":{\"type\":\"keyword\"}}}}");
        es.requests()
                .bulkIndex(INDEX, List.of(Map.of("user_id", "u1"), Map.of("user_id", "u2"), Map.of("user_id", "u1")));

        JsonNode answer = es.requests()
                .post(
                        "/" + INDEX + "/_search",
                        "{\"size\":0,\"query\":{\"term\":{\"user_id\":\"u1\"}},"
                                + "\"aggs\":{\"users\":{\"cardinality\":{\"field\":\"user_id\"}}}}");

        assertThat(answer.path("hits").path("total").path("value").asLong()).isEqualTo(2);
        assertThat(answer.path("aggregations").path("users").path("value").asLong())
                .isEqualTo(1);
        assertThat(es.requests().count(INDEX)).isEqualTo(3);
    }

    @Test
    void consoleLog_holdsTheNodesOutput(TestElasticsearch es) {
        assertThat(es.logTail(500)).contains("node-0").contains("started");
    }
}
