package io.sketchgate.uniques;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.sketchgate.config.EdgeReads;
import io.sketchgate.demo.PageView;
import io.sketchgate.hll.HllSketch;
import io.sketchgate.hll.SketchHash;
import io.sketchgate.testing.RealElasticsearch;
import io.sketchgate.testing.TestElasticsearch;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The query engine against precomputed generated web logs with known truth ({@link UvFixture}). */
@RealElasticsearch
class UvQueryEngineTest {
    private static UvFixture DATA;
    private static UvQueryEngine engine;

    @BeforeAll
    static void load(TestElasticsearch es) throws Exception {
        DATA = UvFixture.shared(es);
        engine = new UvQueryEngine(
                es.client(), RealtimeSketches.NONE, new SketchCache(SketchCache.DEFAULT_MAX_BYTES), Runnable::run);
    }

    @ParameterizedTest
    @ValueSource(strings = {"UTC", "Asia/Seoul"})
    void closedDays_inAPrecomputedZone_areExactAndEqualTheTruth(String zone) throws Exception {
        List<UvQuestion.TimeSlice> days = days(LocalDate.parse("2025-02-10"), 7, ZoneId.of(zone));

        UvAnswer answer = engine.answerNow(question(days, Map.of(), List.of()));

        assertThat(answer.rows()).hasSize(7);
        for (UvAnswer.Row row : answer.rows()) {
            WebLogTruth.Counts truth = DATA.truth(
                    row.slice().orElseThrow().start(), row.slice().orElseThrow().end());
            assertThat(row.count())
                    .as("day %s", row.slice())
                    .isEqualTo(UvCount.exact(truth.users.size(), truth.pageViews, UvCount.DataSource.BATCH));
        }
        assertThat(answer.stats().edgeSlices()).isZero();
        assertThat(answer.stats().storedBuckets())
                .as("one day document per slice, and the ISO week's (a Monday to a Sunday) for the total")
                .isEqualTo(8);
        WebLogTruth.Counts week = DATA.truth(days.get(0).start(), days.get(6).end());
        assertThat(answer.overall().pv()).isEqualTo(week.pageViews);
        assertThat(answer.overall().uvLower()).isLessThanOrEqualTo(week.users.size());
        assertThat(answer.overall().uvUpper()).isGreaterThanOrEqualTo(week.users.size());
        assertThat(answer.watermark()).contains(UvFixture.PRECOMPUTED_TO);
    }

    @ParameterizedTest
    @ValueSource(ints = {7, 30, 60})
    void unionOverManyDays_isWithinItsBoundsAndOnePercent_withExactPageViews(int days) throws Exception {
        Instant to = UvFixture.PRECOMPUTED_TO;
        Instant from = to.minus(Duration.ofDays(days));

        UvAnswer answer = engine.answerNow(new UvQuestion(
                DATA.definition, from, to, List.of(new UvQuestion.TimeSlice(from, to)), Map.of(), List.of()));

        WebLogTruth.Counts truth = DATA.truth(from, to);
        UvCount total = answer.overall();
        assertThat(truth.users.size())
                .as("more users than an exact sketch holds")
                .isGreaterThan(1024);
        assertThat(total.exact()).isFalse();
        assertThat((long) truth.users.size()).isBetween(total.uvLower(), total.uvUpper());
        assertThat(Math.abs(total.uv() - truth.users.size()) / (double) truth.users.size())
                .isLessThanOrEqualTo(0.01);
        assertThat(total.uv()).isEqualTo(sketchOf(truth).estimate());
        assertThat(total.pv()).isEqualTo(truth.pageViews);
        assertThat(answer.totals())
                .singleElement()
                .extracting(UvAnswer.Row::count)
                .isEqualTo(total);
        assertThat(answer.stats().storedBuckets())
                .as("months and weeks, not %d days", days)
                .isLessThan(12);
    }

    @Test
    void splitByCountry_filteredToOneDevice_isExactPerClosedDay() throws Exception {
        List<UvQuestion.TimeSlice> days = days(LocalDate.parse("2025-01-20"), 3, ZoneId.of("UTC"));

        UvAnswer answer = engine.answerNow(question(days, Map.of("device", Set.of("mobile")), List.of("country")));

        int rows = 0;
        for (UvQuestion.TimeSlice day : days) {
            Map<List<String>, WebLogTruth.Counts> truth =
                    DATA.truth(day.start(), day.end(), v -> v.device().equals("mobile"), v -> List.of(v.country()));
            for (UvAnswer.Row row : answer.rows()) {
                if (row.slice().orElseThrow().equals(day)) {
                    WebLogTruth.Counts expected = truth.get(List.of(row.split().get("country")));
                    assertThat(row.count())
                            .as("%s %s", day, row.split())
                            .isEqualTo(
                                    UvCount.exact(expected.users.size(), expected.pageViews, UvCount.DataSource.BATCH));
                    rows++;
                }
            }
            assertThat(answer.rows().stream()
                            .filter(r -> r.slice().orElseThrow().equals(day)))
                    .hasSize(truth.size());
        }
        assertThat(rows).isGreaterThan(3 * 5);
    }

