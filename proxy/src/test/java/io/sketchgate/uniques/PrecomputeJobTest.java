package io.sketchgate.uniques;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import io.sketchgate.config.UniqueCountDefinition;
import io.sketchgate.demo.SampleWebLogs;
import io.sketchgate.demo.SampleWebLogsLoader;
import io.sketchgate.es.EsJson;
import io.sketchgate.hll.HllSketch;
import io.sketchgate.testing.IndexNames;
import io.sketchgate.testing.RealElasticsearch;
import io.sketchgate.testing.SketchgateProcess;
import io.sketchgate.testing.TestDefinitions;
import io.sketchgate.testing.TestElasticsearch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The batch precompute against generated web logs with known truth: 60,000 events over 4 days ending
 * 2025-03-03T00:00Z (so UTC and Seoul months, ISO weeks and days all cross the data's edges).
 */
@RealElasticsearch
class PrecomputeJobTest {
    private static final String PREFIX = IndexNames.unique("weblogs-uv");
    private static final Instant END = Instant.parse("2025-03-03T00:00:00Z");
    private static final List<ZoneId> ZONES = List.of(ZoneId.of("UTC"), ZoneId.of("Asia/Seoul"));
    private static final SampleWebLogs LOGS = SampleWebLogs.builder()
            .seed(7)
            .events(60_000)
            .days(4)
            .users(20_000)
            .end(END)
            .indexPrefix(PREFIX)
            .build();
    private static final Instant FROM = LOGS.start();

    private static Map<String, JsonNode> uninterrupted;
    private static UniqueCountDefinition reference;

    @BeforeAll
    static void loadAndPrecompute(TestElasticsearch es) throws Exception {
        new SampleWebLogsLoader(es.client(), 0).load(LOGS, n -> {});
        reference = definition(IndexNames.unique("ref"));
        PrecomputeJob.Result result = job(es, reference).build().run(FROM, END);
        assertThat(result.bucketsWritten()).isPositive();
        uninterrupted = UvDocuments.all(es.requests(), UvIndex.name(reference));
    }

    static UniqueCountDefinition definition(String name) {
        return TestDefinitions.definition(
                name,
                PREFIX + "-*",
                "@timestamp",
                "user_id",
                List.of("country", "device"),
                Duration.ofHours(1),
                ZONES,
                14,
                Duration.ofMinutes(15),
                5_000_000);
    }

    static PrecomputeJob.Builder job(TestElasticsearch es, UniqueCountDefinition definition) {
        return PrecomputeJob.builder(es.client(), definition).granulesPerRequest(24);
    }

    @Test
    void everyBucket_ofEveryLevelZoneAndDimensionSubset_hasTheTrueUvAndPv() {
        Map<WebLogTruth.Key, WebLogTruth.Counts> truth = WebLogTruth.of(LOGS, Duration.ofHours(1), ZONES);
        Map<WebLogTruth.Key, JsonNode> stored = new HashMap<>();
        for (JsonNode doc : uninterrupted.values()) {
            JsonNode dims = doc.path("dimensions");
            stored.put(
                    new WebLogTruth.Key(
                            doc.path("level").asText(),
                            doc.path("time_zone").asText(),
                            Instant.parse(doc.path("start").asText()),
                            List.of(
                                    dims.path("country").asText(),
                                    dims.path("device").asText())),
                    doc);
        }

        assertThat(stored.keySet()).containsExactlyInAnyOrderElementsOf(truth.keySet());
        assertThat(truth.keySet()).extracting(WebLogTruth.Key::level).contains("5m", "1h", "day", "week", "month");
        int approximate = 0;
        int outside = 0;
        for (Map.Entry<WebLogTruth.Key, WebLogTruth.Counts> entry : truth.entrySet()) {
            JsonNode doc = stored.get(entry.getKey());
            long trueUv = entry.getValue().users.size();
            assertThat(doc.path("uv").asLong()).as("uv of %s", entry.getKey()).isEqualTo(trueUv);
            assertThat(doc.path("pv").asLong()).as("pv of %s", entry.getKey()).isEqualTo(entry.getValue().pageViews);
            assertThat(doc.path("exact").asBoolean()).isTrue();
            HllSketch sketch = HllSketch.fromBase64(doc.path("sketch").asText());
            assertThat(sketch.precision()).isEqualTo(14);
            if (sketch.isExact()) {
                assertThat(sketch.estimate()).isEqualTo(trueUv);
            } else {
                approximate++;
                if (trueUv < sketch.lowerBound(3) || trueUv > sketch.upperBound(3)) {
                    outside++;
                }
                assertThat(Math.abs(sketch.estimate() - trueUv) / (double) trueUv)
                        .as("error of %s", entry.getKey())
                        .isLessThan(0.05);
            }
        }
        assertThat(approximate).as("buckets above the sketch's exact limit").isPositive();
        assertThat(outside)
                .as("sketches whose 3-sigma bounds miss the truth, of %d", approximate)
                .isLessThanOrEqualTo(Math.max(1, approximate / 100));
    }

    @Test
    void documents_carryTheDefinitionVersionAndWatermark_andHaveNoOtherDefinitionsFields() {
        JsonNode any = uninterrupted.values().iterator().next();
        assertThat(any.path("definition_version").asText()).isEqualTo(reference.version());
        assertThat(any.path("watermark").asText()).isEqualTo("2025-04-01T00:00:00Z");
        assertThat(uninterrupted.values())
                .allSatisfy(
                        doc -> assertThat(doc.path("computed_at").isTextual()).isTrue());
    }

    @Test
    void rerunWithRecompute_writesIdenticalDocuments(TestElasticsearch es) throws Exception {
        PrecomputeJob.Result again = job(es, reference).recompute(true).build().run(FROM, END);

        assertThat(again.bucketsWritten()).isEqualTo(uninterrupted.size());
        Map<String, JsonNode> rerun = UvDocuments.all(es.requests(), UvIndex.name(reference));
        assertThat(UvDocuments.withoutComputedAt(rerun)).isEqualTo(UvDocuments.withoutComputedAt(uninterrupted));
    }

    @Test
    void rerunWithoutRecompute_ofACompletedRange_isUpToDate(TestElasticsearch es) throws Exception {
        PrecomputeJob.Result again = job(es, reference).build().run(FROM, END);

        assertThat(again.upToDate()).isTrue();
        assertThat(again.bucketsWritten()).isZero();
    }

    @Test
    void jobKilledMidRun_andRunAgain_endsWithTheSameDocumentsAsAnUninterruptedRun(
            TestElasticsearch es, @TempDir Path dir) throws Exception {
        UniqueCountDefinition killed = definition(IndexNames.unique("killed"));
        Path config = dir.resolve("sketchgate.yml");
        Files.writeString(config, """
                elasticsearch:
                  hosts: ["%s"]
                unique_counts:
                  - name: %s
                    source: "%s"
                    unique_field: user_id
                    dimensions: [country, device]
                    granularity: 1h
                    time_zones: [UTC, Asia/Seoul]
                """.formatted(es.baseUri(), killed.name(), killed.source()));
        Process child = SketchgateProcess.start(
                List.of("-Xmx128m"),
                dir.resolve("child.log"),
                "precompute",
                "--config",
                config.toString(),
                "--definition",
                killed.name(),
                "--from",
                FROM.toString(),
                "--to",
                END.toString(),
                "--granules-per-request",
                "1",
                "--page-size",
                "200",
                "--lease-ttl",
                "2s");
        Instant killAfter = FROM.plus(Duration.ofHours(30));
        JobStore store = new JobStore(new EsJson(es.client()));
        boolean killedMidRun = false;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline && child.isAlive()) {
            var checkpoint = es.requests()
                                    .client()
                                    .performRequest(new org.elasticsearch.client.Request("HEAD", "/" + JobStore.INDEX))
                                    .getStatusLine()
                                    .getStatusCode()
                            == 200
                    ? store.checkpoint(killed.name())
                    : java.util.Optional.<Checkpoint>empty();
            if (checkpoint.isPresent()
                    && checkpoint.get().status().equals(Checkpoint.RUNNING)
                    && checkpoint.get().position().isAfter(killAfter)) {
                child.destroyForcibly(); // SIGKILL: no shutdown hooks, no lease release
                child.waitFor(10, TimeUnit.SECONDS);
                killedMidRun = true;
                break;
            }
            Thread.sleep(10);
        }
        assertThat(killedMidRun)
                .as("killed while running; child output: %s", Files.readString(dir.resolve("child.log")))
                .isTrue();
        Checkpoint atKill = store.checkpoint(killed.name()).orElseThrow();
        assertThat(atKill.status()).isEqualTo(Checkpoint.RUNNING);
        assertThat(atKill.position()).isBefore(atKill.readTo());

        PrecomputeJob.Result resumed =
                job(es, killed).leaseWait(Duration.ofSeconds(30)).build().run(FROM, END);

        assertThat(resumed.resumed()).isTrue();
        Map<String, JsonNode> after = UvDocuments.all(es.requests(), UvIndex.name(killed));
        assertThat(UvDocuments.withoutComputedAt(after)).isEqualTo(UvDocuments.withoutComputedAt(uninterrupted));
        assertThat(store.checkpoint(killed.name()).orElseThrow().status()).isEqualTo(Checkpoint.COMPLETED);
    }

    @Test
    void secondJob_forTheSameDefinition_isRefusedWhileTheFirstHoldsTheLease(TestElasticsearch es) throws Exception {
        UniqueCountDefinition leased = definition(IndexNames.unique("leased"));
        JobStore store = new JobStore(new EsJson(es.client()));
        store.ensureIndex();
        try (JobLease first = JobLease.acquire(
                store, leased.name(), "first-process", Duration.ofMinutes(1), Duration.ZERO, Clock.systemUTC())) {
            UniqueCountException e = catchThrowableOfType(
                    UniqueCountException.class,
                    () -> job(es, leased).owner("second-process").build().run(FROM, END));

            assertThat(e).isNotNull();
            assertThat(e.problems())
                    .singleElement()
                    .asString()
                    .startsWith("the precompute job of \"" + leased.name() + "\" is already running in first-process"
                            + " (lease expires at ")
                    .endsWith("; wait for it to finish (or, if that process died, for its lease to expire),"
                            + " or pass --wait-for-lease");
        }
        // released: the next one may run
        try (JobLease next = JobLease.acquire(
                store, leased.name(), "third-process", Duration.ofMinutes(1), Duration.ZERO, Clock.systemUTC())) {
            assertThat(next.owner()).isEqualTo("third-process");
        }
    }

    @Test
    void range_notAlignedOrNotClosed_isRefusedNamingTheFix(TestElasticsearch es) {
        UniqueCountDefinition definition = definition(IndexNames.unique("range"));
        Clock clock = Clock.fixed(Instant.parse("2025-03-02T10:20:00Z"), ZoneId.of("UTC"));

        UniqueCountException e = catchThrowableOfType(
                UniqueCountException.class,
                () -> job(es, definition)
                        .clock(clock)
                        .build()
                        .run(Instant.parse("2025-03-01T00:30:00Z"), Instant.parse("2025-03-02T11:00:00Z")));

        assertThat(e.problems())
                .containsExactly(
                        "--from 2025-03-01T00:30:00Z is not on a 1h boundary of \"" + definition.name()
                                + "\"; use 2025-03-01T00:00:00Z or 2025-03-01T01:00:00Z",
                        "--to 2025-03-02T11:00:00Z is after the newest closed bucket of \"" + definition.name()
                                + "\", which ends at 2025-03-02T10:00:00Z (buckets close 15m after their end);"
                                + " use --to 2025-03-02T10:00:00Z or earlier");
    }
}
