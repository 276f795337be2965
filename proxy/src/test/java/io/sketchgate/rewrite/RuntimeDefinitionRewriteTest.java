package io.sketchgate.rewrite;

import static org.assertj.core.api.Assertions.assertThat;

import io.sketchgate.testing.IndexNames;
import io.sketchgate.testing.ProxyUnderTest;
import io.sketchgate.testing.RealElasticsearch;
import io.sketchgate.testing.TestElasticsearch;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kibana rewrite follows the definitions in force: a definition stored at run time with
 * {@code kibana_rewrite: on} is rewritten from the next search, and once deleted the search goes to Elasticsearch.
 */
@RealElasticsearch
class RuntimeDefinitionRewriteTest {
    private static final String INDEX = IndexNames.unique("kib-runtime");
    private static final List<TestEvents.Event> EVENTS = TestEvents.generate(200, 5);

    @AutoClose
    private static ProxyUnderTest proxy;

    @BeforeAll
    static void start(TestElasticsearch es, @TempDir Path dir) throws Exception {
        TestEvents.index(es, INDEX, EVENTS);
        proxy = ProxyUnderTest.forElasticsearch(es.baseUri())
                .user("root", "sketchgate_admin")
                .user("ann", "analyst")
                .yaml("""
                        roles:
                          analyst: { indices: ["%s"], max_time_range: 31d }
                        index_time_fields:
                          "%s": "@timestamp"
                        runtime_limits:
                          index: %s
                          audit_index: %s
                        """.formatted(
                                INDEX, INDEX, IndexNames.unique("sg-config-kib"), IndexNames.unique("sg-audit-kib")))
                .uniqueCounts(new ExactUvQueries(EVENTS))
                .start(dir);
    }

    @Test
    void definitionStoredAtRunTime_isRewrittenAtOnce_andOnceDeletedGoesToElasticsearch() throws Exception {
        String lens = RequestFamily.kibanaRecorded().get(0).body().toString();
        assertThat(search(lens).headers().firstValue("X-Sketchgate-Source")).isEmpty();

        HttpResponse<String> stored = send(
                "root",
                "PUT",
                "/_sketchgate/unique-counts/kib",
                "{\"source\":\"" + INDEX
                        + "\",\"unique_field\":\"user.id\",\"dimensions\":[\"geo.country_iso_code\",\"host.os.type\"],"
                        + "\"time_zones\":[\"UTC\",\"America/New_York\"],\"kibana_rewrite\":\"on\","
                        + "\"realtime\":{\"enabled\":false,\"schedule\":false}}");
        assertThat(stored.statusCode()).as(stored.body()).isEqualTo(201);
        HttpResponse<String> rewritten = search(lens);
        assertThat(rewritten.statusCode()).isEqualTo(200);
        assertThat(rewritten.headers().firstValue("X-Sketchgate-Source")).contains("unique-counts");

        assertThat(send("root", "DELETE", "/_sketchgate/unique-counts/kib", null)
                        .statusCode())
                .isEqualTo(200);
        HttpResponse<String> passed = search(lens);
        assertThat(passed.statusCode()).isEqualTo(200);
        assertThat(passed.headers().firstValue("X-Sketchgate-Source")).isEmpty();
    }

    private static HttpResponse<String> search(String body) throws Exception {
        return send("ann", "POST", "/" + INDEX + "/_search", body);
    }

    private static HttpResponse<String> send(String user, String method, String path, String body) throws Exception {
        return proxy.send(method, path, user, body);
    }
}
