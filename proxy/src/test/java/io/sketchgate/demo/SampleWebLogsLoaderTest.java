package io.sketchgate.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.sketchgate.testing.IndexNames;
import io.sketchgate.testing.RealElasticsearch;
import io.sketchgate.testing.TestElasticsearch;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Loads a small sample into the real node and checks counts against a replay of the generator. */
@RealElasticsearch
@Tag("es-smoke")
class SampleWebLogsLoaderTest {

    private static final String PREFIX = IndexNames.unique(SampleWebLogsLoaderTest.class);

    @Test
    void load_indexesEveryEvent_andUniqueCountsMatchAReplay(TestElasticsearch es) throws Exception {
        SampleWebLogs logs = SampleWebLogs.builder()
                .seed(11)
                .events(30_000)
                .days(3)
                .users(20_000)
                .end(Instant.parse("2026-12-01T02:00:00Z"))
                .indexPrefix(PREFIX)
                .build();
        List<Long> progress = new ArrayList<>();

        long loaded = new SampleWebLogsLoader(es.client(), 0).load(logs, progress::add);

        assertThat(loaded).isEqualTo(30_000);
        assertThat(progress).last().isEqualTo(30_000L);
        assertThat(logs.indices()).containsExactly(PREFIX + "-2026.11", PREFIX + "-2026.12");
        assertThat(es.requests().count(logs.indexPattern())).isEqualTo(30_000);

        Map<String, Set<String>> usersPerDay = logs.events()
                .collect(Collectors.groupingBy(
                        view -> view.timestamp().toString().substring(0, 10),
                        TreeMap::new,
                        Collectors.mapping(PageView::userId, Collectors.toSet())));
        JsonNode answer = es.requests().post("/" + logs.indexPattern() + "/_search", """
                {"size":0,"query":{"range":{"@timestamp":{"gte":"2026-11-28T02:00:00Z","lt":"2026-12-01T02:00:00Z"}}},
                 "aggs":{"days":{"date_histogram":{"field":"@timestamp","calendar_interval":"day"},
                   "aggs":{"users":{"cardinality":{"field":"user_id","precision_threshold":40000}}}}}}""");

        JsonNode buckets = answer.path("aggregations").path("days").path("buckets");
        assertThat(buckets).hasSize(usersPerDay.size());
        int i = 0;
        for (Map.Entry<String, Set<String>> day : usersPerDay.entrySet()) {
            JsonNode bucket = buckets.get(i++);
            assertThat(bucket.path("key_as_string").asText()).startsWith(day.getKey());
            // HyperLogLog++ is near-exact below the precision threshold
            assertThat(bucket.path("users").path("value").asDouble())
                    .isCloseTo(day.getValue().size(), within(day.getValue().size() * 0.01));
        }
    }
}
