package io.sketchgate.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sketchgate.testing.IndexNames;
import io.sketchgate.testing.ProxyUnderTest;
import io.sketchgate.testing.RealElasticsearch;
import io.sketchgate.testing.TestElasticsearch;
import io.sketchgate.testing.Timestamps;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.ResponseException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Searches over a point in time name no index: Sketchgate binds them to the PIT — its owner only, and the limits of
 * the indices it was opened on — on {@code _search}, in {@code _msearch} lines and on {@code _async_search} submit.
 */
@RealElasticsearch
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PointInTimeSearchTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String governed = IndexNames.unique("logs-pit") + "-2024";
    private final String free = IndexNames.unique("free-pit");
    private TestElasticsearch es;
    private ProxyUnderTest proxy;

    @BeforeAll
    void start(TestElasticsearch es, @TempDir Path dir) throws Exception {
        this.es = es;
        for (String index : List.of(governed, free)) {
            es.requests().createIndex(index, Timestamps.MAPPING);
            es.requests()
                    .bulkIndex(index, Timestamps.every(Duration.ofDays(1), Instant.parse("2024-02-15T12:00:00Z"), 100));
        }
        proxy = ProxyUnderTest.forElasticsearch(es.baseUri())
                .yaml("access_log: { enabled: false }")
                .user("alice", "analyst")
                .user("bob", "analyst")
                .user("rita", "limited")
                .yaml("""
                        roles:
                          analyst: { indices: ["logs-pit-*"], max_time_range: 31d, require_time_filter: true }
                          limited: { indices: ["logs-pit-*"], requests_per_minute: 3 }
                        index_time_fields: { "logs-pit-*": "@timestamp", "free-pit-*": "@timestamp" }
                        """)
                .start(dir);
    }

    @AfterAll
    void stop() {
        proxy.close();
    }

    @Test
    void pitSearch_ofAnotherUser_isAnsweredAsElasticsearchAnswersAClosedPit_whileItsOwnerSearchesIt() throws Exception {
        String pit = openPit("alice", governed);
        HttpResponse<String> stolen = send("POST", "/_search", "bob", search(pit, 7));
        JsonNode closedDirect = closedPitAnswer();

        assertThat(stolen.statusCode())
                .as(stolen.body())
                .isEqualTo(closedDirect.get("status").asInt())
                .isEqualTo(404);
        JsonNode error = JSON.readTree(stolen.body());
        assertThat(error.at("/error/root_cause/0/type").asText())
                .isEqualTo(closedDirect.at("/error/root_cause/0/type").asText())
                .isEqualTo("search_context_missing_exception");
        assertThat(error.at("/error/reason").asText()).isEqualTo("No search context found for id [" + pit + "]");

        HttpResponse<String> own = send("POST", "/_search", "alice", search(pit, 7));
        assertThat(own.statusCode()).as(own.body()).isEqualTo(200);
        assertThat(JSON.readTree(own.body()).at("/hits/total/value").asInt()).isEqualTo(7);
    }

    @Test
    void pitOfAnotherUser_isRefused_inAnMsearchLine_andOnAsyncSearchSubmit() throws Exception {
        String pit = openPit("alice", governed);
        String ndjson = "{}\n" + search(pit, 7) + "\n";
        HttpResponse<String> msearch = send("POST", "/_msearch", "bob", ndjson);
        assertThat(msearch.statusCode()).as(msearch.body()).isEqualTo(404);
        assertThat(msearch.body()).contains("search_context_missing_exception");

        HttpResponse<String> async =
                send("POST", "/_async_search?wait_for_completion_timeout=1s", "bob", search(pit, 7));
        assertThat(async.statusCode()).as(async.body()).isEqualTo(404);

        HttpResponse<String> ownLine = send("POST", "/_msearch", "alice", ndjson);
        assertThat(JSON.readTree(ownLine.body())
                        .at("/responses/0/hits/total/value")
                        .asInt())
                .as(ownLine.body())
                .isEqualTo(7);
    }

    @Test
    void pitSearch_overTheRoleRange_isRejected_namingTheIndicesThePitWasOpenedOn() throws Exception {
        String pit = openPit("alice", governed);
        HttpResponse<String> response = send("POST", "/_search", "alice", search(pit, 90));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(JSON.readTree(response.body()).at("/error/reason").asText())
                .matches("Time range of 90(\\.0)? days on " + governed + " exceeds the 31 days allowed .*");

        HttpResponse<String> line =
                send("POST", "/_msearch", "alice", "{}\n" + search(pit, 90) + "\n{}\n" + search(pit, 7) + "\n");
        JsonNode responses = JSON.readTree(line.body()).get("responses");
        assertThat(responses.get(0).at("/error/reason").asText()).contains(" days on " + governed + " exceeds");
        assertThat(responses.get(1).at("/hits/total/value").asInt()).isEqualTo(7);
    }

    @Test
    void pitSearch_onAnIndexNoRoleGoverns_isNotGovernedAsIfItSearchedEveryIndex() throws Exception {
        String pit = openPit("alice", free);
        HttpResponse<String> response = send(
                "POST",
                "/_search",
                "alice",
                "{\"size\":0,\"pit\":{\"id\":\"" + pit + "\",\"keep_alive\":\"1m\"},\"query\":{\"match_all\":{}}}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).at("/hits/total/value").asInt())
                .isEqualTo(100);
    }

    @Test
    void pitSearches_countAgainstTheRequestRateOfTheirIndices() throws Exception {
        String pit = openPit("rita", governed); // 1 of 3
        assertThat(send("POST", "/_search", "rita", search(pit, 7)).statusCode())
                .isEqualTo(200);
        assertThat(send("POST", "/_search", "rita", search(pit, 7)).statusCode())
                .isEqualTo(200);
        HttpResponse<String> limited = send("POST", "/_search", "rita", search(pit, 7));
        assertThat(limited.statusCode()).as(limited.body()).isEqualTo(429);
        assertThat(JSON.readTree(limited.body()).at("/error/reason").asText())
                .contains("requests_per_minute of role limited");
    }

    private String openPit(String user, String index) throws Exception {
        HttpResponse<String> opened = send("POST", "/" + index + "/_pit?keep_alive=1m", user, null);
        assertThat(opened.statusCode()).as(opened.body()).isEqualTo(200);
        return JSON.readTree(opened.body()).get("id").asText();
    }

    /** Elasticsearch's own answer to a search over a PIT it has closed. */
    private JsonNode closedPitAnswer() throws Exception {
        String id = es.requests()
                .post("/" + free + "/_pit?keep_alive=1m", null)
                .get("id")
                .asText();
        es.requests().call("DELETE", "/_pit", "{\"id\":\"" + id + "\"}");
        Request search = new Request("POST", "/_search");
        search.setJsonEntity("{\"pit\":{\"id\":\"" + id + "\"}}");
        try {
            es.client().performRequest(search);
            throw new AssertionError("Elasticsearch answered a closed PIT");
        } catch (ResponseException e) {
            return JSON.readTree(e.getResponse().getEntity().getContent());
        }
    }

    /** A search of the PIT over the {@code days} up to 2024-05-15. */
    private static String search(String pit, int days) {
        Instant to = Instant.parse("2024-05-15T00:00:00Z");
        return "{\"size\":0,\"track_total_hits\":true,\"pit\":{\"id\":\"" + pit + "\",\"keep_alive\":\"1m\"},"
                + "\"query\":{\"bool\":{\"filter\":[{\"range\":{\"@timestamp\":{\"gte\":\""
                + to.minus(Duration.ofDays(days))
                + "\",\"lt\":\"" + to + "\"}}}]}}}";
    }

    private HttpResponse<String> send(String method, String path, String user, String body) throws Exception {
        return proxy.send(method, path, user, body);
    }
}
