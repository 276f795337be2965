package io.sketchgate.uniques;

import static org.assertj.core.api.Assertions.assertThat;

import io.sketchgate.config.EdgeReads;
import io.sketchgate.testing.IndexNames;
import io.sketchgate.testing.RealElasticsearch;
import io.sketchgate.testing.RecordingClient;
import io.sketchgate.testing.TestElasticsearch;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.RestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The in-memory catalogue of stored buckets and the sketch cache, counted on the wire of a real node. */
@RealElasticsearch
class BucketCatalogueTest {
    /** The proxy "now" of these tests: just after the fixture's precompute. */
    private static final Clock CLOCK = Clock.fixed(UvFixture.PRECOMPUTED_TO.plusSeconds(3600), ZoneOffset.UTC);

    private static UvFixture DATA;
    private static RecordingClient recording;
    private static RestClient counted;
    private static List<String> REQUESTS;

    @BeforeAll
    static void load(TestElasticsearch es) throws Exception {
        DATA = UvFixture.shared(es);
        recording = RecordingClient.to(es.baseUri());
        counted = recording.client();
        REQUESTS = recording.requests();
    }

    @AfterAll
    static void close() throws Exception {
        recording.close();
    }

    @BeforeEach
    void clear() {
        REQUESTS.clear();
    }

    @Test
    void afterStart_questionsOverTheWarmedDays_makeNoElasticsearchRequest() throws Exception {
        try (BucketCatalogue catalogue = warmed(14)) {
            UvQueryEngine engine = new UvQueryEngine(counted, RealtimeSketches.NONE, catalogue, Runnable::run);
            REQUESTS.clear();

            // distinct questions, never asked before: every window of 1 to 5 days (3h-aligned) in the warmed days
            int asked = 0;
            Instant warmedFrom = UvFixture.PRECOMPUTED_TO.minus(Duration.ofDays(13));
            for (int startGranule = 0; startGranule < 16; startGranule++) {
                for (int days = 1; days <= 5; days++) {
                    Instant from = warmedFrom.plus(Duration.ofHours(3L * startGranule));
                    Instant to = from.plus(Duration.ofDays(days));
                    UvAnswer answer = engine.answerNow(question(from, to, List.of(), Map.of()));
                    assertThat(answer.overall().pv()).as("%s..%s", from, to).isEqualTo(DATA.truth(from, to).pageViews);
                    asked++;
                }
            }
            UvAnswer split = engine.answerNow(
                    question(warmedFrom, warmedFrom.plus(Duration.ofDays(3)), List.of("country"), Map.of()));

            assertThat(asked).isEqualTo(80);
            assertThat(split.totals()).hasSizeGreaterThan(1);
            assertThat(REQUESTS).as("requests while answering").isEmpty();
        }
    }

    @Test
    void warming_fillsUpToSevenEighthsOfTheCache_soEverySketchThatFitsIsRead() throws Exception {
        SketchCache roomy = new SketchCache(SketchCache.DEFAULT_MAX_BYTES);
        try (BucketCatalogue catalogue = warmed(14, roomy)) {
            assertThat(catalogue.documents())
                    .as("more documents than one warm-up batch")
                    .isGreaterThan(3_000);
        }
        long everything = roomy.weightedSize();
        assertThat(everything).isLessThan(SketchCache.DEFAULT_MAX_BYTES / 2);

        // a bound the warmed sketches fill to 80 %: all of them are read, and no split question over the oldest
        // days (the last warmed) makes a request
        SketchCache tight = new SketchCache(everything * 5 / 4);
        try (BucketCatalogue catalogue = warmed(14, tight)) {
            assertThat(tight.weightedSize()).isEqualTo(everything);
            UvQueryEngine engine = new UvQueryEngine(counted, RealtimeSketches.NONE, catalogue, Runnable::run);
            REQUESTS.clear();
            Instant oldest = UvFixture.PRECOMPUTED_TO.minus(Duration.ofDays(13));
            UvAnswer split =
                    engine.answerNow(question(oldest, oldest.plus(Duration.ofDays(2)), List.of("device"), Map.of()));
            assertThat(split.totals()).hasSizeGreaterThan(1);
            assertThat(REQUESTS)
                    .as("requests of a split question over the oldest days")
                    .isEmpty();
        }
    }

