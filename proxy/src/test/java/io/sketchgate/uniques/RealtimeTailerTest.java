package io.sketchgate.uniques;

import static org.assertj.core.api.Assertions.assertThat;

import io.sketchgate.config.RealtimeSettings;
import io.sketchgate.config.UniqueCountDefinition;
import io.sketchgate.hll.HllSketch;
import io.sketchgate.testing.IndexNames;
import io.sketchgate.testing.ProxyUnderTest;
import io.sketchgate.testing.RealElasticsearch;
import io.sketchgate.testing.TestDefinitions;
import io.sketchgate.testing.TestElasticsearch;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BooleanSupplier;
import org.apache.http.HttpHost;
import org.elasticsearch.client.RestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tailer against real Elasticsearch, on a fixed clock at 10:30 with 1h granules and 1h lateness: the granules
 * 08:00 (closed, the newest the scheduler has yet to precompute), 09:00 and 10:00 are open.
 */
@RealElasticsearch
class RealtimeTailerTest {
    static final Instant NOW = Instant.parse("2025-05-05T10:30:00Z");
    static final Instant G8 = Instant.parse("2025-05-05T08:00:00Z");
    static final Instant G9 = Instant.parse("2025-05-05T09:00:00Z");
    static final Instant G10 = Instant.parse("2025-05-05T10:00:00Z");
    static final List<String> ALL = List.of(BucketKey.ALL, BucketKey.ALL);
    static final Duration POLL = Duration.ofMillis(200);

