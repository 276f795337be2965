package io.sketchgate.transport;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sketchgate.testing.IndexNames;
import io.sketchgate.testing.ProxyUnderTest;
import io.sketchgate.testing.RealElasticsearchCluster;
import io.sketchgate.testing.TestElasticsearchCluster;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** With two Elasticsearch nodes, requests keep succeeding while one is down, and it is used again once back. */
@RealElasticsearchCluster
class FailoverTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void stoppedNode_isSkipped_andUsedAgainWhenItReturns(TestElasticsearchCluster cluster) throws Exception {
        String index = indexWith200Documents(cluster);

        try (ProxyUnderTest proxy = ProxyUnderTest.forElasticsearch(cluster.httpUris())
                .shortTimeouts()
                .elasticsearch("health_check_interval", "500ms")
                .start()) {
            URI base = proxy.baseUri();
            assertThat(answeringNodes(base, 6)).hasSize(2);

            int victim = cluster.nonMasterIndex(); // the master must stay for a two-node cluster to keep working
            cluster.stop(victim);
            for (int i = 0; i < 20; i++) {
                HttpResponse<String> count = get(base, "/" + index + "/_count");
                assertThat(count.statusCode()).as(count.body()).isEqualTo(200);
                assertThat(JSON.readTree(count.body()).get("count").asInt()).isEqualTo(200);
            }
            assertThat(answeringNodes(base, 6)).hasSize(1);

            cluster.restart(victim);
            cluster.awaitNodeCount(victim, 2);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            Set<String> nodes = Set.of();
            while (nodes.size() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(500);
                nodes = answeringNodes(base, 6);
            }
            assertThat(nodes).as("the restarted node serves requests again").hasSize(2);
        }
    }

    /**
     * SIGKILL of a node under steady load: no request hangs, the only failures are Elasticsearch-shaped 502s for
     * requests that were already on the dead node's connections, everything else succeeds on the survivor.
     */
    @Test
    void killedNodeUnderLoad_failsOnlyRequestsInFlightThere_andNoneHang(TestElasticsearchCluster cluster)
            throws Exception {
        String index = indexWith200Documents(cluster);
        int clients = 4;
        try (ProxyUnderTest proxy = ProxyUnderTest.forElasticsearch(cluster.httpUris())
                .shortTimeouts()
                .elasticsearch("health_check_interval", "500ms")
                .start()) {
            URI base = proxy.baseUri();
            java.util.concurrent.ConcurrentLinkedQueue<HttpResponse<String>> responses =
                    new java.util.concurrent.ConcurrentLinkedQueue<>();
            java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(true);
            java.util.concurrent.ExecutorService load = java.util.concurrent.Executors.newFixedThreadPool(clients);
            List<java.util.concurrent.Future<?>> workers = new java.util.ArrayList<>();
            for (int c = 0; c < clients; c++) {
                workers.add(load.submit(() -> {
                    while (running.get()) {
                        HttpRequest search = HttpRequest.newBuilder(
                                        base.resolve("/" + index + "/_search?size=0&track_total_hits=true"))
                                .header("content-type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(
                                        "{\"query\":{\"range\":{\"n\":{\"gte\":0}}}}"))
                                .timeout(Duration.ofSeconds(20))
                                .build();
                        responses.add(http.send(search, HttpResponse.BodyHandlers.ofString())); // a hang throws here
                    }
                    return null;
                }));
            }
            Thread.sleep(1_000);
            int victim = cluster.nonMasterIndex();
            int before = responses.size();
            cluster.kill(victim);
            Thread.sleep(3_000);
            running.set(false);
            for (java.util.concurrent.Future<?> worker : workers) {
                worker.get(30, java.util.concurrent.TimeUnit.SECONDS); // rethrows a timed-out (hung) request
            }
            load.shutdown();
            List<HttpResponse<String>> failed =
                    responses.stream().filter(r -> r.statusCode() != 200).toList();
            assertThat(responses.size() - before)
                    .as("requests served after the kill")
                    .isGreaterThan(10);
            assertThat(failed.size())
                    .as("failures: at most the requests in flight on the dead node")
                    .isLessThanOrEqualTo(clients);
            for (HttpResponse<String> failure : failed) {
                assertThat(failure.statusCode()).as(failure.body()).isEqualTo(502);
                assertThat(JSON.readTree(failure.body()).at("/error/type").asText())
                        .startsWith("sketchgate_upstream");
            }
            for (HttpResponse<String> ok : responses) {
                if (ok.statusCode() == 200) {
                    assertThat(JSON.readTree(ok.body()).at("/hits/total/value").asInt())
                            .isEqualTo(200);
                }
            }
            cluster.restart(victim);
            cluster.awaitNodeCount(victim, 2);
        }
    }

    /** Which nodes answered {@code GET /_nodes/_local} over {@code n} requests through the proxy. */
    private Set<String> answeringNodes(URI base, int n) throws Exception {
        Set<String> names = new HashSet<>();
        for (int i = 0; i < n; i++) {
            HttpResponse<String> response = get(base, "/_nodes/_local?filter_path=nodes.*.name");
            assertThat(response.statusCode()).isEqualTo(200);
            JsonNode nodes = JSON.readTree(response.body()).get("nodes");
            nodes.forEach(node -> names.add(node.get("name").asText()));
        }
        return names;
    }

    private HttpResponse<String> get(URI base, String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(base.resolve(path))
                        .timeout(Duration.ofSeconds(30))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static List<URI> uris(TestElasticsearchCluster cluster) {
        return cluster.httpUris();
    }

    /** A new index of 200 documents on two shards with a replica each, green. */
    private static String indexWith200Documents(TestElasticsearchCluster cluster) throws Exception {
        String index = IndexNames.unique(FailoverTest.class);
        cluster.requests().createIndex(index, "{\"settings\":{\"number_of_shards\":2,\"number_of_replicas\":1}}");
        cluster.requests()
                .bulkIndex(
                        index,
                        IntStream.range(0, 200).mapToObj(i -> Map.of("n", i)).toList());
        cluster.requests().get("/_cluster/health/" + index + "?wait_for_status=green&timeout=60s");
        return index;
    }
}
