package io.sketchgate.rewrite;

import static org.assertj.core.api.Assertions.assertThat;

import at.favre.lib.crypto.bcrypt.BCrypt;
import io.sketchgate.config.ConfigLoader;
import io.sketchgate.server.ProxyServer;
import io.sketchgate.testing.IndexNames;
import io.sketchgate.testing.RealElasticsearch;
import io.sketchgate.testing.TestElasticsearch;
import io.sketchgate.transport.ProxyFixture;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
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
    private static final String PASSWORD = "correct horse battery";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final List<TestEvents.Event> EVENTS = TestEvents.generate(200, 5);
    private static ProxyServer proxy;
    private static URI base;

    @BeforeAll
    static void start(TestElasticsearch es, @TempDir Path dir) throws Exception {
        es.requests().createIndex(INDEX, TestEvents.MAPPING);
        es.requests()
                .bulkIndex(
                        INDEX, EVENTS.stream().map(TestEvents.Event::document).toList());
        String hash = BCrypt.withDefaults().hashToString(4, PASSWORD.toCharArray());
        Path config = dir.resolve("sketchgate.yml");
        Files.writeString(config, """
                listeners:
                  elasticsearch: { host: 127.0.0.1, port: 0 }
                elasticsearch:
                  hosts: ["%s"]
                identity:
                  sources: [static]
                users:
                  root: { password_hash: "%s", roles: [sketchgate_admin] }
                  ann: { password_hash: "%s", roles: [analyst] }
                roles:
                  analyst: { indices: ["%s"], max_time_range: 31d }
                index_time_fields:
                  "%s": "@timestamp"
                runtime_limits:
                  index: %s
                  audit_index: %s
                """.formatted(
                        es.baseUri(),
                        hash,
                        hash,
                        INDEX,
                        INDEX,
                        IndexNames.unique("sg-config-kib"),
                        IndexNames.unique("sg-audit-kib")));
        proxy = ProxyServer.start(new ConfigLoader(Map.of()).load(config), Optional.of(new ExactUvQueries(EVENTS)));
        base = ProxyFixture.uri(proxy.elasticsearchAddress());
    }

    @AfterAll
    static void stop() {
        if (proxy != null) {
            proxy.close();
        }
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
        return HTTP.send(
                HttpRequest.newBuilder(base.resolve(path))
                        .header("Content-Type", "application/json")
                        .header(
                                "Authorization",
                                "Basic "
                                        + Base64.getEncoder()
                                                .encodeToString(
                                                        (user + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8)))
                        .method(
                                method,
                                body == null
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
