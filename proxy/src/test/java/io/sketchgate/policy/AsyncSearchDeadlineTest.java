package io.sketchgate.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sketchgate.testing.ProxyUnderTest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code max_execution_time} of {@code _async_search}: the deadline counts from the submit; at it Sketchgate sends
 * {@code DELETE /_async_search/{id}}, and later polls get 400 without reaching Elasticsearch. The test zip has no
 * async-search module, so the upstream answers with Elasticsearch 8.19's recorded responses and records what arrives.
 * (The {@code _search} deadline is tested against real Elasticsearch in {@link ExecutionTimeLimitTest}.)
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AsyncSearchDeadlineTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SUBMIT =
            "/logs-async-*/_async_search?wait_for_completion_timeout=200ms&keep_alive=60000ms";
    private static final String QUERY = "{\"size\":0,\"aggs\":{\"u\":{\"cardinality\":{\"field\":\"user.id\"}}}}";

    private final AtomicBoolean finished = new AtomicBoolean();
    private RecordedElasticsearch upstream;
    private ProxyUnderTest proxy;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        upstream = new RecordedElasticsearch(List.of("logs-async-2024"));
        upstream.answer(
                "/logs-async-",
                request -> new RecordedElasticsearch.Answer(
                        200, asyncResponse(idFor(RecordedElasticsearch.body(request)), true)));
        upstream.answer(
                "/_async_search/",
                request -> request.method().equals("DELETE")
                        ? new RecordedElasticsearch.Answer(200, "{\"acknowledged\":true}")
                        : new RecordedElasticsearch.Answer(
                                200, asyncResponse(request.uri().split("[/?]")[2], !finished.get())));
        proxy = ProxyUnderTest.forElasticsearch(upstream.uri())
                .yaml("access_log: { enabled: false }")
                .user("sam", "bounded")
                .yaml("roles: { bounded: { indices: [\"logs-async-*\"], max_execution_time: 1500ms } }")
                .start(dir);
    }

    @AfterAll
    void stop() {
        proxy.close();
        upstream.close();
    }

    @Test
    void runningSearch_isDeletedAtTheDeadlineFromSubmit_andLaterPollsGet400WithoutReachingElasticsearch()
            throws Exception {
        long submitted = System.nanoTime();
        HttpResponse<String> submit = proxy.send("POST", SUBMIT, "sam", QUERY.replace("0,", "1,")); // id FmRunning
        assertThat(submit.statusCode()).as(submit.body()).isEqualTo(200);
        String id = JSON.readTree(submit.body()).get("id").asText();
        String raw = elasticsearchsId(id);
        assertThat(proxy.send("GET", "/_async_search/" + id + "?wait_for_completion_timeout=200ms", "sam", null)
                        .statusCode())
                .as("a poll before the deadline reaches Elasticsearch")
                .isEqualTo(200);

        long deletedAfterMillis = awaitDelete(raw, 5_000);
        assertThat(deletedAfterMillis - (submitted / 1_000_000)).isBetween(1_300L, 4_000L);

        long pollsBefore = upstream.count("GET", "/_async_search/" + raw);
        HttpResponse<String> late =
                proxy.send("GET", "/_async_search/" + id + "?wait_for_completion_timeout=200ms", "sam", null);
        assertThat(late.statusCode()).isEqualTo(400);
        JsonNode error = JSON.readTree(late.body());
        assertThat(error.at("/error/type").asText()).isEqualTo("sketchgate_execution_time_exception");
        assertThat(error.at("/error/reason").asText())
                .isEqualTo("The query ran longer than the 1500ms allowed"
                        + " (max_execution_time of role bounded) and was cancelled. Narrow the time range or simplify the query,"
                        + " or ask an administrator to raise the limit.");
        assertThat(upstream.count("GET", "/_async_search/" + raw)).isEqualTo(pollsBefore);
    }

    @Test
    void searchAPollReportsFinished_isNotDeletedAtTheDeadline() throws Exception {
        HttpResponse<String> submit = proxy.send("POST", SUBMIT, "sam", QUERY.replace("0,", "2,")); // id FmFinishes
        String id = JSON.readTree(submit.body()).get("id").asText();
        finished.set(true);
        try {
            assertThat(proxy.send("GET", "/_async_search/" + id, "sam", null).statusCode())
                    .isEqualTo(200);
            Thread.sleep(2_500);
            assertThat(upstream.count("DELETE", "/_async_search/" + elasticsearchsId(id)))
                    .isZero();
            assertThat(proxy.send("GET", "/_async_search/" + id, "sam", null).statusCode())
                    .as("its stored result stays readable")
                    .isEqualTo(200);
        } finally {
            finished.set(false);
        }
    }

    /** The id Elasticsearch gave, inside the one Sketchgate handed out ({@link ContinuationTokens}). */
    private static String elasticsearchsId(String handedOut) {
        assertThat(handedOut).startsWith("sg1.");
        return handedOut.substring(handedOut.lastIndexOf('.') + 1);
    }

    private long awaitDelete(String id, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() / 1_000_000 + timeoutMillis;
        while (System.nanoTime() / 1_000_000 < deadline) {
            if (upstream.count("DELETE", "/_async_search/" + id) > 0) {
                return System.nanoTime() / 1_000_000;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no DELETE /_async_search/" + id + " reached Elasticsearch");
    }

    private static String idFor(String body) {
        return body.contains("\"size\":1") ? "FmRunning" : "FmFinishes";
    }

    /** An async-search answer as Elasticsearch 8.19 writes it (the id first, then the partial response). */
    private static String asyncResponse(String id, boolean running) {
        return "{\"id\":\"" + id + "\",\"is_partial\":" + running + ",\"is_running\":" + running
                + ",\"start_time_in_millis\":1715774400000,\"expiration_time_in_millis\":1715774460000"
                + (running ? "" : ",\"completion_time_in_millis\":1715774401000")
                + ",\"response\":{\"took\":" + (running ? 201 : 830) + ",\"timed_out\":false,\"num_reduce_phases\":0,"
                + "\"_shards\":{\"total\":1,\"successful\":" + (running ? 0 : 1) + ",\"skipped\":0,\"failed\":0},"
                + "\"hits\":{\"total\":{\"value\":0,\"relation\":\"gte\"},\"max_score\":null,\"hits\":[]}"
                + (running ? "" : ",\"aggregations\":{\"u\":{\"value\":1234}}") + "}}";
    }
}