    @Test
    void aQuestionOverInMemoryBuckets_isAnsweredOnTheCallingThread_aColdOneInThePool() throws Exception {
        try (BucketCatalogue catalogue = warmed(3)) {
            List<Runnable> pooled = Collections.synchronizedList(new ArrayList<>());
            UvQueryEngine engine = new UvQueryEngine(counted, RealtimeSketches.NONE, catalogue, pooled::add);
            REQUESTS.clear();
            Instant warmedTo = UvFixture.PRECOMPUTED_TO;
            Instant from = warmedTo.minus(Duration.ofDays(2));

            java.util.concurrent.CompletableFuture<UvAnswer> warm =
                    engine.answer(question(from, warmedTo, List.of(), Map.of()));
            // split, before the warmed days: its sketches are not in memory (the root subset's are, of every day)
            java.util.concurrent.CompletableFuture<UvAnswer> cold = engine.answer(question(
                    DATA.logs.start(), DATA.logs.start().plus(Duration.ofDays(2)), List.of("device"), Map.of()));
            java.util.concurrent.CompletableFuture<UvAnswer> oldRoot = engine.answer(
                    question(DATA.logs.start(), DATA.logs.start().plus(Duration.ofDays(2)), List.of(), Map.of()));
            assertThat(oldRoot)
                    .as("the root subset is warmed over the whole coverage")
                    .isDone();

            assertThat(warm)
                    .as("answered before the call returned")
                    .isCompletedWithValueMatching(
                            answer -> answer.overall().pv() == DATA.truth(from, warmedTo).pageViews);
            assertThat(REQUESTS).as("requests for the warm question").isEmpty();
            assertThat(cold).as("waits for its sketches in the pool").isNotDone();
            assertThat(pooled).hasSize(1);
            pooled.get(0).run();
            assertThat(cold).isCompleted();
            assertThat(REQUESTS).singleElement().asString().contains("/_mget");

            // off the minute: its page views from the fine granule's events' milliseconds, at once
            REQUESTS.clear();
            Instant offMinute = from.plusMillis(61_234);
            java.util.concurrent.CompletableFuture<UvAnswer> cut =
                    engine.answer(question(offMinute, warmedTo, List.of(), Map.of()));
            assertThat(cut)
                    .as("answered before the call returned")
                    .isCompletedWithValueMatching(
                            answer -> answer.overall().pv() == DATA.truth(offMinute, warmedTo).pageViews);
            assertThat(pooled).as("nothing more in the pool").hasSize(1);
            assertThat(REQUESTS).isEmpty();
        }
    }

    @Test
    void withoutEventMillis_aCutOffTheMinutesCount_isSentFromTheCallingThread_andOverlapsTheMerge() throws Exception {
        try (BucketCatalogue catalogue = warmed(3, new SketchCache(SketchCache.DEFAULT_MAX_BYTES), 0)) {
            List<Runnable> pooled = Collections.synchronizedList(new ArrayList<>());
            UvQueryEngine engine = new UvQueryEngine(counted, RealtimeSketches.NONE, catalogue, pooled::add);
            Instant warmedTo = UvFixture.PRECOMPUTED_TO;
            Instant offMinute = warmedTo.minus(Duration.ofDays(2)).plusMillis(61_234);
            REQUESTS.clear();

            UvAnswer counted = engine.answer(question(offMinute, warmedTo, List.of(), Map.of()))
                    .get(1, java.util.concurrent.TimeUnit.MINUTES);

            assertThat(counted.overall().pv()).isEqualTo(DATA.truth(offMinute, warmedTo).pageViews);
            assertThat(pooled).as("nothing in the pool").isEmpty();
            assertThat(REQUESTS)
                    .singleElement()
                    .asString()
                    .contains("/_search?")
                    .contains("doc_count");
        }
    }