    @Test
    void slicesUvOnly_countsEachSliceAsUsual_andOfTheTotalsOnlyTheirPageViews() throws Exception {
        List<UvQuestion.TimeSlice> days = days(LocalDate.parse("2025-01-20"), 6, ZoneId.of("UTC"));
        UvQuestion both = question(days, Map.of(), List.of("country"));
        UvQuestion slicesOnly = new UvQuestion(
                both.definition(),
                both.from(),
                both.to(),
                both.slices(),
                both.filters(),
                both.split(),
                UvQuestion.Measure.SLICE_UV,
                UvQuestion.RowSelection.ALL,
                both.edges());

        UvAnswer full = engine.answerNow(both);
        UvAnswer lean = engine.answerNow(slicesOnly);

        assertThat(lean.rows()).isEqualTo(full.rows());
        assertThat(lean.totals()).hasSameSizeAs(full.totals());
        for (int i = 0; i < full.totals().size(); i++) {
            assertThat(lean.totals().get(i).split())
                    .isEqualTo(full.totals().get(i).split());
            assertThat(lean.totals().get(i).count().pv())
                    .isEqualTo(full.totals().get(i).count().pv());
            assertThat(lean.totals().get(i).count().uv()).as("not counted").isZero();
            assertThat(full.totals().get(i).count().uv()).isPositive();
        }
        assertThat(lean.overallPageViews()).isEqualTo(full.overallPageViews());
    }

    @Test
    void splitByTwoDimensions_filteredToTwoCountries_equalsTheTruthPerDayAndInTotal() throws Exception {
        List<UvQuestion.TimeSlice> days = days(LocalDate.parse("2025-02-03"), 2, ZoneId.of("Asia/Seoul"));
        Set<String> countries = Set.of("DE", "JP");

        UvAnswer answer = engine.answerNow(question(days, Map.of("country", countries), List.of("device", "country")));

        for (UvAnswer.Row row : answer.rows()) {
            UvQuestion.TimeSlice day = row.slice().orElseThrow();
            WebLogTruth.Counts expected = DATA.truth(
                            day.start(),
                            day.end(),
                            v -> countries.contains(v.country()),
                            v -> List.of(v.device(), v.country()))
                    .get(List.of(row.split().get("device"), row.split().get("country")));
            assertThat(row.count())
                    .isEqualTo(UvCount.exact(expected.users.size(), expected.pageViews, UvCount.DataSource.BATCH));
        }
        Map<List<String>, WebLogTruth.Counts> totals = DATA.truth(
                days.get(0).start(),
                days.get(1).end(),
                v -> countries.contains(v.country()),
                v -> List.of(v.device(), v.country()));
        assertThat(answer.totals()).hasSize(totals.size());
        for (UvAnswer.Row total : answer.totals()) {
            WebLogTruth.Counts expected = totals.get(
                    List.of(total.split().get("device"), total.split().get("country")));
            assertThat(total.count().uv()).as("union of two days' exact sets").isEqualTo(expected.users.size());
            assertThat(total.count().exact()).isTrue();
            assertThat(total.count().pv()).isEqualTo(expected.pageViews);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 5})
    void anAnswersOverallCount_readAfterLaterQuestionsReusedThePooledUnions_isUnchanged(int slices) throws Exception {
        // one slice: its counts are the totals; five days: the totals are counts of their own
        Instant from = Instant.parse("2025-01-27T00:00:00Z");
        Instant to = from.plus(Duration.ofDays(5));
        List<UvQuestion.TimeSlice> asked = slices == 1
                ? List.of(new UvQuestion.TimeSlice(from, to))
                : days(LocalDate.parse("2025-01-27"), 5, ZoneId.of("UTC"));
        UvAnswer split = engine.answerNow(question(asked, Map.of(), List.of("country")));
        for (int later = 0; later < 3; later++) { // their counts borrow the unions the first question gave back
            Instant laterFrom = from.plus(Duration.ofDays(7L * (later + 1)));
            engine.answerNow(question(
                    List.of(new UvQuestion.TimeSlice(laterFrom, laterFrom.plus(Duration.ofDays(6)))),
                    Map.of(),
                    List.of("country")));
        }

        UvCount overall = split.overall(); // made now from the totals' counts, which were not given back

        WebLogTruth.Counts truth = DATA.truth(from, to);
        assertThat(overall.pv()).isEqualTo(truth.pageViews);
        assertThat((long) truth.users.size()).isBetween(overall.uvLower(), overall.uvUpper());
        assertThat(overall)
                .as("as the same question's overall count read right away")
                .isEqualTo(engine.answerNow(question(asked, Map.of(), List.of("country")))
                        .overall());
    }

