package io.sketchgate.uniques;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sketchgate.config.EdgeReads;
import io.sketchgate.es.EsJson;
import io.sketchgate.hll.HllSketch;
import io.sketchgate.testing.RealElasticsearch;
import io.sketchgate.testing.TestElasticsearch;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Edges of unaligned ranges from the stored fine tier (5m, root subset) of {@link UvFixture}'s 3h definition, against
 * the generator's truth.
 */
@RealElasticsearch
class UvQueryEngineFineEdgesTest {
    private static final Duration FINE = Duration.ofMinutes(5);
    private static final Duration GRANULE = Duration.ofHours(3);

    private static UvFixture DATA;
    private static UvQueryEngine engine;

    @BeforeAll
    static void load(TestElasticsearch es) throws Exception {
        DATA = UvFixture.shared(es);
        engine = new UvQueryEngine(
                es.client(), RealtimeSketches.NONE, new SketchCache(SketchCache.DEFAULT_MAX_BYTES), Runnable::run);
    }

    @Test
    void precompute_writesFineGranulesForTheRootSubsetOnly_holdingEveryEventOfTheirGranules(TestElasticsearch es)
            throws Exception {
        EsJson json = new EsJson(es.client());
        JsonNode answer = json.require(
                "POST",
                "/" + UvIndex.name(DATA.definition) + "/_search",
                Map.of(
                        "size",
                        0,
                        "track_total_hits",
                        true,
                        "query",
                        Map.of("term", Map.of("level", "5m")),
                        "aggs",
                        Map.of(
                                "pv",
                                Map.of("sum", Map.of("field", "pv")),
                                "dimensions",
                                Map.of(
                                        "filter",
                                        Map.of(
                                                "bool",
                                                Map.of(
                                                        "must_not",
                                                        List.of(
                                                                Map.of(
                                                                        "term",
                                                                        Map.of("dimensions.country", BucketKey.ALL)),
                                                                Map.of(
                                                                        "term",
                                                                        Map.of(
                                                                                "dimensions.device",
                                                                                BucketKey.ALL)))))))),
                Map.of());

        assertThat(answer.path("hits").path("total").path("value").asLong())
                .as("fine granules with events")
                .isGreaterThan(1000);
        assertThat(answer.path("aggregations")
                        .path("dimensions")
                        .path("doc_count")
                        .asLong())
                .as("no fine document splits by a dimension")
                .isZero();
        assertThat(answer.path("aggregations").path("pv").path("value").asLong())
                .as("every precomputed event is in one fine granule")
                .isEqualTo(DATA.truth(DATA.logs.start(), UvFixture.PRECOMPUTED_TO).pageViews);
    }

    @Test
    void precompute_keepsEachFineGranulesPageViewsPerMinute(TestElasticsearch es) throws Exception {
        Instant start = Instant.parse("2025-02-11T10:35:00Z");
        JsonNode hit = storedSource(
                es, Map.of("term", Map.of("level", "5m")), Map.of("term", Map.of("start", start.toString())));

        JsonNode minutes = hit.path("pv_by_minute");
        assertThat(minutes.size()).isEqualTo(5);
        for (int i = 0; i < 5; i++) {
            Instant minute = start.plus(Duration.ofMinutes(i));
            assertThat(minutes.get(i).asLong())
                    .as("%s", minute)
                    .isEqualTo(DATA.truth(minute, minute.plus(Duration.ofMinutes(1))).pageViews);
        }
        assertThat(hit.path("pv").asLong()).isEqualTo(DATA.truth(start, start.plus(FINE)).pageViews);
    }