    @Test
    void eventMillis_areHeldForTheNewestFineGranules_withinTheirBound() throws Exception {
        long bound = 64L << 10;
        try (BucketCatalogue catalogue = warmed(3, new SketchCache(SketchCache.DEFAULT_MAX_BYTES), bound)) {
            UvQueryEngine engine = new UvQueryEngine(counted, RealtimeSketches.NONE, catalogue, Runnable::run);
            BucketCatalogue.Shelf shelf =
                    catalogue.shelfInMemory(DATA.definition).orElseThrow();
            // the root subset's fine granules and the granules of the finest subset (country and device) keep theirs
            List<StoredBuckets.Document> fine = shelf.pieces.values().stream()
                    .flatMap(documents -> documents.all().stream())
                    .filter(document -> document.level().equals(Level.FINE.label("3h"))
                            || document.level().equals("3h") && DimensionSubsets.mask(document.dimensionValues()) == 3)
                    .sorted(java.util.Comparator.comparing(StoredBuckets.Document::start))
                    .toList();
            long held = fine.stream()
                    .filter(document -> document.eventMillis().isPresent())
                    .mapToLong(document -> document.eventMillis().memoryBytes())
                    .sum();
            Instant oldestHeld = fine.stream()
                    .filter(document -> document.eventMillis().isPresent())
                    .map(StoredBuckets.Document::start)
                    .min(Instant::compareTo)
                    .orElseThrow();

            assertThat(held)
                    .isEqualTo(shelf.eventMillisBytes())
                    .isLessThanOrEqualTo(bound)
                    .isGreaterThan(bound / 2);
            assertThat(fine)
                    .as("the newest granules hold theirs, the older none")
                    .filteredOn(document -> !document.eventMillis().isPresent())
                    .isNotEmpty()
                    .allMatch(document -> !document.start().isAfter(oldestHeld));
            assertThat(fine)
                    .filteredOn(document -> document.start().isAfter(oldestHeld))
                    .allMatch(document -> document.eventMillis().isPresent());

            Instant newest =
                    UvFixture.PRECOMPUTED_TO.minus(Duration.ofMinutes(5)).plusMillis(12_345);
            Instant oldest = fine.get(0).start().plusMillis(12_345);
            REQUESTS.clear();
            UvAnswer recent = engine.answerNow(question(newest, UvFixture.PRECOMPUTED_TO, List.of(), Map.of()));
            assertThat(REQUESTS)
                    .as("a cut in a granule holding its events' milliseconds")
                    .isEmpty();
            UvAnswer old = engine.answerNow(question(oldest, oldest.plus(Duration.ofHours(6)), List.of(), Map.of()));
            assertThat(REQUESTS)
                    .as("a cut in an older granule is counted")
                    .singleElement()
                    .asString()
                    .contains("doc_count");
            assertThat(recent.overall().pv()).isEqualTo(DATA.truth(newest, UvFixture.PRECOMPUTED_TO).pageViews);
            assertThat(old.overall().pv()).isEqualTo(DATA.truth(oldest, oldest.plus(Duration.ofHours(6))).pageViews);
        }
    }

