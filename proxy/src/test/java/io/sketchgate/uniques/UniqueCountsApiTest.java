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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** {@code /_sketchgate/unique-counts} through a running proxy with static users. */
@RealElasticsearch
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UniqueCountsApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final String name = IndexNames.unique("api");
    private final Instant closed = Level.granuleStart(Instant.now().minus(Duration.ofHours(1)), Duration.ofHours(1));
    private ProxyUnderTest proxy;

    @BeforeAll
    void start(TestElasticsearch es, @TempDir Path dir) throws Exception {
        String index = RealtimeTailerTest.events(es, "rt-api");
        es.requests().bulkIndex(index, batch(closed.minus(Duration.ofMinutes(30)), 0, 12));
        es.requests().bulkIndex(index, batch(Instant.now().minus(Duration.ofMinutes(1)), 100, 4));
        proxy = ProxyUnderTest.forElasticsearch(es.baseUri())
                .user("root", "sketchgate_admin")
                .user("ann", "analyst")
                .yaml("""
                        unique_counts:
                          - name: %s
                            source: "%s"
                            unique_field: user_id
                            dimensions: [country, device]
                            granularity: 1h
                            lateness: 1h
                            realtime: { poll_interval: 200ms, schedule: false }
                        """.formatted(name, index))
                .start(dir);
    }

    @AfterAll
    void stop() {
        if (proxy != null) {
            proxy.close();
        }
    }

    @Test
    void list_showsEachDefinitionWithItsJobAndTheTailersLag() throws Exception {
        await(
                "tailing",
                Duration.ofSeconds(10),
                () -> realtime("ann").path("state").asText().equals("tailing"));
        HttpResponse<String> response = send("GET", "/_sketchgate/unique-counts", "ann");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode definition =
                JSON.readTree(response.body()).path("unique_counts").path(0);
        assertThat(definition.path("name").asText()).isEqualTo(name);
        assertThat(definition.path("index").asText()).isEqualTo("sketchgate-uv-" + name);
        assertThat(definition.path("job").path("state").asText()).isEqualTo("idle");
        assertThat(definition.path("realtime").path("lag_ms").asLong()).isBetween(0L, 5_000L);
        assertThat(definition.path("realtime").path("open_granules")).isNotEmpty();
    }

    @Test
    void unknownDefinition_is404NamingTheDefinedOnes_andNoCredentialsIs401() throws Exception {
        HttpResponse<String> unknown = send("GET", "/_sketchgate/unique-counts/nope", "ann");
        assertThat(unknown.statusCode()).isEqualTo(404);
        JsonNode error = JSON.readTree(unknown.body()).path("error");
        assertThat(error.path("type").asText()).isEqualTo("resource_not_found_exception");
        assertThat(error.path("reason").asText())
                .isEqualTo("no unique count [nope]; defined under unique_counts: [" + name + "].");

        assertThat(send("GET", "/_sketchgate/unique-counts", null).statusCode()).isEqualTo(401);
    }

    @Test
    void precompute_byANonAdmin_is403() throws Exception {
        HttpResponse<String> response = send(
                "POST",
                "/_sketchgate/unique-counts/" + name + "/_precompute?from=" + closed.minus(Duration.ofHours(1)) + "&to="
                        + closed,
                "ann");

        assertThat(response.statusCode()).isEqualTo(403);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("status").asInt()).isEqualTo(403);
        assertThat(body.path("error").path("type").asText()).isEqualTo("security_exception");
        assertThat(body.path("error").path("reason").asText())
                .contains("needs the role [sketchgate_admin]; user [ann]");
    }

    @Test
    void precompute_ofAnUnalignedRange_is400NamingTheFix() throws Exception {
        HttpResponse<String> response = send(
                "POST",
                "/_sketchgate/unique-counts/" + name + "/_precompute?from=" + closed.minus(Duration.ofMinutes(90))
                        + "&to=" + closed,
                "root");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(response.body()).path("error").path("reason").asText())
                .isEqualTo("from="
                        + closed.minus(Duration.ofMinutes(90)) + " is not on a 1h boundary of \"" + name + "\"; use "
                        + closed.minus(Duration.ofHours(2)) + " or " + closed.minus(Duration.ofHours(1)));
        assertThat(send("POST", "/_sketchgate/unique-counts/" + name + "/_precompute?to=" + closed, "root")
                        .body())
                .contains("parameter [from] is required");
    }

    @Test
    void precompute_byAnAdmin_is202_andRunsInTheBackground() throws Exception {
        HttpResponse<String> response = send(
                "POST",
                "/_sketchgate/unique-counts/" + name + "/_precompute?from=" + closed.minus(Duration.ofHours(1)) + "&to="
                        + closed,
                "root");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("acknowledged").asBoolean()).isTrue();
        assertThat(body.path("job").has("state")).isTrue();
        await(
                "manual run done",
                Duration.ofSeconds(30),
                () -> job().path("last_run").path("outcome").asText().equals("completed"));
        JsonNode job = job();
        assertThat(job.path("last_run").path("kind").asText()).isEqualTo("manual");
        assertThat(job.path("last_run").path("buckets_written").asLong()).isPositive();
        assertThat(job.path("precomputed_through").asText()).isEqualTo(closed.toString());
    }

    private JsonNode job() {
        return definition("root").path("job");
    }

    private JsonNode realtime(String user) {
        return definition(user).path("realtime");
    }

    private JsonNode definition(String user) {
        try {
            return JSON.readTree(
                    send("GET", "/_sketchgate/unique-counts/" + name, user).body());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse<String> send(String method, String path, String user) throws Exception {
        return proxy.send(method, path, user, null);
    }
}