    @Test
    void precompute_keepsEverySubsetsGranulePageViewsPerMinute(TestElasticsearch es) throws Exception {
        Instant start = Instant.parse("2025-02-11T09:00:00Z");
        JsonNode hit = storedSource(
                es,
                Map.of("term", Map.of("level", "3h")),
                Map.of("term", Map.of("start", start.toString())),
                Map.of("term", Map.of("dimensions.country", "DE")),
                Map.of("term", Map.of("dimensions.device", BucketKey.ALL)));

        JsonNode minutes = hit.path("pv_by_minute");
        assertThat(minutes.size()).as("a 3h granule's minutes").isEqualTo(180);
        long sum = 0;
        for (int i = 0; i < 180; i++) {
            Instant minute = start.plus(Duration.ofMinutes(i));
            long expected = DATA.truth(
                            minute, minute.plus(Duration.ofMinutes(1)), v -> "DE".equals(v.country()), v -> List.of())
                    .getOrDefault(List.of(), new WebLogTruth.Counts())
                    .pageViews;
            assertThat(minutes.get(i).asLong()).as("%s", minute).isEqualTo(expected);
            sum += minutes.get(i).asLong();
        }
        assertThat(sum).isEqualTo(hit.path("pv").asLong()).isPositive();
    }

    @Test
    void precompute_keepsTheFirstAndLastMinuteOfEveryValueOfAGranuleKeptAsAnExactSet(TestElasticsearch es)
            throws Exception {
        Visit visit = twoVisitsInOneGranule();
        Instant start = visit.granule();
        JsonNode hit = storedSource(
                es,
                Map.of("term", Map.of("level", "3h")),
                Map.of("term", Map.of("start", start.toString())),
                Map.of("term", Map.of("dimensions.country", BucketKey.ALL)),
                Map.of("term", Map.of("dimensions.device", visit.device())));
        Map<Long, int[]> truth = new java.util.HashMap<>();
        for (java.util.Iterator<io.sketchgate.demo.PageView> it = DATA.logs.iterator(); it.hasNext(); ) {
            io.sketchgate.demo.PageView view = it.next();
            long offset = view.timestamp().toEpochMilli() - start.toEpochMilli();
            if (visit.device().equals(view.device()) && offset >= 0 && offset < GRANULE.toMillis()) {
                int minute = (int) (offset / 60_000);
                truth.merge(io.sketchgate.hll.SketchHash.hash(view.userId()), new int[] {minute, minute}, (a, b) ->
                        new int[] {Math.min(a[0], b[0]), Math.max(a[1], b[1])});
            }
        }

        long[] hashes = HllSketch.fromBase64(hit.path("sketch").asText()).exactHashes();
        byte[] minutes =
                java.util.Base64.getDecoder().decode(hit.path("value_minutes").asText());

        assertThat(hashes).as("an exact set").isNotNull().hasSize(truth.size());
        assertThat(minutes).hasSize(2 * hashes.length);
        for (int i = 0; i < hashes.length; i++) {
            assertThat(new int[] {Byte.toUnsignedInt(minutes[2 * i]), Byte.toUnsignedInt(minutes[2 * i + 1])})
                    .as("value %d", i)
                    .containsExactly(truth.get(hashes[i]));
        }
    }

    @Test
    void cutsOnFiveMinuteBoundaries_comeFromTheFineTier_withoutReadingTheSource() throws Exception {
        Instant from = Instant.parse("2025-02-11T10:35:00Z");
        Instant to = Instant.parse("2025-02-18T09:25:00Z");

        UvAnswer answer = engine.answerNow(total(from, to));

        WebLogTruth.Counts truth = DATA.truth(from, to);
        assertThat(answer.overall().uv())
                .as("the union of the sketch of every value in the range")
                .isEqualTo(sketchOf(truth.users).estimate());
        assertThat((long) truth.users.size())
                .isBetween(answer.overall().uvLower(), answer.overall().uvUpper());
        assertThat(answer.overall().pv()).isEqualTo(truth.pageViews);
        assertThat(answer.overall().source()).isEqualTo(UvCount.DataSource.BATCH);
        assertThat(answer.stats().edgeSlices()).isZero();
        assertThat(answer.stats().sourceEvents()).isZero();
    }

    @Test
    void aShortRangeOnFiveMinuteBoundaries_isExact() throws Exception {
        Instant from = Instant.parse("2025-02-11T10:35:00Z");
        Instant to = Instant.parse("2025-02-11T15:40:00Z");

        UvAnswer answer = engine.answerNow(total(from, to));

        WebLogTruth.Counts truth = DATA.truth(from, to);
        assertThat(answer.overall())
                .isEqualTo(UvCount.exact(truth.users.size(), truth.pageViews, UvCount.DataSource.BATCH));
        assertThat(answer.stats().edgeSlices()).isZero();
    }