    @Test
    void withoutEventMillis_aSplitQuestionCutOffTheMinute_sendsItsPageViewReadFromTheCallingThread_aTopNPickInThePool()
            throws Exception {
        try (BucketCatalogue catalogue = warmed(3, new SketchCache(SketchCache.DEFAULT_MAX_BYTES), 0)) {
            List<Runnable> pooled = Collections.synchronizedList(new ArrayList<>());
            UvQueryEngine engine = new UvQueryEngine(counted, RealtimeSketches.NONE, catalogue, pooled::add);
            Instant warmedTo = UvFixture.PRECOMPUTED_TO;
            Instant offMinute = warmedTo.minus(Duration.ofDays(2)).plusMillis(61_234);
            REQUESTS.clear();

            UvAnswer split = engine.answer(question(offMinute, warmedTo, List.of("device"), Map.of()))
                    .get(1, java.util.concurrent.TimeUnit.MINUTES);

            assertThat(pooled)
                    .as("its one read is sent from the calling thread, not from the pool")
                    .isEmpty();
            assertThat(REQUESTS)
                    .as("one page-view read of the cuts, no values")
                    .singleElement()
                    .asString()
                    .contains("/" + DATA.definition.source() + "/_search?")
                    .contains("aggregations.rows");
            Map<List<String>, WebLogTruth.Counts> truth =
                    DATA.truth(offMinute, warmedTo, v -> true, v -> List.of(v.device()));
            assertThat(split.totals()).hasSize(truth.size());
            for (UvAnswer.Row row : split.totals()) {
                assertThat(row.count().pv())
                        .as("page views of %s", row.split())
                        .isEqualTo(truth.get(List.of(row.split().get("device"))).pageViews);
            }

            // a top-N pick needs the cuts' page views before it picks: waited for in the pool, not on this thread
            UvQuestion topOne = new UvQuestion(
                    DATA.definition,
                    offMinute,
                    warmedTo,
                    List.of(new UvQuestion.TimeSlice(offMinute, warmedTo)),
                    Map.of(),
                    List.of("device"),
                    UvQuestion.Measure.UV_AND_PV,
                    totals -> values -> true,
                    EdgeReads.FINE);
            assertThat(engine.answer(topOne)).isNotDone();
            assertThat(pooled).hasSize(1);
        }
    }

    @Test
    void cutsOnWholeMinutes_andOffTheMinute_takeTheirPageViewsFromTheFineGranules_withNoRequest() throws Exception {
        try (BucketCatalogue catalogue = warmed(14)) {
            UvQueryEngine engine = new UvQueryEngine(counted, RealtimeSketches.NONE, catalogue, Runnable::run);
            REQUESTS.clear();
            Instant from = Instant.parse("2025-02-25T10:37:00Z");
            Instant to = Instant.parse("2025-02-26T15:43:00Z");
            Instant fromOffMinute = Instant.parse("2025-02-25T10:37:30.250Z");

            java.util.concurrent.CompletableFuture<UvAnswer> onMinutes =
                    engine.answer(question(from, to, List.of(), Map.of()));
            assertThat(onMinutes).as("answered in memory").isDone();
            List<String> onMinutesRequests = List.copyOf(REQUESTS);
            UvAnswer offMinute = engine.answerNow(question(fromOffMinute, to, List.of(), Map.of()));

            assertThat(onMinutes.join().overall().exact())
                    .as("cuts on whole minutes inside fine granules: exact from the values' minutes")
                    .isEqualTo(DATA.truth(from, to).users.size() <= io.sketchgate.hll.HllSketch.DEFAULT_EXACT_LIMIT);
            assertThat(onMinutes.join().overall().pv()).isEqualTo(DATA.truth(from, to).pageViews);
            assertThat(onMinutesRequests).as("requests on whole minutes").isEmpty();
            assertThat(offMinute.overall().pv()).isEqualTo(DATA.truth(fromOffMinute, to).pageViews);
            assertThat(REQUESTS)
                    .as("off the minute: the fine granules' events' milliseconds")
                    .isEmpty();
        }
    }