    private final ScheduledExecutorService executor = Executors.newScheduledThreadPool(1);
    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
        executor.shutdownNow();
    }

    static UniqueCountDefinition definition(String source, Duration overlap, Duration persist) {
        UniqueCountDefinition plain = TestDefinitions.definition(
                IndexNames.unique("rt"),
                source,
                "@timestamp",
                "user_id",
                List.of("country", "device"),
                Duration.ofHours(1),
                List.of(ZoneId.of("UTC")),
                14,
                Duration.ofHours(1),
                5_000_000);
        return plain.withRealtime(
                new RealtimeSettings(true, POLL, overlap, persist, 4, 10_000, false, Duration.ofMinutes(1)));
    }

    static String events(TestElasticsearch es, String name) throws Exception {
        String index = IndexNames.unique(name);
        es.requests().createIndex(index, """
                {"mappings":{"properties":{"@timestamp":{"type":"date"},"user_id":{"type":"keyword"},
                 "country":{"type":"keyword"},"device":{"type":"keyword"}}}}""");
        return index;
    }

    /** {@code count} events from {@code start}, a second apart, users {@code firstUser..}, some without country. */
    static List<Map<String, ?>> batch(Instant start, int firstUser, int count) {
        List<Map<String, ?>> docs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int user = firstUser + i;
            Map<String, Object> doc = new java.util.HashMap<>();
            doc.put("@timestamp", start.plusSeconds(i).toString());
            doc.put("user_id", "u" + user);
            doc.put("device", user % 3 == 0 ? "mobile" : "desktop");
            if (user % 5 != 0) {
                doc.put("country", user % 2 == 0 ? "KR" : "US");
            }
            docs.add(doc);
        }
        return docs;
    }

    RealtimeTailer tailer(TestElasticsearch es, UniqueCountDefinition definition) {
        RealtimeTailer tailer = new RealtimeTailer(es.client(), definition, Clock.fixed(NOW, ZoneOffset.UTC), executor);
        closing.add(0, tailer);
        tailer.start();
        return tailer;
    }

    static long uniques(RealtimeTailer tailer, Instant granule, List<String> values) {
        return tailer.granule(granule)
                .map(g -> g.sketches().get(values))
                .map(HllSketch::estimate)
                .orElse(-1L);
    }

    static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for: %s", what).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    static long polls(RealtimeTailer tailer) {
        return ((Number) tailer.status().get("polls")).longValue();
    }

    @Test
    void eventsIndexedWhileTailing_appearInTheirGranuleWithinTwoPolls(TestElasticsearch es) throws Exception {
        String index = events(es, "rt-new");
        RealtimeTailer tailer = tailer(es, definition(index, Duration.ofHours(1), Duration.ofMinutes(10)));
        await("first poll", Duration.ofSeconds(10), () -> polls(tailer) >= 1);
        assertThat(tailer.tailedThrough()).contains(NOW);

        es.requests().bulkIndex(index, batch(G10.plusSeconds(60), 0, 120));
        long pollsWhenIndexed = polls(tailer);
        long indexed = System.nanoTime();
        await("120 users in 10:00", Duration.ofSeconds(10), () -> uniques(tailer, G10, ALL) == 120);

        assertThat(polls(tailer) - pollsWhenIndexed).as("polls until visible").isLessThanOrEqualTo(2);
        assertThat(Duration.ofNanos(System.nanoTime() - indexed))
                .isLessThan(POLL.multipliedBy(2).plusSeconds(2));
        assertThat(uniques(tailer, G10, List.of("KR", BucketKey.ALL))).isEqualTo(48);
        assertThat(uniques(tailer, G10, List.of(BucketKey.MISSING, "mobile"))).isEqualTo(8);
        assertThat(tailer.granule(G9))
                .as("read and found empty: held with no sketch and no page views, so a question reads nothing")
                .hasValueSatisfying(empty -> {
                    assertThat(empty.sketches()).isEmpty();
                    assertThat(empty.pageViews()).contains(Map.of());
                });
    }

    @Test
    void lateEvent_withinTheOverlap_isCaught_andEventsBeforeTheFloorAreIgnored(TestElasticsearch es) throws Exception {
        String index = events(es, "rt-late");
        es.requests().bulkIndex(index, batch(G10.plusSeconds(300), 0, 10));
        RealtimeTailer tailer = tailer(es, definition(index, Duration.ofHours(1), Duration.ofMinutes(10)));
        await("10:00 tailed", Duration.ofSeconds(10), () -> uniques(tailer, G10, ALL) == 10);

        es.requests().bulkIndex(index, batch(G9.plusSeconds(15 * 60), 100, 5)); // 09:15, behind the 10:05 cursor
        es.requests().bulkIndex(index, batch(G8.minusSeconds(1800), 200, 5)); // 07:30, before the floor
        long before = polls(tailer);
        await("late events in 09:00", Duration.ofSeconds(10), () -> uniques(tailer, G9, ALL) == 5);

        assertThat(polls(tailer) - before).isLessThanOrEqualTo(2);
        assertThat(tailer.granule(Instant.parse("2025-05-05T07:00:00Z"))).isEmpty();
        assertThat(tailer.status().get("floor")).isEqualTo(G8.toString());
    }

    @Test
    void sketchesAndPageViews_areTheBatchJobs_andAGranuleIsDroppedOnceThePrecomputeCompletes(TestElasticsearch es)
            throws Exception {
        String index = events(es, "rt-batch");
        es.requests().bulkIndex(index, batch(G8.plusSeconds(10), 0, 1_500)); // past the exact limit of 1,024
        es.requests().bulkIndex(index, batch(G8.plusSeconds(20), 0, 40)); // the same users again: page views only
        es.requests()
                .bulkIndex(index, List.of(Map.of("@timestamp", G8.plusSeconds(5).toString(), "country", "KR")));
        es.requests().bulkIndex(index, batch(G10, 5, 30));
        UniqueCountDefinition definition = definition(index, Duration.ofHours(1), Duration.ofMinutes(10));
        RealtimeTailer tailer = tailer(es, definition);
        await(
                "08:00 tailed",
                Duration.ofSeconds(10),
                () -> tailer.granule(G8).isPresent() && tailer.granule(G10).isPresent());
        Map<List<String>, HllSketch> tailed = tailer.granule(G8).orElseThrow().sketches();
        Map<List<String>, Long> tailedPageViews =
                tailer.granule(G8).orElseThrow().pageViews().orElseThrow();

        PrecomputeJob.builder(es.client(), definition)
                .granulesPerRequest(200)
                .clock(Clock.fixed(NOW, ZoneOffset.UTC))
                .build()
                .run(G8, G9);

        Map<String, com.fasterxml.jackson.databind.JsonNode> stored =
                UvDocuments.all(es.requests(), UvIndex.name(definition));
        int compared = 0;
        for (com.fasterxml.jackson.databind.JsonNode doc : stored.values()) {
            if (doc.path("level").asText().equals("1h")
                    && doc.path("start").asText().equals(G8.toString())) {
                List<String> values = List.of(
                        doc.path("dimensions").path("country").asText(),
                        doc.path("dimensions").path("device").asText());
                assertThat(tailedPageViews.get(values))
                        .as("page views of %s: the event without a user, and users seen twice, counted", values)
                        .isEqualTo(doc.path("pv").asLong());
                if (doc.path("uv").asLong() == 0) {
                    assertThat(tailed).doesNotContainKey(values); // only the event without a user
                    continue;
                }
                assertThat(tailed.get(values).toBase64())
                        .as("sketch of %s", values)
                        .isEqualTo(doc.path("sketch").asText());
                compared++;
            }
        }
        assertThat(compared).isEqualTo(tailed.size()).isEqualTo(12); // (KR, US, missing, all) x (mobile, desktop, all)
        assertThat(tailedPageViews.get(ALL)).isEqualTo(1_541);
        assertThat(tailedPageViews)
                .as("the event without a user: combinations with page views and no sketch")
                .containsKeys(List.of("KR", BucketKey.MISSING), List.of(BucketKey.ALL, BucketKey.MISSING))
                .hasSize(14);
        assertThat(tailed.get(ALL).isExact()).isFalse();

        await("08:00 dropped", Duration.ofSeconds(10), () -> tailer.granule(G8).isEmpty());
        assertThat(tailer.granule(G10)).isPresent();
        assertThat(tailer.status().get("floor")).isEqualTo(G9.toString());
    }

    @Test
    void restart_restoresThePersistedSketches_andReReadsOnlyFromTheCursorMinusTheOverlap(TestElasticsearch es)
            throws Exception {
        String index = events(es, "rt-restore");
        es.requests().bulkIndex(index, batch(G8.plusSeconds(10), 0, 50));
        es.requests().bulkIndex(index, batch(G10.plusSeconds(300), 1000, 7));
        UniqueCountDefinition definition = definition(index, Duration.ZERO, POLL);
        RealtimeTailer first = tailer(es, definition);
        await(
                "persisted",
                Duration.ofSeconds(10),
                () -> first.status().get("last_persisted_at") != null && uniques(first, G10, ALL) == 7);
        Map<Long, RealtimeSketches.Granule> before = first.granules();
        first.close();

        RealtimeTailer second = tailer(es, definition);
        await("second polled", Duration.ofSeconds(10), () -> polls(second) >= 1);

        assertThat(second.status().get("restored_from"))
                .isEqualTo(G10.plusSeconds(306).toString());
        assertThat(((Number) second.status().get("last_poll_hits")).longValue())
                .as("re-read")
                .isLessThanOrEqualTo(1);
        assertThat(serialized(second.granules())).isEqualTo(serialized(before));
        assertThat(uniques(second, G8, ALL)).isEqualTo(50);
    }

    @Test
    void elasticsearchDownAtStart_theTailerRetries_andResumesOnItsOwnWhenItIsUp(TestElasticsearch es, @TempDir Path dir)
            throws Exception {
        String index = events(es, "rt-down");
        es.requests().bulkIndex(index, batch(G10.plusSeconds(60), 0, 9));
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        RestClient later = RestClient.builder(new HttpHost("127.0.0.1", port)).build();
        closing.add(later);
        UniqueCountDefinition definition = definition(index, Duration.ofHours(1), Duration.ofMinutes(10));
        RealtimeTailer tailer = new RealtimeTailer(later, definition, Clock.fixed(NOW, ZoneOffset.UTC), executor);
        closing.add(0, tailer);
        tailer.start();
        await(
                "a failed attempt",
                Duration.ofSeconds(10),
                () -> tailer.status().get("state").equals("waiting_for_elasticsearch"));
        assertThat((String) tailer.status().get("last_error")).contains("Connection refused");
        assertThat(tailer.tailedThrough()).isEmpty();

        // Elasticsearch "appears" at that address: Sketchgate's own passthrough to the real node
        ProxyUnderTest proxy =
                ProxyUnderTest.forElasticsearch(es.baseUri()).port(port).start(dir);
        closing.add(proxy);

        await(
                "tailing",
                Duration.ofSeconds(20),
                () -> uniques(tailer, G10, ALL) == 9
                        && tailer.status().get("state").equals("tailing"));
        assertThat(tailer.status().get("last_error")).isNull();
    }

    static Map<Long, Map<List<String>, String>> serialized(Map<Long, RealtimeSketches.Granule> granules) {
        Map<Long, Map<List<String>, String>> result = new java.util.TreeMap<>();
        granules.forEach((start, granule) -> {
            Map<List<String>, String> bytes = new java.util.HashMap<>();
            granule.sketches().forEach((values, sketch) -> bytes.put(values, sketch.toBase64()));
            result.put(start, bytes);
        });
        return result;
    }
}
