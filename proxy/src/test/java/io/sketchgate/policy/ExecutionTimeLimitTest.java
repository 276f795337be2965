package io.sketchgate.policy;

import at.favre.lib.crypto.bcrypt.BCrypt;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sketchgate.config.ConfigLoader;
import io.sketchgate.proxy.ProxyFixture;
import io.sketchgate.proxy.ProxyServer;
import io.sketchgate.testing.IndexNames;
import io.sketchgate.testing.RealElasticsearch;
import io.sketchgate.testing.TestElasticsearch;
import org.elasticsearch.client.Request;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code max_execution_time}: Sketchgate answers 400 at the deadline and closes the upstream connection, and
 * Elasticsearch then cancels the search task — checked with its own {@code _tasks} API. (The test's query spends
 * its time building buckets, which Elasticsearch does not interrupt; it reports the task cancelled at once and its
 * thread stops at the next check.)
 */
@RealElasticsearch
class ExecutionTimeLimitTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Many buckets of buckets over 100k documents: seconds of work for a 512 MB node, with no script. */
    private static final String HEAVY_AGGREGATION = "{\"size\":0,\"aggs\":{\"a\":{\"terms\":{\"field\":\"u\",\"size\":40000},"
            + "\"aggs\":{\"b\":{\"terms\":{\"field\":\"v\",\"size\":10}}}}}}";

    @Test
    void queryRunningPastTheLimit_gets400_andItsSearchTaskIsCancelled(TestElasticsearch es, @TempDir Path dir) throws Exception {
        String index = IndexNames.unique("slowq");
        load(es, index);
        String hash = BCrypt.withDefaults().hashToString(4, "pw".toCharArray());
        Path config = dir.resolve("sketchgate.yml");
        Files.writeString(config, """
                listeners: { elasticsearch: { host: 127.0.0.1, port: 0 } }
                elasticsearch: { hosts: ["%s"] }
                access_log: { enabled: false }
                identity: { sources: [static] }
                users: { sam: { password_hash: "%s", roles: [bounded] } }
                roles: { bounded: { indices: ["slowq-*"], max_execution_time: 1500ms } }
                """.formatted(es.baseUri(), hash));
        try (ProxyServer proxy = ProxyServer.start(new ConfigLoader(Map.of()).load(config))) {
            HttpRequest heavy = HttpRequest.newBuilder(ProxyFixture.uri(proxy.elasticsearchAddress()).resolve("/" + index + "/_search"))
                    .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("sam:pw".getBytes(StandardCharsets.UTF_8)))
                    .header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(HEAVY_AGGREGATION)).timeout(Duration.ofSeconds(60)).build();
            long start = System.nanoTime();
            CompletableFuture<HttpResponse<String>> pending = HttpClient.newHttpClient().sendAsync(heavy, HttpResponse.BodyHandlers.ofString());

            boolean seenRunning = false;
            while (!pending.isDone()) {
                seenRunning |= searchTasks(es) > 0;
                Thread.sleep(100);
            }
            HttpResponse<String> response = pending.get();
            long millis = (System.nanoTime() - start) / 1_000_000;

            assertThat(seenRunning).as("the search was running in Elasticsearch before the deadline").isTrue();
            assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
            assertThat(millis).isBetween(1_400L, 6_000L);
            JsonNode error = JSON.readTree(response.body());
            assertThat(error.at("/error/type").asText()).isEqualTo("sketchgate_execution_time_exception");
            assertThat(error.at("/error/reason").asText()).isEqualTo("The query ran longer than the 1500ms allowed"
                    + " (max_execution_time of role bounded) and was cancelled. Narrow the time range or simplify the"
                    + " query, or ask an administrator to raise the limit.");

            // Closing the upstream connection makes Elasticsearch cancel the task at once. Its thread stops at the
            // next cancellation check: terms-bucket building has none, so "gone" may lag, but "cancelled" may not.
            long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            int notCancelled = uncancelledSearchTasks(es);
            while (notCancelled > 0 && System.nanoTime() < deadline) {
                Thread.sleep(100);
                notCancelled = uncancelledSearchTasks(es);
            }
            assertThat(notCancelled).as("search tasks Elasticsearch still runs uncancelled after the 400").isZero();
        } finally {
            es.requests().deleteIndex(index); // ends the cancelled search's work on the shared node
        }
    }

    private static int uncancelledSearchTasks(TestElasticsearch es) throws Exception {
        JsonNode tasks = es.requests().get("/_tasks?actions=indices:data/read/search*&detailed=true");
        int count = 0;
        for (JsonNode node : tasks.path("nodes")) {
            for (JsonNode task : node.path("tasks")) {
                if (!task.path("cancelled").asBoolean(false)) {
                    count++;
                }
            }
        }
        return count;
    }

    private static int searchTasks(TestElasticsearch es) throws Exception {
        JsonNode tasks = es.requests().get("/_tasks?actions=indices:data/read/search*&detailed=false");
        int count = 0;
        for (JsonNode node : tasks.path("nodes")) {
            count += node.path("tasks").size();
        }
        return count;
    }

    private static void load(TestElasticsearch es, String index) throws Exception {
        es.requests().createIndex(index, "{\"settings\":{\"number_of_shards\":1,\"number_of_replicas\":0},"
                + "\"mappings\":{\"properties\":{\"u\":{\"type\":\"keyword\"},\"v\":{\"type\":\"keyword\"}}}}");
        SplittableRandom random = new SplittableRandom(3);
        for (int batch = 0; batch < 10; batch++) {
            StringBuilder bulk = new StringBuilder();
            for (int i = 0; i < 10_000; i++) {
                bulk.append("{\"index\":{}}\n{\"u\":\"u").append(random.nextInt(100_000))
                        .append("\",\"v\":\"v").append(random.nextInt(20_000)).append("\"}\n");
            }
            Request request = new Request("POST", "/" + index + "/_bulk");
            request.setJsonEntity(bulk.toString());
            es.client().performRequest(request);
        }
        es.requests().refresh(index);
    }
}
