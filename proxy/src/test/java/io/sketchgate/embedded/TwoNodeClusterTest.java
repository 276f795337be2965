package io.sketchgate.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sketchgate.testing.IndexNames;
import io.sketchgate.testing.RealElasticsearchCluster;
import io.sketchgate.testing.TestElasticsearchCluster;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The shared two-node cluster: it forms, survives a node killed by PID, and heals on restart. */
@RealElasticsearchCluster
class TwoNodeClusterTest {

    private static final String INDEX = IndexNames.unique(TwoNodeClusterTest.class);

    @Test
    void killingOneNodeByPid_leavesTheOtherAnswering_andRestartBringsTwoNodesBack(TestElasticsearchCluster cluster)
            throws Exception {
        assertThat(cluster.nodeRequests(0)
                        .get("/_cluster/health")
                        .path("number_of_nodes")
                        .asInt())
                .isEqualTo(2);
        cluster.requests().createIndex(INDEX, "{\"settings\":{\"number_of_shards\":2,\"number_of_replicas\":1}}");
        List<Map<String, Object>> documents = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            documents.add(Map.of("user_id", "u" + i));
        }
        cluster.requests().bulkIndex(INDEX, documents);
        cluster.requests().get("/_cluster/health/" + INDEX + "?wait_for_status=green&timeout=60s");

        int victim = cluster.nonMasterIndex();
        int survivor = 1 - victim;
        long pid = cluster.pid(victim);
        cluster.kill(victim);

        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                .isFalse();
        assertThat(cluster.isRunning(victim)).isFalse();
        cluster.awaitNodeCount(survivor, 1);
        assertThat(cluster.nodeRequests(survivor).count(INDEX)).isEqualTo(500);

        cluster.restart(victim);

        JsonNode health = cluster.nodeRequests(victim).get("/_cluster/health?wait_for_nodes=2&timeout=30s");
        assertThat(health.path("number_of_nodes").asInt()).isEqualTo(2);
        assertThat(cluster.pid(victim)).isNotEqualTo(pid);
        assertThat(cluster.nodeRequests(victim).count(INDEX)).isEqualTo(500);
    }
}