    @Test
    void filterWithSeveralValues_isTheUnionOverThoseValues() throws Exception {
        List<UvQuestion.TimeSlice> day = days(LocalDate.parse("2025-02-20"), 1, ZoneId.of("UTC"));

        UvAnswer answer = engine.answerNow(question(day, Map.of("device", Set.of("tablet", "tv")), List.of()));

        WebLogTruth.Counts truth = DATA.truth(
                        day.get(0).start(),
                        day.get(0).end(),
                        v -> v.device().equals("tablet") || v.device().equals("tv"),
                        v -> List.of())
                .get(List.of());
        assertThat(answer.overall())
                .isEqualTo(UvCount.exact(truth.users.size(), truth.pageViews, UvCount.DataSource.BATCH));
        assertThat(answer.stats().storedBuckets()).isEqualTo(2);
    }

    @Test
    void unalignedSevenDays_withExactEdges_equalTheTruth_fromTheFineGranulesValuesMilliseconds_readingNothing()
            throws Exception {
        Instant from = Instant.parse("2025-02-11T10:37:30.250Z"); // off the minute: value minutes alone cannot tell
        Instant to = from.plus(Duration.ofDays(7));

        UvAnswer answer = engine.answerNow(new UvQuestion(
                        DATA.definition, from, to, List.of(new UvQuestion.TimeSlice(from, to)), Map.of(), List.of())
                .withEdges(EdgeReads.EXACT));

        WebLogTruth.Counts truth = DATA.truth(from, to);
        assertThat((long) truth.users.size())
                .isBetween(answer.overall().uvLower(), answer.overall().uvUpper());
        assertThat(answer.overall().uv())
                .as("a union of sketches loses nothing: the sketch of every value")
                .isEqualTo(sketchOf(truth).estimate());
        assertThat(answer.overall().pv()).isEqualTo(truth.pageViews);
        assertThat(answer.overall().source()).isEqualTo(UvCount.DataSource.BATCH);
        assertThat(answer.stats().edgeSlices())
                .as("10:37:30.250-10:40 and 10:35-10:37:30.250 seven days later: from their fine granules")
                .isZero();
        assertThat(answer.stats().sourceEvents()).isZero();
    }

    @Test
    void dayNotYetPrecomputed_isReadFromTheSource_andEqualsTheTruth() throws Exception {
        List<UvQuestion.TimeSlice> days = days(LocalDate.parse("2025-03-01"), 2, ZoneId.of("UTC"));

        UvAnswer answer = engine.answerNow(question(days, Map.of(), List.of()));

        WebLogTruth.Counts precomputed =
                DATA.truth(days.get(0).start(), days.get(0).end());
        WebLogTruth.Counts tail = DATA.truth(days.get(1).start(), days.get(1).end());
        assertThat(answer.rows())
                .extracting(UvAnswer.Row::count)
                .containsExactly(
                        UvCount.exact(precomputed.users.size(), precomputed.pageViews, UvCount.DataSource.BATCH),
                        UvCount.exact(tail.users.size(), tail.pageViews, UvCount.DataSource.REALTIME));
        assertThat(answer.stats().edgeSlices()).isEqualTo(1);
        assertThat(answer.totals().get(0).count().source()).isEqualTo(UvCount.DataSource.MIXED);
    }

    @Test
    void granulesTheTailerHolds_comeFromItsSketches_withPageViewsCountedInTheSource(TestElasticsearch es)
            throws Exception {
        Instant from = UvFixture.PRECOMPUTED_TO;
        Instant to = UvFixture.END;
        RealtimeSketches tailer = tailerOf(from, to);
        UvQueryEngine withTail = new UvQueryEngine(es.client(), tailer, new SketchCache(1 << 20), Runnable::run);

        UvAnswer answer = withTail.answerNow(new UvQuestion(
                DATA.definition,
                from,
                to,
                List.of(new UvQuestion.TimeSlice(from, to)),
                Map.of("device", Set.of("mobile")),
                List.of()));

        WebLogTruth.Counts truth = DATA.truth(from, to, v -> v.device().equals("mobile"), v -> List.of())
                .get(List.of());
        assertThat(answer.overall())
                .isEqualTo(UvCount.exact(truth.users.size(), truth.pageViews, UvCount.DataSource.REALTIME));
        assertThat(answer.stats().edgeSlices())
                .as("no distinct values read from the source")
                .isZero();
        assertThat(answer.stats().sketchesMerged()).isEqualTo(8);
        assertThat(answer.watermark()).contains(to);
    }