    @Test
    void aCutInsideOneGranule_isAnEstimate_boundedByTheUsersWithAnEventKnownInsideAndThoseWithEventsAround()
            throws Exception {
        // both ends inside one of the 3h granules that a split question's edges read: the widest gap between two
        // events of one user and device in one granule, so that user has events before and after the cut, none inside
        Instant[] gap =
                widestGapOfOneUser(Instant.parse("2025-02-11T00:00:00Z"), Instant.parse("2025-02-18T00:00:00Z"));
        Instant from = gap[0].plusMillis(1);
        Instant to = gap[1];
        UvQuestion question = new UvQuestion(DATA.definition, from, to, List.of(), Map.of(), List.of("device"));

        UvAnswer answer = engine.answerNow(question);

        Map<List<String>, WebLogTruth.Counts> truth = DATA.truth(from, to, v -> true, v -> List.of(v.device()));
        assertThat(answer.totals()).hasSize(truth.size());
        for (UvAnswer.Row row : answer.totals()) {
            WebLogTruth.Counts expected = truth.get(List.of(row.split().get("device")));
            UvCount count = row.count();
            assertThat((long) expected.users.size()).isBetween(count.uvLower(), count.uvUpper());
            assertThat(count.uv()).isBetween(count.uvLower(), count.uvUpper());
            assertThat(count.pv()).as("page views stay exact").isEqualTo(expected.pageViews);
        }
        assertThat(answer.totals())
                .as("a device with a user seen before and after the cut only")
                .anyMatch(row -> !row.count().exact());
        assertThat(answer.stats().edgeSlices()).as("no distinct values read").isZero();

        UvAnswer exact = engine.answerNow(question.withEdges(EdgeReads.EXACT));
        for (UvAnswer.Row row : exact.totals()) {
            WebLogTruth.Counts expected = truth.get(List.of(row.split().get("device")));
            assertThat(row.count())
                    .as("exact edges: the whole cut read from the source")
                    .isEqualTo(UvCount.exact(expected.users.size(), expected.pageViews, UvCount.DataSource.REALTIME));
        }
    }

    /**
     * Two consecutive events of one user on one device in one granule of {@code [from, to)}, the furthest apart.
     */
    private static Instant[] widestGapOfOneUser(Instant from, Instant to) {
        Map<List<String>, Instant> previous = new java.util.HashMap<>();
        Instant[] widest = null;
        for (java.util.Iterator<io.sketchgate.demo.PageView> it = DATA.logs.iterator(); it.hasNext(); ) {
            io.sketchgate.demo.PageView view = it.next();
            if (view.timestamp().isBefore(from) || !view.timestamp().isBefore(to)) {
                continue;
            }
            String granule = Level.granuleStart(view.timestamp(), GRANULE).toString();
            Instant before = previous.put(List.of(view.userId(), view.device(), granule), view.timestamp());
            if (before != null
                    && (widest == null
                            || Duration.between(before, view.timestamp())
                                            .compareTo(Duration.between(widest[0], widest[1]))
                                    > 0)) {
                widest = new Instant[] {before, view.timestamp()};
            }
        }
        assertThat(widest).as("a user with two events on one device").isNotNull();
        return widest;
    }

    @Test
    void aCutInsideFineGranules_overSevenDays_holdsTheTruthWithinItsBounds_andCountsEveryEvent() throws Exception {
        Instant from = Instant.parse("2025-02-11T10:37:00Z");
        Instant to = from.plus(Duration.ofDays(7));

        UvAnswer answer = engine.answerNow(total(from, to));

        WebLogTruth.Counts truth = DATA.truth(from, to);
        UvCount count = answer.overall();
        assertThat(truth.users.size()).as("beyond exact sets").isGreaterThan(HllSketch.DEFAULT_EXACT_LIMIT);
        assertThat(count.exact()).isFalse();
        assertThat((long) truth.users.size()).isBetween(count.uvLower(), count.uvUpper());
        assertThat(count.pv()).isEqualTo(truth.pageViews);
        assertThat(answer.stats().edgeSlices()).isZero();
    }

