package io.sketchgate.uniques;

import static org.assertj.core.api.Assertions.assertThat;

import io.sketchgate.config.UniqueCountDefinition;
import io.sketchgate.testing.TestDefinitions;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which cover a daily question's totals take: the slices', the whole range's, or the days between its end slices. */
class TotalsCoverTest {
    private static final ZoneId UTC = ZoneId.of("UTC");
    private static final UniqueCountDefinition DEFINITION = TestDefinitions.definition(
            "d",
            "logs-*",
            "@timestamp",
            "user",
            List.of("country"),
            Duration.ofHours(1),
            List.of(UTC),
            14,
            Duration.ofMinutes(15),
            1000);
    private static final Coverage ALL_PRECOMPUTED = TestSlices.ALL_PRECOMPUTED;
    private final SliceCover cover = new SliceCover(DEFINITION);

    /**
     * 23 days from 10:37 to 16:43: each end day is cut into granules, so the whole range's cover (the cut days
     * again, plus weeks) is not half the slices' buckets; the days between the end slices are three weeks and a day.
     */
    @Test
    void anUnalignedDailyQuestion_takesTheWeeksBetweenItsCutEndDays_andTheEndSlicesCounts() {
        UvQuestion question = daily(Instant.parse("2026-03-01T10:37:00Z"), Instant.parse("2026-03-23T16:43:00Z"));

        Optional<UvQueryEngine.TotalsCover> totals = totalsCover(question);

        assertThat(totals).isPresent();
        assertThat(totals.get().betweenEndSlices()).isTrue();
        assertThat(totals.get().pieces())
                .containsExactly(
                        new SliceCover.Stored(Level.WEEK, UTC, t("2026-03-02T00:00:00Z"), t("2026-03-09T00:00:00Z")),
                        new SliceCover.Stored(Level.WEEK, UTC, t("2026-03-09T00:00:00Z"), t("2026-03-16T00:00:00Z")),
                        new SliceCover.Stored(Level.WEEK, UTC, t("2026-03-16T00:00:00Z"), t("2026-03-23T00:00:00Z")));
    }

    @Test
    void anAlignedMonth_takesItsMonthBucket_ratherThanTheWeeksBetweenItsFirstAndLastDay() {
        UvQuestion question = daily(Instant.parse("2026-03-01T00:00:00Z"), Instant.parse("2026-04-01T00:00:00Z"));

        Optional<UvQueryEngine.TotalsCover> totals = totalsCover(question);

        assertIsTheMarchBucket(totals);
    }

    @Test
    void aShortUnalignedDailyQuestion_takesItsTotalsFromItsSlices() {
        UvQuestion question = daily(Instant.parse("2026-03-04T10:37:00Z"), Instant.parse("2026-03-07T16:43:00Z"));

        assertThat(totalsCover(question)).isEmpty(); // two whole days between the cut ones: no cheaper cover
    }

    @Test
    void aTopNChart_countsItsCutEndDaysForEveryValue_andTheWeeksBetween_ratherThanTheCutDaysTwice() {
        UvQuestion topN = topN(daily(Instant.parse("2026-03-01T10:37:00Z"), Instant.parse("2026-03-23T16:43:00Z")));

        Optional<UvQueryEngine.TotalsCover> totals = totalsCover(topN);

        assertThat(totals).isPresent();
        assertThat(totals.get().betweenEndSlices()).isTrue();
        assertThat(totals.get().pieces())
                .hasSize(3)
                .allMatch(piece -> ((SliceCover.Stored) piece).level() == Level.WEEK);
    }

    @Test
    void aTopNChart_overAnAlignedMonth_takesTheMonthBucket() {
        UvQuestion topN = topN(daily(Instant.parse("2026-03-01T00:00:00Z"), Instant.parse("2026-04-01T00:00:00Z")));

        Optional<UvQueryEngine.TotalsCover> totals = totalsCover(topN);

        assertIsTheMarchBucket(totals);
    }

    private static void assertIsTheMarchBucket(Optional<UvQueryEngine.TotalsCover> totals) {
        assertThat(totals).isPresent();
        assertThat(totals.get().betweenEndSlices()).isFalse();
        assertThat(totals.get().pieces())
                .containsExactly(
                        new SliceCover.Stored(Level.MONTH, UTC, t("2026-03-01T00:00:00Z"), t("2026-04-01T00:00:00Z")));
    }

    private static UvQuestion topN(UvQuestion every) {
        return new UvQuestion(
                DEFINITION,
                every.from(),
                every.to(),
                every.slices(),
                Map.of(),
                List.of("country"),
                UvQuestion.Measure.UV_AND_PV,
                totals -> split -> true,
                every.edges());
    }

    private Optional<UvQueryEngine.TotalsCover> totalsCover(UvQuestion question) {
        List<List<SliceCover.Piece>> sliceCovers = new ArrayList<>();
        question.slices()
                .forEach(slice -> sliceCovers.add(
                        cover.cover(slice.start(), slice.end(), ALL_PRECOMPUTED, start -> Optional.empty())));
        return UvQueryEngine.totalsCover(
                question, true, cover, sliceCovers, ALL_PRECOMPUTED, start -> Optional.empty());
    }

    private static UvQuestion daily(Instant from, Instant to) {
        return new UvQuestion(DEFINITION, from, to, TestSlices.utcDays(from, to), Map.of(), List.of("country"));
    }

    private static Instant t(String instant) {
        return Instant.parse(instant);
    }
}