    @Test
    void theSameQuestionAgain_takesEverySketchFromTheCache(TestElasticsearch es) throws Exception {
        UvQueryEngine fresh = new UvQueryEngine(
                es.client(), RealtimeSketches.NONE, new SketchCache(SketchCache.DEFAULT_MAX_BYTES), Runnable::run);
        UvQuestion question =
                question(days(LocalDate.parse("2025-01-05"), 5, ZoneId.of("UTC")), Map.of(), List.of("device"));

        UvAnswer first = fresh.answerNow(question);
        UvAnswer second = fresh.answerNow(question);

        assertThat(first.stats().cacheHits()).isZero();
        assertThat(second.stats().cacheHits())
                .isEqualTo(second.stats().storedBuckets())
                .isPositive();
        assertThat(second.rows()).isEqualTo(first.rows());
        assertThat(fresh.cacheStats().hitCount()).isEqualTo(second.stats().cacheHits());
        assertThat(fresh.cacheStats().missCount()).isEqualTo(first.stats().storedBuckets());
    }

    @Test
    void unknownDimension_andThreeSplitDimensions_areRefusedNamingTheFix() {
        UvQuestion question = new UvQuestion(
                DATA.definition,
                UvFixture.PRECOMPUTED_TO.minus(Duration.ofDays(1)),
                UvFixture.PRECOMPUTED_TO,
                List.of(),
                Map.of("browser", Set.of("x")),
                List.of("country", "device", "os"));

        UniqueCountException error = catchThrowableOfType(() -> engine.answerNow(question), UniqueCountException.class);

        assertThat(error.problems())
                .contains(
                        "split: \"os\" is not a dimension of \"" + DATA.definition.name()
                                + "\"; its dimensions are [country, device]",
                        "split names 3 dimensions [country, device, os]; at most 2 are allowed",
                        "filter: \"browser\" is not a dimension of \"" + DATA.definition.name()
                                + "\"; its dimensions are [country, device]");
    }

    private static HllSketch sketchOf(WebLogTruth.Counts truth) {
        HllSketch sketch = HllSketch.create(14);
        truth.users.forEach(sketch::add);
        return sketch;
    }

    /** A tailer holding every granule of {@code [from, to)}, built from the generator as the real one would be. */
    private static RealtimeSketches tailerOf(Instant from, Instant to) {
        Map<Instant, Map<List<String>, HllSketch>> granules = new HashMap<>();
        for (Iterator<PageView> it = DATA.logs.iterator(); it.hasNext(); ) {
            PageView view = it.next();
            if (view.timestamp().isBefore(from) || !view.timestamp().isBefore(to)) {
                continue;
            }
            Map<List<String>, HllSketch> sketches = granules.computeIfAbsent(
                    Level.granuleStart(view.timestamp(), DATA.definition.granularity()), k -> new HashMap<>());
            for (int mask = 0; mask < 4; mask++) {
                List<String> values = List.of(
                        (mask & 1) != 0 ? view.country() : BucketKey.ALL,
                        (mask & 2) != 0 ? view.device() : BucketKey.ALL);
                sketches.computeIfAbsent(values, k -> HllSketch.create(14)).addHash(SketchHash.hash(view.userId()));
            }
        }
        return new RealtimeSketches() {
            @Override
            public Optional<Granule> granule(String definition, Instant start) {
                return Optional.ofNullable(granules.get(start)).map(s -> new Granule(start, s));
            }

            @Override
            public Optional<Instant> tailedThrough(String definition) {
                return Optional.of(to);
            }
        };
    }

    private static UvQuestion question(
            List<UvQuestion.TimeSlice> slices, Map<String, Set<String>> filters, List<String> split) {
        return new UvQuestion(
                DATA.definition,
                slices.get(0).start(),
                slices.get(slices.size() - 1).end(),
                slices,
                filters,
                split);
    }

    private static List<UvQuestion.TimeSlice> days(LocalDate first, int count, ZoneId zone) {
        List<UvQuestion.TimeSlice> days = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            days.add(new UvQuestion.TimeSlice(
                    first.plusDays(i).atStartOfDay(zone).toInstant(),
                    first.plusDays(i + 1).atStartOfDay(zone).toInstant()));
        }
        return days;
    }
}
