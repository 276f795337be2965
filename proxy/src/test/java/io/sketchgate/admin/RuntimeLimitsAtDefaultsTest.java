package io.sketchgate.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.sketchgate.testing.ApiClient;
import io.sketchgate.testing.IndexNames;
import io.sketchgate.testing.ProxyUnderTest;
import io.sketchgate.testing.RealElasticsearch;
import io.sketchgate.testing.TestElasticsearch;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.http.entity.ContentType;
import org.apache.http.entity.StringEntity;
import org.elasticsearch.client.Request;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Run-time limits as they are deployed: the default poll interval, and far more stored entries than one search
 * returns.
 */
@RealElasticsearch
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RuntimeLimitsAtDefaultsTest {
    private static final String SEVEN_DAYS = "{\"size\":0,\"query\":{\"range\":{\"@timestamp\":"
            + "{\"gte\":\"2024-05-01T00:00:00Z\",\"lt\":\"2024-05-08T00:00:00Z\"}}}}";

    private final String prefix = IndexNames.unique("logs-defaults");
    private final List<ProxyUnderTest> started = new ArrayList<>();
    private TestElasticsearch es;
    private Path dir;

    @BeforeAll
    void start(TestElasticsearch es, @TempDir Path dir) throws Exception {
        this.es = es;
        this.dir = dir;
        es.requests()
                .createIndex(prefix + "-2024", "{\"mappings\":{\"properties\":{\"@timestamp\":{\"type\":\"date\"}}}}");
        es.requests().bulkIndex(prefix + "-2024", List.of(Map.of("@timestamp", "2024-05-02T00:00:00Z")));
    }

    @AfterAll
    void stop() {
        started.forEach(ProxyUnderTest::close);
    }

    @Test
    void change_reachesAnotherInstanceWithin2Seconds_atTheDefaultPollInterval() throws Exception {
        ProxyUnderTest.Builder config = config(IndexNames.unique("sg-config-poll"));
        ApiClient writer = start(config);
        ApiClient other = start(config);
        assertThat(other.answer("erin", "POST", "/" + prefix + "-*/_search", SEVEN_DAYS)
                        .status())
                .isEqualTo(200);

        assertThat(writer.answer("root", "PUT", "/_sketchgate/quotas/users/erin", "{\"max_time_range\":\"2d\"}")
                        .status())
                .isEqualTo(201);
        AdminProxy.Seen seen =
                AdminProxy.untilNot200(other, "erin", "/" + prefix + "-*/_search", SEVEN_DAYS, Duration.ofSeconds(5));
        assertThat(seen.status()).isEqualTo(400);
        assertThat(seen.took()).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void restrictiveOverride_writtenLastAfter25000Others_isApplied() throws Exception {
        String configIndex = IndexNames.unique("sg-config-many");
        ApiClient proxy = start(config(configIndex));
        assertThat(proxy.answer("root", "PUT", "/_sketchgate/quotas/users/gina", "{\"max_time_range\":\"90d\"}")
                        .status())
                .isEqualTo(201); // creates the index with its mapping
        StringBuilder bulk = new StringBuilder();
        for (int i = 0; i < 25_000; i++) {
            boolean last = i == 24_999;
            String user = last ? "erin" : "user%05d".formatted(i);
            bulk.append("{\"index\":{\"_id\":\"user:")
                    .append(user)
                    .append("\"}}\n{\"kind\":\"user\",\"name\":\"")
                    .append(user)
                    .append("\",\"settings\":{\"max_time_range\":\"")
                    .append(last ? "1d" : "90d")
                    .append("\"},\"updated_by\":\"test\",\"updated_at\":\"2026-01-01T00:00:00Z\",")
                    .append("\"updated_from\":\"127.0.0.1\"}\n");
        }
        Request request = new Request("POST", "/" + configIndex + "/_bulk");
        request.addParameter("refresh", "true");
        request.setEntity(new StringEntity(bulk.toString(), ContentType.create("application/x-ndjson")));
        String bulked = new String(
                es.client().performRequest(request).getEntity().getContent().readAllBytes(),
                java.nio.charset.StandardCharsets.UTF_8);
        assertThat(bulked).startsWith("{\"errors\":false");

        long written = System.nanoTime(); // the first validation of 25,000 entries takes seconds
        ApiClient.Answer answer;
        do {
            answer = proxy.answer("erin", "POST", "/" + prefix + "-*/_search", SEVEN_DAYS);
            Thread.sleep(200);
        } while (answer.status() == 200
                && System.nanoTime() - written < Duration.ofSeconds(90).toNanos());
        assertThat(answer.status())
                .as(proxy.answer("root", "GET", "/_sketchgate/quotas/users/erin", null)
                        .json()
                        .toString())
                .isEqualTo(400);
        assertThat(answer.json().at("/error/reason").asText())
                .isEqualTo("Time range of 7.0 days on " + prefix
                        + "-* exceeds the 1 day allowed (max_time_range set for user erin). Pick a range of 1 day or less,"
                        + " or ask an administrator to raise the limit.");
        assertThat(proxy.answer("root", "GET", "/_sketchgate/quotas", null)
                        .json()
                        .get("users")
                        .size())
                .isGreaterThanOrEqualTo(25_000);
    }

    /** root is the admin, erin an analyst (31 days); runtime_limits at its defaults but for the index. */
    private ProxyUnderTest.Builder config(String configIndex) {
        return ProxyUnderTest.forElasticsearch(es.baseUri())
                .user("root", "sketchgate_admin")
                .user("erin", "analyst")
                .yaml("access_log: { enabled: false }")
                .yaml(AdminProxy.analystsWithRuntimeLimits(prefix, configIndex, configIndex + "-audit"));
    }

    private ApiClient start(ProxyUnderTest.Builder config) throws Exception {
        ProxyUnderTest proxy = config.start(dir);
        started.add(proxy);
        return proxy.client();
    }
}