    @Test
    void hourlySlicesOfARangeCutOnWholeMinutes_areEachExact() throws Exception {
        Instant from = Instant.parse("2025-02-12T07:52:00Z");
        Instant to = Instant.parse("2025-02-12T13:08:00Z");
        List<UvQuestion.TimeSlice> slices = new ArrayList<>();
        slices.add(new UvQuestion.TimeSlice(from, Instant.parse("2025-02-12T08:00:00Z")));
        for (Instant at = Instant.parse("2025-02-12T08:00:00Z");
                at.isBefore(Instant.parse("2025-02-12T13:00:00Z"));
                at = at.plus(Duration.ofHours(1))) {
            slices.add(new UvQuestion.TimeSlice(at, at.plus(Duration.ofHours(1))));
        }
        slices.add(new UvQuestion.TimeSlice(Instant.parse("2025-02-12T13:00:00Z"), to));

        UvAnswer answer = engine.answerNow(new UvQuestion(DATA.definition, from, to, slices, Map.of(), List.of()));

        assertThat(answer.rows()).hasSize(slices.size());
        for (UvAnswer.Row row : answer.rows()) {
            UvQuestion.TimeSlice slice = row.slice().orElseThrow();
            WebLogTruth.Counts truth = DATA.truth(slice.start(), slice.end());
            assertThat(row.count())
                    .as("%s", slice)
                    .isEqualTo(UvCount.exact(truth.users.size(), truth.pageViews, UvCount.DataSource.BATCH));
        }
        WebLogTruth.Counts truth = DATA.truth(from, to);
        assertThat(answer.overall().uv()).isEqualTo(sketchOf(truth.users).estimate());
        assertThat(answer.overall().pv()).isEqualTo(truth.pageViews);
        assertThat(answer.stats().edgeSlices()).isZero();
    }

    @Test
    void pageViewsOnly_ofACutInsideFineGranules_areExact() throws Exception {
        Instant from = Instant.parse("2025-02-11T10:37:00Z");
        Instant to = Instant.parse("2025-02-14T16:42:00Z");

        UvAnswer answer = engine.answerNow(new UvQuestion(
                DATA.definition,
                from,
                to,
                List.of(new UvQuestion.TimeSlice(from, to)),
                Map.of(),
                List.of(),
                UvQuestion.Measure.PV_ONLY,
                UvQuestion.RowSelection.ALL,
                EdgeReads.FINE));

        assertThat(answer.overall().pv()).isEqualTo(DATA.truth(from, to).pageViews);
        assertThat(answer.stats().sourceEvents()).isZero();
    }

    @ParameterizedTest
    @EnumSource(EdgeReads.class)
    void aCutInsideFineGranules_onWholeMinutesAndOffThem_isExact_fromTheValuesFirstAndLastEvents_readingNothing(
            EdgeReads edges) throws Exception {
        for (String[] range : new String[][] {
            {"2025-02-11T10:37:00Z", "2025-02-11T15:43:00Z"}, {"2025-02-11T10:37:30.125Z", "2025-02-11T15:43:20.001Z"}
        }) {
            Instant from = Instant.parse(range[0]);
            Instant to = Instant.parse(range[1]);

            UvAnswer answer = engine.answerNow(total(from, to).withEdges(edges));

            WebLogTruth.Counts truth = DATA.truth(from, to);
            assertThat(truth.users.size()).as("still an exact set").isLessThanOrEqualTo(HllSketch.DEFAULT_EXACT_LIMIT);
            assertThat(answer.overall())
                    .as("%s - %s", from, to)
                    .isEqualTo(UvCount.exact(truth.users.size(), truth.pageViews, UvCount.DataSource.BATCH));
            assertThat(answer.stats().edgeSlices())
                    .as("no distinct values read")
                    .isZero();
            assertThat(answer.stats().sourceEvents()).isZero();
        }
        long offTheMinute = DATA.truth(
                        Instant.parse("2025-02-11T10:37:30.125Z"), Instant.parse("2025-02-11T15:43:20.001Z"))
                .users
                .size();
        long wholeMinutesInside = DATA.truth(
                        Instant.parse("2025-02-11T10:38:00Z"), Instant.parse("2025-02-11T15:43:00Z"))
                .users
                .size();
        assertThat(offTheMinute)
                .as("the cut minutes hold users the whole minutes inside do not")
                .isGreaterThan(wholeMinutesInside);
    }

