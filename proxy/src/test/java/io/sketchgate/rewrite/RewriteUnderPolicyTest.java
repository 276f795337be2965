package io.sketchgate.rewrite;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sketchgate.testing.IndexNames;
import io.sketchgate.testing.ProxyUnderTest;
import io.sketchgate.testing.RealElasticsearch;
import io.sketchgate.testing.TestElasticsearch;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rewrite comes after policy, configured from a file: a rewritten search is still a request under the role's
 * rate limit, and a search policy refuses is refused whether or not it could be rewritten.
 */
@RealElasticsearch
class RewriteUnderPolicyTest {
    private static final String INDEX = IndexNames.unique("kib-policy");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final List<TestEvents.Event> EVENTS = TestEvents.generate(200, 5);
    private static ExactUvQueries engine;

    @AutoClose
    private static ProxyUnderTest proxy;

    private static URI base;

    @BeforeAll
    static void start(TestElasticsearch es, @TempDir Path dir) throws Exception {
        TestEvents.index(es, INDEX, EVENTS);
        engine = new ExactUvQueries(EVENTS);
        proxy = ProxyUnderTest.forElasticsearch(es.baseUri())
                .yaml("""
                        roles:
                          default: { indices: ["%s"], max_time_range: 31d, on_exceed: reject, requests_per_minute: 2 }
                        index_time_fields:
                          "%s": "@timestamp"
                        unique_counts:
                          - name: kib
                            source: "%s"
                            unique_field: user.id
                            dimensions: [geo.country_iso_code, host.os.type]
                            time_zones: [UTC, America/New_York]
                            kibana_rewrite: on
                        """.formatted(INDEX, INDEX, INDEX))
                .uniqueCounts(engine)
                .start(dir);
        base = proxy.baseUri();
    }

    @Test
    void rewrittenSearches_countAgainstTheRateLimit_andPolicyRefusalsComeFirst() throws Exception {
        String lens = RequestFamily.kibanaRecorded().get(0).body().toString();
        String tooLong = lens.replace(RequestFamily.GTE, "2024-01-01T00:00:00.000Z");

        HttpResponse<String> refused = post(tooLong);
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(refused.body()).path("error").path("type").asText())
                .isEqualTo("sketchgate_time_range_exception");

        int asked = engine.questions.get();
        HttpResponse<String> first = post(lens);
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.headers().firstValue("X-Sketchgate-Source")).contains("unique-counts");
        assertThat(engine.questions.get()).isGreaterThan(asked);

        assertThat(post(lens).headers().firstValue("X-Sketchgate-Source")).contains("unique-counts");
        HttpResponse<String> third = post(lens); // 2 per minute; a refusal by time range takes no quota
        assertThat(third.statusCode()).isEqualTo(429);
        assertThat(third.headers().firstValue("Retry-After")).isPresent();
    }

    private static HttpResponse<String> post(String body) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(base.resolve("/" + INDEX + "/_search"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
