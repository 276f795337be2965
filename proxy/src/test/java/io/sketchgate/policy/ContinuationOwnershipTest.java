package io.sketchgate.policy;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scroll and point-in-time ids Sketchgate hands out stay their owner's across a restart and on another instance
 * with the same {@code identity.continuation_secret}; an id Sketchgate did not hand out fails closed with the 404
 * Elasticsearch gives for a missing one.
 */
@RealElasticsearch
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ContinuationOwnershipTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SEVEN_DAYS = "{\"size\":10,\"query\":{\"range\":{\"@timestamp\":"
            + "{\"gte\":\"2024-05-01T00:00:00Z\",\"lt\":\"2024-05-08T00:00:00Z\"}}}}";

    private final String index = IndexNames.unique("logs-own") + "-2024";
    private TestElasticsearch es;
    private Path dir;
    private ProxyUnderTest first;
    private ProxyUnderTest second;

    @BeforeAll
    void start(TestElasticsearch es, @TempDir Path dir) throws Exception {
        this.es = es;
        this.dir = dir;
        es.requests().createIndex(index, "{\"mappings\":{\"properties\":{\"@timestamp\":{\"type\":\"date\"}}}}");
        List<Map<String, Object>> docs = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            docs.add(Map.of(
                    "@timestamp",
                    Instant.parse("2024-05-01T00:00:00Z")
                            .plus(Duration.ofHours(i))
                            .toString()));
        }
        es.requests().bulkIndex(index, docs);
        first = start();
        second = start();
    }

    /** Every instance shares the secret: an id one hands out, another unwraps. */
    private ProxyUnderTest start() throws Exception {
        return ProxyUnderTest.forElasticsearch(es.baseUri())
                .identity("""
                        sources: [static]
                        continuation_secret: "0123456789abcdef0123456789abcdef-continuations"
                        """)
                .user("alice", "analyst")
                .user("bob", "analyst")
                .yaml("""
                        access_log: { enabled: false }
                        roles:
                          analyst: { indices: ["logs-own-*"], max_time_range: 31d }
                        index_time_fields: { "logs-own-*": "@timestamp" }
                        """)
                .start(dir);
    }

    @AfterAll
    void stop() {
        first.close();
        second.close();
    }

    @Test
    void scroll_continuesAfterARestart_andOnAnotherInstance() throws Exception {
        String scrollId = openScroll(first, "alice");

        first.close();
        first = start(); // a restart: nothing of the first process is left
        HttpResponse<String> afterRestart = first.send("POST", "/_search/scroll", "alice", next(scrollId));
        assertThat(afterRestart.statusCode()).as(afterRestart.body()).isEqualTo(200);
        JsonNode page = JSON.readTree(afterRestart.body());
        assertThat(page.at("/hits/hits").size()).isEqualTo(10);
        String renewed = page.get("_scroll_id").asText();
        assertThat(renewed).startsWith("sg1.");

        HttpResponse<String> elsewhere = second.send("GET", "/_search/scroll/" + renewed + "?scroll=1m", "alice", null);
        assertThat(elsewhere.statusCode()).as(elsewhere.body()).isEqualTo(200);
        assertThat(JSON.readTree(elsewhere.body()).at("/hits/hits").size()).isEqualTo(10);
    }

    @Test
    void scroll_ofAnotherUser_isNotFound_onEveryInstance() throws Exception {
        String scrollId = openScroll(first, "alice");
        for (ProxyUnderTest proxy : List.of(first, second)) {
            assertMissing(proxy.send("POST", "/_search/scroll", "bob", next(scrollId)), scrollId);
            assertMissing(proxy.send("GET", "/_search/scroll/" + scrollId + "?scroll=1m", "bob", null), scrollId);
            assertMissing(proxy.send("DELETE", "/_search/scroll/" + scrollId, "bob", null), scrollId);
        }
        assertThat(first.send("POST", "/_search/scroll", "alice", next(scrollId))
                        .statusCode())
                .isEqualTo(200);
    }

    @Test
    void idsSketchgateDidNotHandOut_areNotFound() throws Exception {
        String wrapped = openScroll(first, "alice");
        String raw = wrapped.substring(wrapped.lastIndexOf('.') + 1); // Elasticsearch's own id, valid there
        String[] parts = wrapped.split("\\.", 4);
        String forgedTag = parts[0] + "." + parts[1] + "." + "A".repeat(22) + "." + parts[3];
        String otherOwner = parts[0] + "."
                + java.util.Base64.getUrlEncoder()
                        .withoutPadding()
                        .encodeToString("bob".getBytes(java.nio.charset.StandardCharsets.UTF_8))
                + "." + parts[2] + "." + parts[3];

        for (String id : List.of(raw, forgedTag, otherOwner, "not-an-id")) {
            assertMissing(first.send("POST", "/_search/scroll", "alice", next(id)), id);
            assertMissing(first.send("POST", "/_search/scroll", "bob", next(id)), id);
        }
        assertMissing(first.send("POST", "/_search", "alice", "{\"size\":0,\"pit\":{\"id\":\"" + raw + "\"}}"), raw);
    }

    @Test
    void pit_openedOnOneInstance_isSearchedOnAnother_andRefusedUnwrapped() throws Exception {
        HttpResponse<String> opened = first.send("POST", "/" + index + "/_pit?keep_alive=1m", "alice", null);
        assertThat(opened.statusCode()).as(opened.body()).isEqualTo(200);
        String pit = JSON.readTree(opened.body()).get("id").asText();
        assertThat(pit).startsWith("sg1.");
        String search = "{\"size\":0,\"track_total_hits\":true,\"pit\":{\"id\":\"" + pit + "\",\"keep_alive\":\"1m\"},"
                + "\"query\":{\"range\":{\"@timestamp\":{\"gte\":\"2024-05-01T00:00:00Z\",\"lt\":\"2024-05-08T00:00:00Z\"}}}}";

        HttpResponse<String> elsewhere = second.send("POST", "/_search", "alice", search);
        assertThat(elsewhere.statusCode()).as(elsewhere.body()).isEqualTo(200);
        assertThat(JSON.readTree(elsewhere.body()).at("/hits/total/value").asInt())
                .isEqualTo(100);
        assertThat(JSON.readTree(elsewhere.body()).get("pit_id").asText()).startsWith("sg1.");
        assertMissing(second.send("POST", "/_search", "bob", search), pit);

        HttpResponse<String> closed = second.send("DELETE", "/_pit", "alice", "{\"id\":\"" + pit + "\"}");
        assertThat(closed.statusCode()).as(closed.body()).isEqualTo(200);
    }

    private String openScroll(ProxyUnderTest proxy, String user) throws Exception {
        HttpResponse<String> opened = proxy.send("POST", "/" + index + "/_search?scroll=1m", user, SEVEN_DAYS);
        assertThat(opened.statusCode()).as(opened.body()).isEqualTo(200);
        String id = JSON.readTree(opened.body()).get("_scroll_id").asText();
        assertThat(id).startsWith("sg1.");
        return id;
    }

    private static String next(String scrollId) {
        return "{\"scroll\":\"1m\",\"scroll_id\":\"" + scrollId + "\"}";
    }

    /** Elasticsearch's answer for a search context it does not have. */
    private static void assertMissing(HttpResponse<String> response, String id) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(404);
        JsonNode error = JSON.readTree(response.body());
        assertThat(error.at("/error/type").asText()).isEqualTo("search_context_missing_exception");
        assertThat(error.at("/error/reason").asText()).isEqualTo("No search context found for id [" + id + "]");
        assertThat(error.at("/error/root_cause/0/type").asText()).isEqualTo("search_context_missing_exception");
        assertThat(error.at("/status").asInt()).isEqualTo(404);
    }
}
