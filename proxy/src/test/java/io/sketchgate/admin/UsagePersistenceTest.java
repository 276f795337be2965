package io.sketchgate.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sketchgate.testing.IndexNames;
import io.sketchgate.testing.ProxyUnderTest;
import io.sketchgate.testing.RealElasticsearch;
import io.sketchgate.testing.TestElasticsearch;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Usage counters reach Elasticsearch on the flush interval and survive a restart of the proxy. */
@RealElasticsearch
class UsagePersistenceTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void countersAreFlushedPeriodically_andAddedToAfterARestart(TestElasticsearch es, @TempDir Path dir)
            throws Exception {
        String source = IndexNames.unique("logs-per");
        String usageIndex = IndexNames.unique("usage-per");
        es.requests().bulkIndex(source + "-1", List.of(Map.of("n", 1), Map.of("n", 2)));
        String tail = """
                roles:
                  analyst: { indices: ["logs-per-*"] }
                  sketchgate_admin: { indices: ["sketchgate-nothing-*"] }
                usage: { index: "%s", flush_interval: 1s }
                """.formatted(usageIndex);

        try (ProxyUnderTest first = AdminProxy.start(dir, es.baseUri(), tail)) {
            assertThat(search(first, source)).isEqualTo(200);
            assertThat(search(first, source)).isEqualTo(200);
            // no usage query, no shutdown: only the periodic flush can have written this
            JsonNode stored = awaitStoredRequests(es, usageIndex, 2);
            assertThat(stored.path("_id").asText())
                    .isEqualTo(stored.at("/_source/hour").asText() + "|alice");
            assertThat(stored.at("/_source/roles").toString()).isEqualTo("[\"analyst\"]");
        }
        try (ProxyUnderTest second = AdminProxy.start(dir, es.baseUri(), tail)) {
            assertThat(search(second, source)).isEqualTo(200);
            awaitStoredRequests(
                    es, usageIndex, 3); // flushed: the query below finds nothing pending, only stored counts
            HttpResponse<String> usage = second.get("/_sketchgate/usage?user=alice", "admin");
            assertThat(usage.statusCode()).isEqualTo(200);
            JsonNode totals = JSON.readTree(usage.body()).at("/users/0/totals");
            assertThat(totals.path("requests").asLong()).isEqualTo(3); // two before the restart, one after
        }
        es.requests().refresh(usageIndex);
        assertThat(es.requests().count(usageIndex)).isBetween(1L, 2L); // one per hour: the hour may have turned
    }

    private static int search(ProxyUnderTest proxy, String source) throws Exception {
        return proxy.send("POST", "/" + source + "-*/_search", "alice", "{\"query\":{\"match_all\":{}}}")
                .statusCode();
    }

    private static JsonNode awaitStoredRequests(TestElasticsearch es, String index, long requests) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        JsonNode last = null;
        while (Instant.now().isBefore(deadline)) {
            JsonNode hits;
            try {
                hits = es.requests()
                        .get("/" + index + "/_search?ignore_unavailable=true&q=user:alice")
                        .at("/hits/hits");
            } catch (org.elasticsearch.client.ResponseException startingUp) { // 503 while the new index's shard starts
                hits = JSON.createArrayNode();
            }
            long stored = 0;
            for (JsonNode hit : hits) { // one document per hour: two if the hour turned during the test
                stored += hit.at("/_source/requests").asLong();
                last = hit;
            }
            if (stored == requests) {
                return last;
            }
            Thread.sleep(200);
        }
        throw new AssertionError(
                "usage of alice never reached " + requests + " requests in " + index + "; last: " + last);
    }
}
