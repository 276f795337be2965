package io.sketchgate.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sketchgate.testing.ApiClient;
import io.sketchgate.testing.IndexNames;
import io.sketchgate.testing.ProxyUnderTest;
import io.sketchgate.testing.RealElasticsearch;
import io.sketchgate.testing.SlowSearches;
import io.sketchgate.testing.TestElasticsearch;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code max_execution_time}: Sketchgate answers 400 at the deadline and closes the upstream connection, and
 * Elasticsearch then cancels the search task — checked with its own {@code _tasks} API. (The test's query spends
 * its time building buckets, which Elasticsearch does not interrupt; it reports the task cancelled at once and its
 * thread stops at the next check.)
 */
@RealElasticsearch
class ExecutionTimeLimitTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void queryRunningPastTheLimit_gets400_andItsSearchTaskIsCancelled(TestElasticsearch es, @TempDir Path dir)
            throws Exception {
        String index = IndexNames.unique("slowq");
        SlowSearches.load(es, index);
        ProxyUnderTest.Builder config = ProxyUnderTest.forElasticsearch(es.baseUri())
                .yaml("access_log: { enabled: false }")
                .user("sam", "bounded")
                .yaml("roles: { bounded: { indices: [\"slowq-*\"], max_execution_time: 1500ms } }");
        try (ProxyUnderTest proxy = config.start(dir)) {
            HttpRequest heavy = HttpRequest.newBuilder(proxy.baseUri().resolve("/" + index + "/_search"))
                    .header("Authorization", ApiClient.basic("sam", ProxyUnderTest.PASSWORD))
                    .header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(SlowSearches.HEAVY_AGGREGATION))
                    .timeout(Duration.ofSeconds(60))
                    .build();
            long start = System.nanoTime();
            CompletableFuture<HttpResponse<String>> pending =
                    HttpClient.newHttpClient().sendAsync(heavy, HttpResponse.BodyHandlers.ofString());

            boolean seenRunning = false;
            while (!pending.isDone()) {
                seenRunning |= SlowSearches.searchTasks(es) > 0;
                Thread.sleep(100);
            }
            HttpResponse<String> response = pending.get();
            long millis = (System.nanoTime() - start) / 1_000_000;

            assertThat(seenRunning)
                    .as("the search was running in Elasticsearch before the deadline")
                    .isTrue();
            assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
            assertThat(millis).isBetween(1_400L, 6_000L);
            JsonNode error = JSON.readTree(response.body());
            assertThat(error.at("/error/type").asText()).isEqualTo("sketchgate_execution_time_exception");
            assertThat(error.at("/error/reason").asText())
                    .isEqualTo("The query ran longer than the 1500ms allowed"
                            + " (max_execution_time of role bounded) and was cancelled. Narrow the time range or simplify the"
                            + " query, or ask an administrator to raise the limit.");

            // Closing the upstream connection makes Elasticsearch cancel the task at once. Its thread stops at the
            // next cancellation check: terms-bucket building has none, so "gone" may lag, but "cancelled" may not.
            long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            int notCancelled = SlowSearches.uncancelledSearchTasks(es);
            while (notCancelled > 0 && System.nanoTime() < deadline) {
                Thread.sleep(100);
                notCancelled = SlowSearches.uncancelledSearchTasks(es);
            }
            assertThat(notCancelled)
                    .as("search tasks Elasticsearch still runs uncancelled after the 400")
                    .isZero();
        } finally {
            es.requests().deleteIndex(index); // ends the cancelled search's work on the shared node
        }
    }
}
