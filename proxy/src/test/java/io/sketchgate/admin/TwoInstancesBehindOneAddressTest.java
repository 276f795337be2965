package io.sketchgate.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sketchgate.server.ProxyServer;
import io.sketchgate.testing.ApiClient;
import io.sketchgate.testing.IndexNames;
import io.sketchgate.testing.ProxyUnderTest;
import io.sketchgate.testing.RealElasticsearch;
import io.sketchgate.testing.TcpRelay;
import io.sketchgate.testing.TestElasticsearch;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two proxy instances on one cluster behind one address (a round-robin TCP relay, one connection per request):
 * a quota changed through the address holds on both, usage counted by both adds up, and both report the same
 * precompute job, run under one lease.
 */
@RealElasticsearch
class TwoInstancesBehindOneAddressTest {

    @Test
    void instancesShareConfigUsageAndJobs(TestElasticsearch es, @TempDir Path dir) throws Exception {
        String prefix = IndexNames.unique("pair");
        String index = prefix + "-2024";
        es.requests()
                .createIndex(
                        index,
                        "{\"mappings\":{\"properties\":{\"@timestamp\":{\"type\":\"date\"},"
                                + "\"user_id\":{\"type\":\"keyword\"}}}}");
        List<Map<String, Object>> docs = new ArrayList<>();
        // recent events, so the scheduler's first job (oldest event to now - lateness) is small
        Instant start =
                Instant.now().truncatedTo(java.time.temporal.ChronoUnit.HOURS).minus(Duration.ofHours(48));
        for (int i = 0; i < 48; i++) {
            docs.add(Map.of("@timestamp", start.plus(Duration.ofHours(i)).toString(), "user_id", "u" + (i % 7)));
        }
        es.requests().bulkIndex(index, docs);
        var config = ProxyUnderTest.forElasticsearch(es.baseUri())
                .yaml("access_log: { enabled: false }")
                .user("root", "sketchgate_admin")
                .user("alice", "analyst")
                .yaml("""
                        roles:
                          analyst: { indices: ["%s-*"], max_time_range: 31d }
                        index_time_fields: { "%s-*": "@timestamp" }
                        runtime_limits: { index: %s-config, audit_index: %s-audit, poll_interval: 200ms }
                        usage: { index: %s-usage, flush_interval: 1s }
                        unique_counts:
                          - name: %s
                            source: "%s-*"
                            unique_field: user_id
                            realtime: { poll_interval: 200ms, persist_interval: 1s, schedule_interval: 200ms }
                        """.formatted(prefix, prefix, prefix, prefix, prefix, prefix, prefix))
                .config(dir);
        try (ProxyServer first = ProxyServer.start(config);
                ProxyServer second = ProxyServer.start(config);
                TcpRelay address =
                        TcpRelay.roundRobin(List.of(first.elasticsearchAddress(), second.elasticsearchAddress()))) {
            URI base = URI.create("http://127.0.0.1:" + address.port());
            String sevenDays =
                    "{\"size\":0,\"query\":{\"range\":{\"@timestamp\":{\"gte\":\"now-7d\",\"lt\":\"now\"}}}}";
            for (int i = 0; i < 4; i++) { // two through each instance
                assertThat(send(base, "alice", "POST", "/" + prefix + "-*/_search", sevenDays)
                                .statusCode())
                        .isEqualTo(200);
            }

            HttpResponse<String> changed = send(
                    base,
                    "root",
                    "PUT",
                    "/_sketchgate/quotas/roles/analyst",
                    "{\"indices\":[\"" + prefix + "-*\"],\"max_time_range\":\"3d\"}");
            assertThat(changed.statusCode()).as(changed.body()).isBetween(200, 201);
            long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
            int refusedInARow = 0;
            while (refusedInARow < 4 && System.nanoTime() < deadline) { // four in a row: both instances refuse
                int status = send(base, "alice", "POST", "/" + prefix + "-*/_search", sevenDays)
                        .statusCode();
                refusedInARow = status == 400 ? refusedInARow + 1 : 0;
            }
            assertThat(refusedInARow)
                    .as("both instances apply the change within 2 s")
                    .isEqualTo(4);

            // the answering instance flushes its own counts first; the other's arrive with its next flush (1 s)
            JsonNode usage = json(send(base, "root", "GET", "/_sketchgate/usage?user=alice&from=now-1h", null));
            deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            while (usage.at("/totals/requests").asLong() < 8 && System.nanoTime() < deadline) {
                Thread.sleep(200);
                usage = json(send(base, "root", "GET", "/_sketchgate/usage?user=alice&from=now-1h", null));
            }
            assertThat(usage.at("/totals/requests").asLong())
                    .as(usage.toString())
                    .isGreaterThanOrEqualTo(8);
            assertThat(usage.at("/totals/rejected").asLong()).isGreaterThanOrEqualTo(4);

            String job = "/_sketchgate/unique-counts/" + prefix;
            deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            String firstSays = "";
            String secondSays = "-";
            while (!(firstSays.equals(secondSays) && !firstSays.isEmpty()) && System.nanoTime() < deadline) {
                Thread.sleep(300);
                firstSays = json(send(uri(first), "root", "GET", job, null))
                        .at("/job/precomputed_through")
                        .asText("");
                secondSays = json(send(uri(second), "root", "GET", job, null))
                        .at("/job/precomputed_through")
                        .asText("");
            }
            assertThat(firstSays)
                    .as("both instances see the job's watermark")
                    .isNotEmpty()
                    .isEqualTo(secondSays);
            assertThat(Instant.parse(firstSays)).isAfter(start.plus(Duration.ofHours(40)));
        }
    }

    private static URI uri(ProxyServer proxy) {
        return URI.create("http://127.0.0.1:" + proxy.elasticsearchAddress().getPort());
    }

    /** A new connection per request, so the relay deals requests to the instances in turn. */
    private static HttpResponse<String> send(URI base, String user, String method, String path, String body)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(20))
                .header("Authorization", ApiClient.basic(user, ProxyUnderTest.PASSWORD))
                .header("content-type", "application/json")
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpClient fresh =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        return fresh.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return ApiClient.JSON.readTree(response.body());
    }
}
