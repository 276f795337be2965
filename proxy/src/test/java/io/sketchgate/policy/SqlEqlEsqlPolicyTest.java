package io.sketchgate.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sketchgate.testing.ProxyUnderTest;
import io.sketchgate.transport.RecordingServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * SQL, EQL and ES|QL through the real proxy: time-range limits, require_time_filter, quotas and the ownership of
 * cursors and async ids. The test zip has none of these modules, so the upstream answers with Elasticsearch 8.19's
 * recorded responses and records what arrives: allowed requests must reach it unchanged, refused ones never.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SqlEqlEsqlPolicyTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SQL_CURSOR = "g-VHcjfOAwFaAXNCRkdGVQZDFhVGFnZXp3QUFBQUFBQUFCWm9Xc3c=";
    private static final String EQL_ID = "FkVxRTZ4Y0JSU0N1QVFnenp3QUFBQUFBQUFCYU9Gc3c=";
    private static final String ESQL_ID = "FmVzcWxBc3luY1JTOWZHZzJRUzZ4Y0JTQUFBQUFB";

    private RecordedElasticsearch upstream;
    private ProxyUnderTest proxy;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        upstream = new RecordedElasticsearch(List.of("logs-q-2024"));
        upstream.answer(
                "/_sql",
                request -> new RecordedElasticsearch.Answer(
                        200,
                        RecordedElasticsearch.body(request).contains("\"cursor\"")
                                ? "{\"rows\":[[\"2024-05-06T00:00:00.000Z\"],[\"2024-05-07T00:00:00.000Z\"]]}"
                                : "{\"columns\":[{\"name\":\"@timestamp\",\"type\":\"datetime\"}],\"rows\":[[\"2024-05-01T00:00:00.000Z\"],"
                                        + "[\"2024-05-02T00:00:00.000Z\"]],\"cursor\":\"" + SQL_CURSOR + "\"}"));
        upstream.answer(
                "/logs-q-2024/_eql/search",
                request -> new RecordedElasticsearch.Answer(
                        200,
                        "{\"id\":\"" + EQL_ID
                                + "\",\"is_partial\":true,\"is_running\":true,\"took\":101,\"timed_out\":false,"
                                + "\"hits\":{\"total\":{\"value\":0,\"relation\":\"eq\"},\"events\":[]}}"));
        upstream.answer(
                "/_eql/search/",
                request -> new RecordedElasticsearch.Answer(
                        200,
                        "{\"id\":\"" + EQL_ID
                                + "\",\"is_partial\":false,\"is_running\":false,\"took\":380,\"timed_out\":false,"
                                + "\"hits\":{\"total\":{\"value\":1,\"relation\":\"eq\"},\"events\":[{\"_index\":\"logs-q-2024\",\"_id\":\"1\","
                                + "\"_source\":{\"@timestamp\":\"2024-05-02T00:00:00Z\"}}]}}"));
        upstream.answer(
                "/_query",
                request -> new RecordedElasticsearch.Answer(
                        200,
                        request.uri().startsWith("/_query/async")
                                ? "{\"id\":\"" + ESQL_ID
                                        + "\",\"is_running\":true,\"documents_found\":0,\"values_loaded\":0,"
                                        + "\"columns\":[],\"values\":[]}"
                                : "{\"took\":28,\"is_partial\":false,\"documents_found\":7,\"values_loaded\":7,"
                                        + "\"columns\":[{\"name\":\"c\",\"type\":\"long\"}],\"values\":[[7]]}"));
        proxy = ProxyUnderTest.forElasticsearch(upstream.uri())
                .yaml("access_log: { enabled: false }")
                .user("alice", "analyst")
                .user("bob", "analyst")
                .user("rita", "limited")
                .yaml("""
                        roles:
                          analyst: { indices: ["logs-q-*"], max_time_range: 31d, require_time_filter: true }
                          limited: { indices: ["logs-q-*"], requests_per_minute: 2 }
                        index_time_fields: { "logs-q-*": "@timestamp" }
                        """)
                .start(dir);
    }

    @AfterAll
    void stop() {
        proxy.close();
        upstream.close();
    }

    /** Each language's query, over {days}; {filter} is the query DSL filter beside the query text. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = ';',
            value = {
                "SQL       ; /_sql?format=json              ; {\"query\":\"SELECT \\\"@timestamp\\\" FROM \\\"logs-q-2024\\\"\",\"fetch_size\":2{filter}}",
                "SQL translate ; /_sql/translate          ; {\"query\":\"SELECT \\\"@timestamp\\\" FROM \\\"logs-q-2024\\\"\"{filter}}",
                "EQL       ; /logs-q-2024/_eql/search       ; {\"query\":\"any where true\",\"wait_for_completion_timeout\":\"100ms\"{filter}}",
                "ES|QL     ; /_query                        ; {\"query\":\"FROM logs-q-* | STATS c = COUNT(*)\"{filter}}",
                "ES|QL async ; /_query/async                ; {\"query\":\"FROM logs-q-* | STATS c = COUNT(*)\",\"keep_on_completion\":true{filter}}",
            })
    void eachLanguage_withoutFilter_orOver90Days_isRefusedBeforeElasticsearch_andWithin7DaysReachesItUnchanged(
            String name, String path, String template) throws Exception {
        String endpoint = path.replaceAll("\\?.*", "");
        long before = upstream.count("POST", endpoint);

        HttpResponse<String> noFilter = proxy.send("POST", path, "alice", template.replace("{filter}", ""));
        assertThat(noFilter.statusCode()).as(noFilter.body()).isEqualTo(400);
        assertThat(JSON.readTree(noFilter.body()).at("/error/type").asText())
                .isEqualTo("sketchgate_time_filter_required_exception");

        HttpResponse<String> ninety = proxy.send("POST", path, "alice", template.replace("{filter}", filter(90)));
        assertThat(ninety.statusCode()).as(ninety.body()).isEqualTo(400);
        assertThat(JSON.readTree(ninety.body()).at("/error/reason").asText())
                .matches(
                        "Time range of 90(\\.0)? days on .* exceeds the 31 days allowed \\(max_time_range of role analyst\\).*");
        assertThat(upstream.count("POST", endpoint))
                .as("refused requests never reach Elasticsearch")
                .isEqualTo(before);

        String allowed = template.replace("{filter}", filter(7));
        HttpResponse<String> seven = proxy.send("POST", path, "alice", allowed);
        assertThat(seven.statusCode()).as(seven.body()).isEqualTo(200);
        RecordingServer.Recorded arrived = upstream.apiRequests().stream()
                .filter(r -> r.uri().equals(path)) // Sketchgate's own reads of its config index come in between
                .reduce((first, last) -> last)
                .orElseThrow();
        assertThat(arrived.uri()).isEqualTo(path);
        assertThat(RecordedElasticsearch.body(arrived)).isEqualTo(allowed);
    }

    @Test
    void sqlCursor_ofAnotherUser_isNotFound_whileItsOwnerGetsTheNextPage() throws Exception {
        HttpResponse<String> first = proxy.send(
                "POST",
                "/_sql?format=json",
                "alice",
                "{\"query\":\"SELECT \\\"@timestamp\\\" FROM \\\"logs-q-2024\\\"\",\"fetch_size\":2" + filter(7) + "}");
        String cursor = JSON.readTree(first.body()).get("cursor").asText();
        assertThat(cursor).startsWith("sg1.").endsWith("." + SQL_CURSOR); // handed out wrapped for its owner
        String next = "{\"cursor\":\"" + cursor + "\"}";
        long before = upstream.count("POST", "/_sql");

        HttpResponse<String> stolen = proxy.send("POST", "/_sql?format=json", "bob", next);
        assertThat(stolen.statusCode()).as(stolen.body()).isEqualTo(404);
        assertThat(proxy.send("POST", "/_sql/close", "bob", next).statusCode()).isEqualTo(404);
        assertThat(upstream.count("POST", "/_sql")).isEqualTo(before);

        HttpResponse<String> own = proxy.send("POST", "/_sql?format=json", "alice", next);
        assertThat(own.statusCode())
                .as("the owner's cursor carries no query to filter: " + own.body())
                .isEqualTo(200);
        assertThat(JSON.readTree(own.body()).get("rows")).hasSize(2);
        assertThat(RecordedElasticsearch.body(
                        upstream.apiRequests().get(upstream.apiRequests().size() - 1)))
                .isEqualTo("{\"cursor\":\"" + SQL_CURSOR + "\"}");
        assertThat(proxy.send("POST", "/_sql?format=json", "alice", "{\"cursor\":\"" + SQL_CURSOR + "\"}")
                        .statusCode())
                .as("Elasticsearch's own cursor, not handed out by Sketchgate")
                .isEqualTo(404);
    }

    @Test
    void eqlAsyncId_ofAnotherUser_isNotFound_forGetStatusAndDelete_whileItsOwnerReadsIt() throws Exception {
        HttpResponse<String> submitted = proxy.send(
                "POST",
                "/logs-q-2024/_eql/search",
                "alice",
                "{\"query\":\"any where true\",\"wait_for_completion_timeout\":\"100ms\",\"keep_on_completion\":true"
                        + filter(7) + "}");
        String id = JSON.readTree(submitted.body()).get("id").asText();
        assertThat(id).startsWith("sg1.").endsWith("." + EQL_ID);
        assertThat(proxy.send("GET", "/_eql/search/" + id, "bob", null).statusCode())
                .isEqualTo(404);
        assertThat(proxy.send("GET", "/_eql/search/status/" + id, "bob", null).statusCode())
                .isEqualTo(404);
        assertThat(proxy.send("DELETE", "/_eql/search/" + id, "bob", null).statusCode())
                .isEqualTo(404);
        assertThat(proxy.send("GET", "/_eql/search/" + EQL_ID, "alice", null).statusCode())
                .as("Elasticsearch's own id, not handed out by Sketchgate")
                .isEqualTo(404);
        assertThat(upstream.count("GET", "/_eql/search/") + upstream.count("DELETE", "/_eql/search/"))
                .isZero();

        HttpResponse<String> own = proxy.send("GET", "/_eql/search/" + id, "alice", null);
        assertThat(own.statusCode()).isEqualTo(200);
        assertThat(upstream.count("GET", "/_eql/search/" + EQL_ID))
                .as("the id Elasticsearch gave reached it unwrapped")
                .isEqualTo(1);
        assertThat(JSON.readTree(own.body()).at("/hits/total/value").asInt()).isEqualTo(1);
    }

    @Test
    void esqlAsyncId_ofAnotherUser_isNotFound_whileItsOwnerReadsIt() throws Exception {
        HttpResponse<String> submitted = proxy.send(
                "POST",
                "/_query/async",
                "alice",
                "{\"query\":\"FROM logs-q-* | STATS c = COUNT(*)\",\"keep_on_completion\":true" + filter(7) + "}");
        String id = JSON.readTree(submitted.body()).get("id").asText();
        assertThat(id).startsWith("sg1.").endsWith("." + ESQL_ID);
        long before = upstream.count("GET", "/_query/async/");
        assertThat(proxy.send("GET", "/_query/async/" + id, "bob", null).statusCode())
                .isEqualTo(404);
        assertThat(proxy.send("DELETE", "/_query/async/" + id, "bob", null).statusCode())
                .isEqualTo(404);
        assertThat(upstream.count("GET", "/_query/async/")).isEqualTo(before);
        assertThat(proxy.send("GET", "/_query/async/" + id, "alice", null).statusCode())
                .isEqualTo(200);
        assertThat(upstream.count("GET", "/_query/async/" + ESQL_ID))
                .as("the id Elasticsearch gave reached it unwrapped")
                .isEqualTo(1);
    }

    @Test
    void sqlEqlAndEsql_countAgainstTheSameRequestRate() throws Exception {
        assertThat(proxy.send(
                                "POST",
                                "/_sql?format=json",
                                "rita",
                                "{\"query\":\"SELECT COUNT(*) FROM \\\"logs-q-2024\\\"\"}")
                        .statusCode())
                .isEqualTo(200);
        assertThat(proxy.send("POST", "/logs-q-2024/_eql/search", "rita", "{\"query\":\"any where true\"}")
                        .statusCode())
                .isEqualTo(200);
        long before = upstream.count("POST", "/_query");
        HttpResponse<String> limited = proxy.send("POST", "/_query", "rita", "{\"query\":\"FROM logs-q-* | LIMIT 1\"}");
        assertThat(limited.statusCode()).as(limited.body()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).isPresent();
        assertThat(JSON.readTree(limited.body()).at("/error/reason").asText())
                .contains("requests_per_minute of role limited");
        assertThat(upstream.count("POST", "/_query")).isEqualTo(before);
    }

    /** A query DSL filter over the {@code days} up to 2024-05-15, as a field to append to a body. */
    private static String filter(int days) {
        return ",\"filter\":{\"range\":{\"@timestamp\":{\"gte\":\"2024-05-15T00:00:00Z||-" + days
                + "d\",\"lt\":\"2024-05-15T00:00:00Z\"}}}";
    }
}
