package io.sketchgate.uniques;

import static org.assertj.core.api.Assertions.assertThat;

import io.sketchgate.config.UniqueCountDefinition;
import io.sketchgate.demo.SampleWebLogs;
import io.sketchgate.demo.SampleWebLogsLoader;
import io.sketchgate.testing.IndexNames;
import io.sketchgate.testing.RealElasticsearch;
import io.sketchgate.testing.TestDefinitions;
import io.sketchgate.testing.TestElasticsearch;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The acceptance case of issue 16: data starting at a UTC midnight, precomputed from the day before, and the
 * Asia/Seoul day that starts before the first event (2026-08-31T15:00Z) and ends after it. That day is stored
 * whole, so it must be answered from its one exact document, not as a union of granules.
 */
@RealElasticsearch
class UvQueryEngineZoneDayTest {
    private static final Instant PRECOMPUTED_FROM = Instant.parse("2026-08-31T00:00:00Z");
    private static final Instant PRECOMPUTED_TO = Instant.parse("2026-09-15T00:00:00Z");

    private static SampleWebLogs logs;
    private static UniqueCountDefinition definition;
    private static TestElasticsearch es;

    @BeforeAll
    static void load(TestElasticsearch elasticsearch) throws Exception {
        es = elasticsearch;
        String prefix = IndexNames.unique("uv-seoul-logs");
        logs = SampleWebLogs.builder()
                .seed(16)
                .events(60_000)
                .days(14)
                .users(20_000)
                .end(PRECOMPUTED_TO)
                .indexPrefix(prefix)
                .build();
        definition = TestDefinitions.definition(
                IndexNames.unique("uv-seoul"),
                prefix + "-*",
                "@timestamp",
                "user_id",
                List.of("country", "device"),
                Duration.ofHours(1),
                List.of(ZoneId.of("UTC"), ZoneId.of("Asia/Seoul")),
                14,
                Duration.ofMinutes(15),
                5_000_000);
        new SampleWebLogsLoader(es.client(), 0).load(logs, n -> {});
        PrecomputeJob.builder(es.client(), definition)
                .granulesPerRequest(48)
                .clock(Clock.fixed(PRECOMPUTED_TO.plus(Duration.ofMinutes(15)), ZoneOffset.UTC))
                .build()
                .run(PRECOMPUTED_FROM, PRECOMPUTED_TO);
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-08-31T15:00:00Z", "2026-09-01T15:00:00Z", "2026-09-13T15:00:00Z"})
    void aClosedSeoulDay_insideThePrecomputedRange_isExact(String start) throws Exception {
        Instant from = Instant.parse(start);
        Instant to = from.plus(Duration.ofDays(1));
        UvQueryEngine engine = new UvQueryEngine(
                es.client(), RealtimeSketches.NONE, new SketchCache(SketchCache.DEFAULT_MAX_BYTES), Runnable::run);

        UvAnswer answer = engine.answerNow(
                new UvQuestion(definition, from, to, List.of(new UvQuestion.TimeSlice(from, to)), Map.of(), List.of()));

        WebLogTruth.Counts truth = truth(from, to);
        assertThat(logs.start()).isEqualTo(Instant.parse("2026-09-01T00:00:00Z"));
        assertThat(truth.users.size())
                .as("more users than an exact sketch holds, so a union of granules would be an estimate")
                .isGreaterThan(1024);
        assertThat(answer.overall())
                .isEqualTo(UvCount.exact(truth.users.size(), truth.pageViews, UvCount.DataSource.BATCH));
        assertThat(answer.stats().storedBuckets()).as("the one day document").isEqualTo(1);
    }

    private static WebLogTruth.Counts truth(Instant from, Instant to) {
        WebLogTruth.Counts counts = new WebLogTruth.Counts();
        logs.events()
                .filter(v -> !v.timestamp().isBefore(from) && v.timestamp().isBefore(to))
                .forEach(v -> {
                    counts.users.add(v.userId());
                    counts.pageViews++;
                });
        return counts;
    }
}
