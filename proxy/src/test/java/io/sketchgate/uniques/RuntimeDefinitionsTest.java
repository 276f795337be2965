package io.sketchgate.uniques;

import static io.sketchgate.uniques.RealtimeTailerTest.await;
import static io.sketchgate.uniques.RealtimeTailerTest.batch;
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
 * Unique-count definitions changed at run time through {@code /_sketchgate/unique-counts/{name}}, against a real
 * Elasticsearch: round trip, validation as the file's, the mapping check, 403, lost updates, audit, persistence,
 * propagation between instances, invalid stored documents, and the tailers, scheduler and UV API following the
 * definitions in force.
 */
@RealElasticsearch
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RuntimeDefinitionsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String fileDefinition = IndexNames.unique("file-uv");
    private final String configIndex = IndexNames.unique("sg-config-defs");
    private final String auditIndex = IndexNames.unique("sg-audit-defs");
    private final Instant closed = Level.granuleStart(Instant.now().minus(Duration.ofHours(1)), Duration.ofHours(1));
    private final List<ProxyUnderTest> started = new ArrayList<>();
    private TestElasticsearch es;
    private Path dir;
    private String events;
    private ProxyUnderTest proxy;

    record Answer(int status, JsonNode json, HttpResponse<String> raw) {
        String etag() {
            return raw.headers().firstValue("ETag").orElse(null);
        }

        String reason() {
            return json.at("/error/reason").asText();
        }
    }

    @BeforeAll
    void start(TestElasticsearch es, @TempDir Path dir) throws Exception {
        this.es = es;
        this.dir = dir;
        events = RealtimeTailerTest.events(es, "rt-defs");
        es.requests().bulkIndex(events, batch(closed.minus(Duration.ofMinutes(30)), 0, 12));
        es.requests().bulkIndex(events, batch(Instant.now().minus(Duration.ofMinutes(1)), 100, 4));
        proxy = start(configIndex);
    }

    @AfterAll
    void stop() {
        started.forEach(ProxyUnderTest::close);
    }

    private ProxyUnderTest start(String index) throws Exception {
        ProxyUnderTest server = ProxyUnderTest.forElasticsearch(es.baseUri())
                .yaml("access_log: { enabled: false }")
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
                          poll_interval: 200ms
                        unique_counts:
                          - name: %s
                            source: "%s"
                            unique_field: user_id
                            dimensions: [country]
                            lateness: 1h
                            realtime: { poll_interval: 200ms, schedule: false }
                        """.formatted(events, events, index, auditIndex, fileDefinition, events))
                .start(dir);
        started.add(server);
        return server;
    }

    private String definition(String dimensions) {
        return "{\"source\":\"" + events + "\",\"unique_field\":\"user_id\",\"dimensions\":" + dimensions
                + ",\"lateness\":\"1h\",\"realtime\":{\"poll_interval\":\"200ms\",\"schedule\":false}}";
    }

    private static Answer send(
            ProxyUnderTest to, String user, String method, String path, String body, Map<String, String> headers)
            throws Exception {
        HttpResponse<String> response = to.send(method, path, user, body, headers);
        return new Answer(
                response.statusCode(),
                response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body()),
                response);
    }

    private Answer send(String user, String method, String path, String body) throws Exception {
        return send(proxy, user, method, path, body, Map.of());
    }

    private static String path(String name) {
        return "/_sketchgate/unique-counts/" + name;
    }

    private UniqueCountService service(ProxyUnderTest server) {
        return (UniqueCountService) server.server().realtimeSketches();
    }

    @Test
    void put_get_delete_roundTrip_showsTheStoredDefinitionWithItsVersion() throws Exception {
        String name = IndexNames.unique("rt");
        Answer created = send("root", "PUT", path(name), definition("[\"country\"]"));
        assertThat(created.status()).as(created.json().toString()).isEqualTo(201);
        assertThat(created.json().path("result").asText()).isEqualTo("created");
        assertThat(created.json().path("origin").asText()).isEqualTo("runtime");
        String version = created.json().path("version").asText();
        assertThat(created.etag()).isEqualTo("\"" + version + "\"");

        Answer read = send("ann", "GET", path(name), null);
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.etag()).isEqualTo("\"" + version + "\"");
        assertThat(read.json().path("origin").asText()).isEqualTo("runtime");
        assertThat(read.json().path("updated_by").asText()).isEqualTo("root");
        assertThat(read.json().path("source").asText()).isEqualTo(events);
        assertThat(read.json().at("/settings/dimensions").toString()).isEqualTo("[\"country\"]");
        assertThat(read.json().at("/settings/granularity").asText()).isEqualTo("1h");
        assertThat(read.json().path("index").asText()).isEqualTo("sketchgate-uv-" + name);
        Answer file = send("ann", "GET", path(fileDefinition), null);
        assertThat(file.json().path("origin").asText()).isEqualTo("file");
        assertThat(file.etag()).isEqualTo("\"file\"");

        Answer updated = send("root", "PUT", path(name), definition("[\"country\",\"device\"]"));
        assertThat(updated.status()).isEqualTo(200);
        assertThat(updated.json().path("result").asText()).isEqualTo("updated");
        assertThat(send("ann", "GET", path(name), null)
                        .json()
                        .at("/settings/dimensions")
                        .toString())
                .isEqualTo("[\"country\",\"device\"]");

        Answer deleted = send("root", "DELETE", path(name), null);
        assertThat(deleted.status()).isEqualTo(200);
        assertThat(deleted.json().toString())
                .isEqualTo("{\"name\":\"" + name + "\",\"result\":\"deleted\"," + "\"kept_index\":\"sketchgate-uv-"
                        + name + "\"}");
        assertThat(send("ann", "GET", path(name), null).status()).isEqualTo(404);
        Answer again = send("root", "DELETE", path(name), null);
        assertThat(again.status()).isEqualTo(404);
        assertThat(again.reason()).isEqualTo("There is no run-time change of unique count " + name + " to delete.");
        Answer fileOnly = send("root", "DELETE", path(fileDefinition), null);
        assertThat(fileOnly.reason())
                .isEqualTo("There is no run-time change of unique count " + fileDefinition
                        + " to delete; the config file defines it, and only editing the file removes it.");
    }

    @Test
    void invalidBody_is400_listingEveryProblemWithTheFilesWords_andStoresNothing() throws Exception {
        String name = IndexNames.unique("bad");
        Answer answer = send(
                "root",
                "PUT",
                path(name),
                "{\"name\":\"other\",\"source\":\"a b\",\"unique_field\":"
                        + "\"user id\",\"granularity\":\"7m\",\"precision\":20,\"dimensionz\":[\"x\"]}");

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.json().at("/error/type").asText()).isEqualTo("sketchgate_validation_exception");
        String key = "unique_counts." + name + ".";
        List<String> problems = new ArrayList<>();
        answer.json().at("/error/problems").forEach(p -> problems.add(p.toString()));
        assertThat(problems)
                .containsExactly(
                        "{\"key\":\"" + key
                                + "name\",\"value\":\"other\",\"reason\":\"comes from the path and must be \\\"" + name
                                + "\\\" or left out, was \\\"other\\\"\"}",
                        "{\"key\":\"" + key
                                + "source\",\"value\":\"a b\",\"reason\":\"must be an index pattern, alias or data"
                                + " stream like \\\"weblogs-*\\\", without spaces, was \\\"a b\\\"\"}",
                        "{\"key\":\"" + key
                                + "unique_field\",\"value\":\"user id\",\"reason\":\"must be one field name,"
                                + " without spaces, commas or wildcards, was \\\"user id\\\"\"}",
                        "{\"key\":\"" + key
                                + "granularity\",\"value\":\"7m\",\"reason\":\"must divide a day evenly, like 5m,"
                                + " 15m, 1h, 6h or 1d, was \\\"7m\\\"\"}",
                        "{\"key\":\"" + key
                                + "precision\",\"value\":\"20\",\"reason\":\"must be a whole number from 4 to 18,"
                                + " was \\\"20\\\"\"}",
                        "{\"key\":\"" + key + "dimensionz\",\"value\":null,\"reason\":\"unknown key, did you mean"
                                + " \\\"dimensions\\\"? Allowed keys: name, source, time_field, unique_field, dimensions,"
                                + " granularity, time_zones, precision, lateness, max_exact_values, realtime, kibana_rewrite, kibana_edges\"}");
        assertThat(answer.reason())
                .startsWith("The unique count " + name + " is not valid (6 problems): ")
                .endsWith("docs/unique-counts.md describes every key.");
        assertThat(send("root", "GET", path(name), null).status()).isEqualTo(404);

        Answer notJson = send("root", "PUT", path(name), "{source: x");
        assertThat(notJson.status()).isEqualTo(400);
        assertThat(notJson.json().at("/error/type").asText()).isEqualTo("parse_exception");
    }

    @Test
    void definitionThatDoesNotFitTheMapping_is400NamingEachField() throws Exception {
        String name = IndexNames.unique("map");
        Answer answer = send(
                "root",
                "PUT",
                path(name),
                "{\"source\":\"" + events + "\",\"time_field\":\"user_id\"," + "\"unique_field\":\"nope\"}");

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.json().at("/error/type").asText()).isEqualTo("sketchgate_validation_exception");
        assertThat(answer.reason())
                .isEqualTo("The unique count " + name + " (checked against the mapping of \"" + events
                        + "\") is not valid (2 problems): unique_counts." + name
                        + ".time_field: \"user_id\" is a keyword field;"
                        + " it must be a date or date_nanos field; name the event time field; unique_counts." + name
                        + ".unique_field: \"nope\" is not a field of \"" + events + "\"; check the spelling against the"
                        + " mapping or add the field. Fix the request body and send it again; docs/unique-counts.md"
                        + " describes every key.");
        Answer noIndex = send("root", "PUT", path(name), "{\"source\":\"no-such-index-defs\",\"unique_field\":\"u\"}");
        assertThat(noIndex.status()).isEqualTo(400);
        assertThat(noIndex.json().at("/error/problems/0/reason").asText())
                .isEqualTo("\"no-such-index-defs\" matches no index; load the data first or fix the pattern");
        assertThat(send("root", "GET", path(name), null).status()).isEqualTo(404);
    }

    @Test
    void nonAdmins_get403_onPutAndDelete_inElasticsearchsErrorShape() throws Exception {
        for (Answer answer : List.of(
                send("ann", "PUT", path("x-ann"), definition("[]")),
                send("ann", "DELETE", path(fileDefinition), null))) {
            assertThat(answer.status()).isEqualTo(403);
            assertThat(answer.json().path("status").asInt()).isEqualTo(403);
            assertThat(answer.json().at("/error/type").asText()).isEqualTo("security_exception");
            assertThat(answer.reason())
                    .contains("is unauthorized for user [ann]")
                    .contains("needs the role sketchgate_admin");
        }
        assertThat(send(null, "PUT", path("x-anon"), definition("[]")).status()).isEqualTo(401);
    }

    @Test
    void lostUpdate_withAStaleIfMatch_is409NamingTheCurrentVersion() throws Exception {
        String name = IndexNames.unique("lost");
        String v1 = send("root", "PUT", path(name), definition("[]"))
                .json()
                .path("version")
                .asText();
        Answer first = send(
                proxy, "root", "PUT", path(name), definition("[\"country\"]"), Map.of("If-Match", "\"" + v1 + "\""));
        assertThat(first.status()).isEqualTo(200);
        String v2 = first.json().path("version").asText();

        Answer second = send(
                proxy, "root", "PUT", path(name), definition("[\"device\"]"), Map.of("If-Match", "\"" + v1 + "\""));
        assertThat(second.status()).isEqualTo(409);
        assertThat(second.json().at("/error/type").asText()).isEqualTo("version_conflict_engine_exception");
        assertThat(second.reason())
                .isEqualTo("The unique count " + name + " changed since version [" + v1
                        + "] (If-Match): the current version is [" + v2 + "]. GET /_sketchgate/unique-counts/" + name
                        + ", reapply your change and send it with If-Match: \"" + v2 + "\".");
        Answer staleDelete = send(proxy, "root", "DELETE", path(name), null, Map.of("If-Match", "\"" + v1 + "\""));
        assertThat(staleDelete.status()).isEqualTo(409);
        assertThat(send("root", "GET", path(name), null)
                        .json()
                        .at("/settings/dimensions")
                        .toString())
                .isEqualTo("[\"country\"]");
        assertThat(send(proxy, "root", "DELETE", path(name), null, Map.of("If-Match", v2))
                        .status())
                .isEqualTo(200);
    }

    @Test
    void everyChange_isAudited_withWhoWhereAndTheDefinitionBeforeAndAfter() throws Exception {
        String name = IndexNames.unique("audited");
        send("root", "PUT", path(name), definition("[]"));
        send("root", "PUT", path(name), definition("[\"country\"]"));
        send("root", "DELETE", path(name), null);

        JsonNode hits = es.requests()
                .post(
                        "/" + auditIndex + "/_search",
                        "{\"size\":10,\"sort\":[{\"@timestamp\":"
                                + "\"asc\"}],\"query\":{\"bool\":{\"filter\":[{\"term\":{\"kind\":\"unique_count\"}},{\"term\":"
                                + "{\"name\":\"" + name + "\"}}]}}}")
                .at("/hits/hits");
        assertThat(hits).hasSize(3);
        JsonNode created = hits.get(0).path("_source");
        assertThat(created.path("user").asText()).isEqualTo("root");
        assertThat(created.path("roles").toString()).isEqualTo("[\"sketchgate_admin\"]");
        assertThat(created.path("remote_address").asText()).isEqualTo("127.0.0.1");
        assertThat(created.path("method").asText()).isEqualTo("PUT");
        assertThat(created.path("path").asText()).isEqualTo(path(name));
        assertThat(created.path("before").isNull()).isTrue();
        assertThat(created.at("/after/source").asText()).isEqualTo("runtime");
        assertThat(created.at("/after/settings/dimensions").toString()).isEqualTo("[]");
        JsonNode updated = hits.get(1).path("_source");
        assertThat(updated.at("/before/settings/dimensions").toString()).isEqualTo("[]");
        assertThat(updated.at("/after/settings/dimensions").toString()).isEqualTo("[\"country\"]");
        assertThat(updated.at("/before/version").asText())
                .isEqualTo(created.at("/after/version").asText());
        JsonNode deleted = hits.get(2).path("_source");
        assertThat(deleted.path("method").asText()).isEqualTo("DELETE");
        assertThat(deleted.at("/before/settings/dimensions").toString()).isEqualTo("[\"country\"]");
        assertThat(deleted.path("after").isNull()).isTrue();
    }

    @Test
    void storedDefinition_survivesAProxyRestart() throws Exception {
        String name = IndexNames.unique("restart");
        ProxyUnderTest first = start(configIndex);
        assertThat(send(first, "root", "PUT", path(name), definition("[\"device\"]"), Map.of())
                        .status())
                .isEqualTo(201);
        first.close();

        ProxyUnderTest second = start(configIndex);
        Answer read = send(second, "ann", "GET", path(name), null, Map.of());
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.json().path("origin").asText()).isEqualTo("runtime");
        assertThat(read.json().at("/settings/dimensions").toString()).isEqualTo("[\"device\"]");
        second.close();
        send("root", "DELETE", path(name), null);
    }

    @Test
    void changeThroughOneInstance_reachesAnotherOnTheSameCluster_within2Seconds() throws Exception {
        String name = IndexNames.unique("spread");
        ProxyUnderTest other = start(configIndex);
        assertThat(send(other, "ann", "GET", path(name), null, Map.of()).status())
                .isEqualTo(404);

        assertThat(send("root", "PUT", path(name), definition("[]")).status()).isEqualTo(201);
        await(
                "the other instance sees the new definition",
                Duration.ofSeconds(2),
                () -> service(other).definition(name).isPresent());
        assertThat(send(other, "ann", "GET", path(name), null, Map.of())
                        .json()
                        .path("origin")
                        .asText())
                .isEqualTo("runtime");

        assertThat(send("root", "DELETE", path(name), null).status()).isEqualTo(200);
        await(
                "the other instance drops it",
                Duration.ofSeconds(2),
                () -> service(other).definition(name).isEmpty());
        other.close();
    }

    @Test
    void invalidStoredDocument_isSkippedAndListed_andStartUpGoesOn() throws Exception {
        String index = IndexNames.unique("sg-config-invalid");
        es.requests()
                .put(
                        "/" + index + "/_doc/unique_count%3Abroken?refresh=true",
                        "{\"kind\":\"unique_count\","
                                + "\"name\":\"broken\",\"settings\":{\"source\":\"" + events
                                + "\",\"unique_field\":\"user_id\","
                                + "\"precision\":99},\"updated_by\":\"hand\",\"updated_at\":\"2026-01-01T00:00:00Z\","
                                + "\"updated_from\":\"-\"}");

        ProxyUnderTest withBroken = start(index);
        Answer list = send(withBroken, "ann", "GET", "/_sketchgate/unique-counts", null, Map.of());
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.json().at("/invalid/0/id").asText()).isEqualTo("unique_count:broken");
        assertThat(list.json().at("/invalid/0/status").asText()).isEqualTo("invalid");
        assertThat(list.json().at("/invalid/0/problems").toString())
                .isEqualTo("[{\"key\":"
                        + "\"unique_counts.broken.precision\",\"value\":\"99\",\"reason\":\"must be a whole number from 4 to 18,"
                        + " was \\\"99\\\"\"}]");
        assertThat(list.json().at("/unique_counts/0/name").asText()).isEqualTo(fileDefinition);
        assertThat(send(withBroken, "ann", "GET", path("broken"), null, Map.of())
                        .status())
                .isEqualTo(404);
        withBroken.close();
    }

    @Test
    void changedFileDefinition_restartsItsTailer_andDeletingTheChangeBringsTheFilesBack() throws Exception {
        RealtimeTailer before = service(proxy).tailer(fileDefinition).orElseThrow();
        String fileVersion =
                service(proxy).definition(fileDefinition).orElseThrow().version();

        Answer changed = send("root", "PUT", path(fileDefinition), definition("[\"device\"]"));
        assertThat(changed.status()).isEqualTo(201);
        assertThat(before.status().get("state")).isEqualTo("stopped");
        RealtimeTailer after = service(proxy).tailer(fileDefinition).orElseThrow();
        assertThat(after).isNotSameAs(before);
        Answer read = send("ann", "GET", path(fileDefinition), null);
        assertThat(read.json().path("definition_version").asText()).isNotEqualTo(fileVersion);

        assertThat(send("root", "DELETE", path(fileDefinition), null)
                        .json()
                        .path("origin")
                        .asText())
                .isEqualTo("file");
        assertThat(after.status().get("state")).isEqualTo("stopped");
        assertThat(service(proxy).definition(fileDefinition).orElseThrow().version())
                .isEqualTo(fileVersion);
        assertThat(send("ann", "GET", path(fileDefinition), null)
                        .json()
                        .at("/settings/dimensions")
                        .toString())
                .isEqualTo("[\"country\"]");
    }

    @Test
    void definitionCreatedAtRunTime_isTailedPrecomputedAndAnswered_andOnceDeletedIsNeither() throws Exception {
        String name = IndexNames.unique("live");
        assertThat(send("root", "PUT", path(name), definition("[\"country\"]")).status())
                .isEqualTo(201);
        await("tailing", Duration.ofSeconds(10), () -> {
            try {
                return send("root", "GET", path(name), null)
                        .json()
                        .at("/realtime/state")
                        .asText()
                        .equals("tailing");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Answer queued = send(
                "root",
                "POST",
                path(name) + "/_precompute?from=" + closed.minus(Duration.ofHours(1)) + "&to=" + closed,
                null);
        assertThat(queued.status()).as(queued.json().toString()).isEqualTo(202);
        await("precomputed", Duration.ofSeconds(30), () -> {
            try {
                return send("root", "GET", path(name), null)
                        .json()
                        .at("/job/last_run/outcome")
                        .asText()
                        .equals("completed");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        String uv = "/_sketchgate/uv/" + name + "?from=" + closed.minus(Duration.ofHours(1)) + "&to=" + closed;
        Answer answered = send("ann", "GET", uv, null);
        assertThat(answered.status()).as(answered.json().toString()).isEqualTo(200);
        assertThat(answered.json().at("/total/uv").asLong()).isEqualTo(12);
        assertThat(answered.json().at("/total/pv").asLong()).isEqualTo(12);

        RealtimeTailer tailer = service(proxy).tailer(name).orElseThrow();
        assertThat(send("root", "DELETE", path(name), null).status()).isEqualTo(200);
        assertThat(tailer.status().get("state")).isEqualTo("stopped");
        assertThat(send("root", "GET", path(name), null).status()).isEqualTo(404);
        Answer gone = send("ann", "GET", uv, null);
        assertThat(gone.status()).isEqualTo(400);
        assertThat(gone.reason()).startsWith("\"" + name + "\" is not a unique-count definition; known definitions: [");
        assertThat(es.requests()
                        .get("/sketchgate-uv-" + name + "/_count")
                        .path("count")
                        .asLong())
                .isPositive();
    }
}