    @Test
    void aSplitAndFilteredQuestion_cutOnWholeMinutes_isExact_fromItsGranulesValuesMinutes_readingNothing()
            throws Exception {
        Instant from = Instant.parse("2025-02-11T10:37:00Z");
        Instant to = Instant.parse("2025-02-11T15:43:00Z");

        UvAnswer answer = engine.answerNow(new UvQuestion(
                DATA.definition, from, to, List.of(), Map.of("country", Set.of("DE", "JP")), List.of("device")));

        Map<List<String>, WebLogTruth.Counts> truth =
                DATA.truth(from, to, v -> Set.of("DE", "JP").contains(v.country()), v -> List.of(v.device()));
        assertThat(answer.totals()).hasSize(truth.size());
        for (UvAnswer.Row row : answer.totals()) {
            WebLogTruth.Counts expected = truth.get(List.of(row.split().get("device")));
            assertThat(row.count())
                    .as("%s", row.split())
                    .isEqualTo(UvCount.exact(expected.users.size(), expected.pageViews, UvCount.DataSource.BATCH));
        }
        assertThat(answer.stats().edgeSlices()).as("no distinct values read").isZero();
        assertThat(answer.stats().sourceEvents())
                .as("cuts on whole minutes: the page views come from the granules' minutes, no event is read")
                .isZero();
    }

    @Test
    void aSplitQuestionCutOffTheMinute_takesItsCutsPageViewsFromTheFinestCombinations_andCountsEveryEventExactly()
            throws Exception {
        Instant from = Instant.parse("2025-02-11T10:37:30Z");
        Instant to = Instant.parse("2025-02-11T15:43:20Z");

        UvAnswer answer =
                engine.answerNow(new UvQuestion(DATA.definition, from, to, List.of(), Map.of(), List.of("device")));

        Map<List<String>, WebLogTruth.Counts> truth = DATA.truth(from, to, v -> true, v -> List.of(v.device()));
        assertThat(answer.totals()).hasSize(truth.size());
        for (UvAnswer.Row row : answer.totals()) {
            WebLogTruth.Counts expected = truth.get(List.of(row.split().get("device")));
            assertThat(row.count().pv()).isEqualTo(expected.pageViews);
            assertThat((long) expected.users.size())
                    .isBetween(row.count().uvLower(), row.count().uvUpper());
        }
        assertThat(answer.stats().sourceEvents())
                .as("off the minute, the cuts' page views come from the granules of country and device, each keeping"
                        + " its events' milliseconds: nothing read")
                .isZero();

        // filtered, not split: the device subset's granules keep no milliseconds; the finest ones passing the filter
        UvAnswer filtered = engine.answerNow(new UvQuestion(
                DATA.definition, from, to, List.of(), Map.of("device", java.util.Set.of("mobile")), List.of()));
        assertThat(filtered.overall().pv())
                .as("mobile page views only")
                .isEqualTo(DATA.truth(from, to, v -> v.device().equals("mobile"), v -> List.of())
                        .get(List.of())
                        .pageViews);
        assertThat(filtered.stats().sourceEvents()).isZero();
    }

    @Test
    void aSplitQuestion_withExactEdges_onWholeMinutes_isExact_withoutARead() throws Exception {
        Instant from = Instant.parse("2025-02-11T10:37:00Z");
        Instant to = Instant.parse("2025-02-11T15:43:00Z");

        UvAnswer answer = engine.answerNow(new UvQuestion(
                        DATA.definition, from, to, List.of(), Map.of("country", Set.of("DE", "JP")), List.of("device"))
                .withEdges(EdgeReads.EXACT));

        assertExactPerDevice(answer, from, to, v -> Set.of("DE", "JP").contains(v.country()));
        assertThat(answer.stats().edgeSlices()).isZero();
    }

