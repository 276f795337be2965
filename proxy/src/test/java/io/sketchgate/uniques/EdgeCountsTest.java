package io.sketchgate.uniques;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sketchgate.config.UniqueCountDefinition;
import io.sketchgate.es.EsJson;
import io.sketchgate.testing.TestDefinitions;
import io.sketchgate.transport.RecordingServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.apache.http.HttpHost;
import org.elasticsearch.client.RestClient;
import org.junit.jupiter.api.Test;

/**
 * The edge count's request and how it reads the answer; a stand-in upstream injects the failures (the answers
 * themselves are checked against a real Elasticsearch in {@code UvQueryEngineRequestsTest}).
 */
class EdgeCountsTest {
    private static final UniqueCountDefinition DEFINITION = TestDefinitions.definition(
            "web",
            "logs-*",
            "@timestamp",
            "user_id",
            List.of("country"),
            Duration.ofHours(1),
            List.of(ZoneOffset.UTC),
            14,
            Duration.ofMinutes(5),
            1_024);
    private static final Instant GRANULE = Instant.parse("2026-09-01T10:35:00Z");

    @Test
    void everyCoverIsOneFilterAggregation_ofOneSearch_andReadsBackIntoItsPlace() throws Exception {
        try (RecordingServer upstream = new RecordingServer()) {
            answer(
                    upstream,
                    "{\"_shards\":{\"failed\":0},\"aggregations\":{\"0\":{\"doc_count\":7},"
                            + "\"2\":{\"doc_count\":11}}}");
            long[] counts = count(upstream, List.of(List.of(cut(12_345)), List.of(), List.of(cut(40_000))));

            assertThat(counts).containsExactly(7, 0, 11);
            assertThat(upstream.requests()).singleElement().satisfies(request -> {
                assertThat(request.uri()).startsWith("/logs-*/_search?").contains("pre_filter_shard_size=1");
                String body = new String(request.body(), StandardCharsets.UTF_8);
                assertThat(body)
                        .contains("\"0\":{\"filter\"")
                        .contains("\"2\":{\"filter\"")
                        .doesNotContain("\"1\"");
            });
        }
    }

    @Test
    void aFailedShard_failsTheCount_ratherThanGiveAPartialSum() throws Exception {
        try (RecordingServer upstream = new RecordingServer()) {
            answer(upstream, "{\"_shards\":{\"failed\":1},\"aggregations\":{\"0\":{\"doc_count\":7}}}");

            assertThatThrownBy(() -> count(upstream, List.of(List.of(cut(12_345)))))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("cannot count the events at the edges in logs-*");
        }
    }

    @Test
    void aCoverWithoutItsCount_failsTheCount() throws Exception {
        try (RecordingServer upstream = new RecordingServer()) {
            answer(upstream, "{\"_shards\":{\"failed\":0},\"aggregations\":{}}");

            assertThatThrownBy(() -> count(upstream, List.of(List.of(cut(12_345)))))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("no doc_count for cover 0");
        }
    }

    @Test
    void nothingToCount_sendsNothing() throws Exception {
        try (RecordingServer upstream = new RecordingServer()) {
            assertThat(count(upstream, List.of(List.of(), List.of()))).containsExactly(0, 0);
            assertThat(upstream.requests()).isEmpty();
        }
    }

    private static void answer(RecordingServer upstream, String json) {
        upstream.on(
                "/",
                exchange -> RecordingServer.respond(
                        exchange,
                        200,
                        json.getBytes(StandardCharsets.UTF_8),
                        Map.of("Content-Type", "application/json")));
    }

    private static long[] count(RecordingServer upstream, List<List<SliceCover.Partial>> covers) throws IOException {
        try (RestClient client =
                RestClient.builder(HttpHost.create(upstream.uri().toString())).build()) {
            return new EdgeCounts(new EsJson(client), DEFINITION).count(covers);
        }
    }

    /** The seconds of a fine granule from {@code offsetMillis} to its next whole minute. */
    private static SliceCover.Partial cut(long offsetMillis) {
        SliceCover.Stored granule =
                new SliceCover.Stored(Level.FINE, ZoneOffset.UTC, GRANULE, GRANULE.plusSeconds(300));
        Instant start = GRANULE.plusMillis(offsetMillis);
        return new SliceCover.Partial(granule, start, start.plusMillis(60_000 - offsetMillis % 60_000));
    }
}