    @Test
    void aColdQuestion_makesOneRequest_forAllItsMissingSketches() throws Exception {
        try (BucketCatalogue catalogue = new BucketCatalogue(
                counted, new SketchCache(SketchCache.DEFAULT_MAX_BYTES), Duration.ofMinutes(10), 0, CLOCK)) {
            catalogue.start(() -> List.of(DATA.definition));
            UvQueryEngine engine = new UvQueryEngine(counted, RealtimeSketches.NONE, catalogue, Runnable::run);
            engine.answerNow(question(
                    Instant.parse("2025-01-01T00:00:00Z"),
                    Instant.parse("2025-01-02T00:00:00Z"),
                    List.of(),
                    Map.of())); // loads the catalogue
            REQUESTS.clear();

            Instant from = Instant.parse("2025-01-03T00:00:00Z");
            List<UvQuestion.TimeSlice> days = new ArrayList<>();
            for (Instant day = from; day.isBefore(UvFixture.PRECOMPUTED_TO); day = day.plus(Duration.ofDays(1))) {
                days.add(new UvQuestion.TimeSlice(day, day.plus(Duration.ofDays(1))));
            }
            UvAnswer answer = engine.answerNow(
                    new UvQuestion(DATA.definition, from, UvFixture.PRECOMPUTED_TO, days, Map.of(), List.of("device")));

            assertThat(answer.stats().storedBuckets())
                    .as("a day document per slice and device")
                    .isGreaterThan(150);
            assertThat(REQUESTS).singleElement().asString().contains("/_mget");
        }
    }

    @Test
    void theSketchCacheBound_holdsUnderTenThousandDistinctQuestions() throws Exception {
        long bound = 256L << 10;
        SketchCache sketches = new SketchCache(bound);
        try (BucketCatalogue catalogue = new BucketCatalogue(counted, sketches, Duration.ofMinutes(10), 0, CLOCK)) {
            UvQueryEngine engine = new UvQueryEngine(counted, RealtimeSketches.NONE, catalogue, Runnable::run);
            Instant first = DATA.logs.start();
            long granules = Duration.between(first, UvFixture.PRECOMPUTED_TO).toHours() / 3;
            int asked = 0;
            long maxSeen = 0;
            // every window of 1 to 24 granules (3 h to 3 days): 10,000 distinct questions
            for (int length = 1; length <= 24 && asked < 10_000; length++) {
                for (long start = 0; start + length <= granules && asked < 10_000; start++) {
                    Instant from = first.plus(Duration.ofHours(3 * start));
                    engine.answerNow(question(from, from.plus(Duration.ofHours(3L * length)), List.of(), Map.of()));
                    maxSeen = Math.max(maxSeen, sketches.weightedSize());
                    asked++;
                }
            }

            assertThat(asked).isEqualTo(10_000);
            assertThat(maxSeen).isLessThanOrEqualTo(bound).isGreaterThan(bound / 2);
            assertThat(sketches.stats().evictionCount()).isPositive();
            assertThat(sketches.statistics().estimatedSize())
                    .as("sketches weighed by their real size: far more than bound / 16 KB")
                    .isGreaterThan(4 * bound / 16_384);
        }
    }