    @Test
    void aSplitQuestion_withExactEdges_insideOneGranule_readsTheSource_whenAUsersMinutesCannotTell() throws Exception {
        // both ends inside one granule, between two visits of a user on one device: from its minutes alone, the
        // user may or may not have had an event between
        Visit visit = twoVisitsInOneGranule();
        Instant from = visit.first().plus(Duration.ofMinutes(1));
        Instant to = visit.second();

        UvAnswer answer =
                engine.answerNow(new UvQuestion(DATA.definition, from, to, List.of(), Map.of(), List.of("device"))
                        .withEdges(EdgeReads.EXACT));

        assertExactPerDevice(answer, from, to, v -> true);
        assertThat(answer.stats().edgeSlices())
                .as("the range read from the source")
                .isEqualTo(1);
    }

    /** Two consecutive visits of one user on one device, whole minutes apart, in one 3h granule: floors to minutes. */
    private record Visit(String device, Instant granule, Instant first, Instant second) {}

    private static Visit twoVisitsInOneGranule() {
        Map<String, Instant> last = new java.util.HashMap<>();
        for (java.util.Iterator<io.sketchgate.demo.PageView> it = DATA.logs.iterator(); it.hasNext(); ) {
            io.sketchgate.demo.PageView view = it.next();
            Instant minute = Instant.ofEpochMilli(Math.floorDiv(view.timestamp().toEpochMilli(), 60_000) * 60_000);
            Instant granule = Level.granuleStart(view.timestamp(), GRANULE);
            if (!granule.isBefore(Instant.parse("2025-02-10T00:00:00Z"))
                    && granule.plus(GRANULE).isBefore(UvFixture.PRECOMPUTED_TO)) {
                Instant before = last.put(view.userId() + "/" + view.device(), minute);
                if (before != null
                        && Level.granuleStart(before, GRANULE).equals(granule)
                        && before.plus(Duration.ofMinutes(3)).isBefore(minute)) {
                    return new Visit(view.device(), granule, before, minute);
                }
            }
        }
        throw new AssertionError("no user visits twice in one granule");
    }

    private static void assertExactPerDevice(
            UvAnswer answer,
            Instant from,
            Instant to,
            java.util.function.Predicate<io.sketchgate.demo.PageView> events) {
        Map<List<String>, WebLogTruth.Counts> truth = DATA.truth(from, to, events, v -> List.of(v.device()));
        assertThat(answer.totals()).hasSize(truth.size());
        for (UvAnswer.Row row : answer.totals()) {
            WebLogTruth.Counts expected = truth.get(List.of(row.split().get("device")));
            assertThat(row.count().exact()).isTrue();
            assertThat(row.count().uv()).isEqualTo(expected.users.size());
            assertThat(row.count().pv()).isEqualTo(expected.pageViews);
        }
    }

    /** The {@code _source} of the one stored document matching every filter. */
    @SafeVarargs
    private static JsonNode storedSource(TestElasticsearch es, Map<String, Object>... filters) throws Exception {
        return new EsJson(es.client())
                .require(
                        "POST",
                        "/" + UvIndex.name(DATA.definition) + "/_search",
                        Map.of("size", 1, "query", Map.of("bool", Map.of("filter", List.of(filters)))),
                        Map.of())
                .path("hits")
                .path("hits")
                .path(0)
                .path("_source");
    }

    private static UvQuestion total(Instant from, Instant to) {
        return new UvQuestion(
                DATA.definition, from, to, List.of(new UvQuestion.TimeSlice(from, to)), Map.of(), List.of());
    }

    private static Instant floor(Instant at) {
        return Instant.ofEpochMilli(Math.floorDiv(at.toEpochMilli(), FINE.toMillis()) * FINE.toMillis());
    }

    private static Instant ceil(Instant at) {
        Instant floor = floor(at);
        return floor.equals(at) ? at : floor.plus(FINE);
    }

    private static HllSketch sketchOf(Set<String> users) {
        HllSketch sketch = HllSketch.create(14);
        users.forEach(sketch::add);
        return sketch;
    }
}