    @Test
    void theCatalogue_seesThisProcessesSchedulerWrite_andAnotherInstancesWrite(TestElasticsearch es) throws Exception {
        UvFixture own = new UvFixture(IndexNames.unique("uv-catalogue-logs"), IndexNames.unique("uv-catalogue"));
        own.loadAndPrecompute(es);
        Instant day = Instant.parse("2025-01-05T00:00:00Z");
        UvQuestion oneDay = new UvQuestion(
                own.definition,
                day,
                day.plus(Duration.ofDays(1)),
                List.of(new UvQuestion.TimeSlice(day, day.plus(Duration.ofDays(1)))),
                Map.of(),
                List.of());
        try (BucketCatalogue here = new BucketCatalogue(
                        es.client(), new SketchCache(SketchCache.DEFAULT_MAX_BYTES), Duration.ofMinutes(10), 0, CLOCK);
                BucketCatalogue other = new BucketCatalogue(
                        es.client(),
                        new SketchCache(SketchCache.DEFAULT_MAX_BYTES),
                        Duration.ofMillis(200),
                        0,
                        CLOCK)) {
            here.start(() -> List.of(own.definition));
            other.start(() -> List.of(own.definition));
            UvQueryEngine hereEngine = new UvQueryEngine(es.client(), RealtimeSketches.NONE, here, Runnable::run);
            UvQueryEngine otherEngine = new UvQueryEngine(es.client(), RealtimeSketches.NONE, other, Runnable::run);
            long before = hereEngine.answerNow(oneDay).overall().uv();
            assertThat(otherEngine.answerNow(oneDay).overall().uv()).isEqualTo(before);

            // this process's scheduler recomputes the day after a late event of a new user, and says so
            late(es, own, day, "late-user-1");
            recompute(es, own, day);
            here.written(own.definition);

            assertThat(awaitUv(hereEngine, oneDay, before + 1))
                    .as("seen at once, not after the 10 min refresh interval")
                    .isEqualTo(before + 1);
            // for the other instance it was another instance's write: its background refresh finds it
            assertThat(awaitUv(otherEngine, oneDay, before + 1)).isEqualTo(before + 1);
            for (BucketCatalogue catalogue : List.of(here, other)) {
                List<StoredBuckets.Document> held = catalogue.shelf(own.definition).pieces.values().stream()
                        .flatMap(piece -> piece.all().stream())
                        .toList();
                assertThat(catalogue.documents())
                        .as("rewritten documents replace theirs, counted once")
                        .isEqualTo(held.size());
                assertThat(catalogue.memoryBytes())
                        .as("kept up to date as documents are put and replaced")
                        .isEqualTo(held.stream()
                                .mapToLong(StoredBuckets.Document::memoryBytes)
                                .sum());
            }
        }
    }

    private static long awaitUv(UvQueryEngine engine, UvQuestion question, long expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        long uv;
        do {
            uv = engine.answerNow(question).overall().uv();
            if (uv == expected) {
                return uv;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        return uv;
    }

    private static void late(TestElasticsearch es, UvFixture fixture, Instant day, String user) throws Exception {
        Request late = new Request("PUT", "/" + fixture.logs.indexFor(day) + "/_doc/" + user);
        late.addParameter("refresh", "true");
        late.setJsonEntity("{\"@timestamp\":\"" + day.plus(Duration.ofHours(13)) + "\",\"user_id\":\"" + user
                + "\",\"country\":\"KR\",\"device\":\"mobile\",\"url\":\"/\",\"status\":200,\"bytes\":1}");
        es.client().performRequest(late);
    }

    private static void recompute(TestElasticsearch es, UvFixture fixture, Instant day) throws Exception {
        PrecomputeJob.builder(es.client(), fixture.definition)
                .granulesPerRequest(64)
                .recompute(true)
                .clock(Clock.fixed(UvFixture.PRECOMPUTED_TO.plus(Duration.ofHours(1)), ZoneOffset.UTC))
                .build()
                .run(day, day.plus(Duration.ofDays(1)));
    }

    /** A catalogue started over the fixture's definition, its sketches of the newest {@code warmDays} warmed. */
    private static BucketCatalogue warmed(int warmDays) throws Exception {
        return warmed(warmDays, new SketchCache(SketchCache.DEFAULT_MAX_BYTES));
    }

    private static BucketCatalogue warmed(int warmDays, SketchCache sketches) throws Exception {
        return warmed(warmDays, sketches, io.sketchgate.config.UvCacheConfig.DEFAULT.maxEventMillisBytes());
    }

    private static BucketCatalogue warmed(int warmDays, SketchCache sketches, long maxEventMillisBytes)
            throws Exception {
        BucketCatalogue catalogue =
                new BucketCatalogue(counted, sketches, Duration.ofMinutes(10), warmDays, maxEventMillisBytes, CLOCK);
        catalogue.start(() -> List.of(DATA.definition));
        catalogue.warmed().get(2, java.util.concurrent.TimeUnit.MINUTES);
        return catalogue;
    }

    private static UvQuestion question(Instant from, Instant to, List<String> split, Map<String, Set<String>> filters) {
        return new UvQuestion(DATA.definition, from, to, List.of(new UvQuestion.TimeSlice(from, to)), filters, split);
    }
}
