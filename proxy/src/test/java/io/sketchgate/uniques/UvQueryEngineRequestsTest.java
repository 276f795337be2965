package io.sketchgate.uniques;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sketchgate.config.EdgeReads;
import io.sketchgate.es.EsJson;
import io.sketchgate.testing.IndexNames;
import io.sketchgate.testing.RealElasticsearch;
import io.sketchgate.testing.RecordingClient;
import io.sketchgate.testing.TestElasticsearch;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.http.HttpHost;
import org.apache.http.HttpRequestInterceptor;
import org.apache.http.HttpResponseInterceptor;
import org.apache.http.protocol.HttpCoreContext;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.RestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Which Elasticsearch requests the engine makes, counted on the wire of a real node. */
@RealElasticsearch
class UvQueryEngineRequestsTest {
    private static final List<String> REQUESTS = Collections.synchronizedList(new ArrayList<>());
    /** "sent <uri>" and "answered <uri>" in the order they happened. */
    private static final List<String> EVENTS = Collections.synchronizedList(new ArrayList<>());

    private static UvFixture DATA;
    private static RestClient counted;
    private static RestClient plain;
    private static RestClient beforeValueMillis;

    /** Every request sent, into {@link #REQUESTS} and {@link #EVENTS}. */
    private static final HttpRequestInterceptor RECORD_SENT = (request, context) -> {
        REQUESTS.add(request.getRequestLine().getMethod() + " "
                + request.getRequestLine().getUri());
        EVENTS.add("sent " + request.getRequestLine().getUri());
    };

    @BeforeAll
    static void load(TestElasticsearch es) throws Exception {
        DATA = UvFixture.shared(es);
        plain = es.client();
        counted = RestClient.builder(HttpHost.create(es.baseUri().toString()))
                .setHttpClientConfigCallback(http -> http.addInterceptorFirst(RECORD_SENT)
                        .addInterceptorLast((HttpResponseInterceptor) (response, context) -> EVENTS.add("answered "
                                + HttpCoreContext.adapt(context)
                                        .getRequest()
                                        .getRequestLine()
                                        .getUri())))
                .build();
        beforeValueMillis = countedBeforeValueMillis(es);
    }

    /**
     * A counted client that reads the stored documents as an earlier release wrote them, without their values'
     * milliseconds ({@code value_millis}): the {@code _mget} of sketches asks for every other field.
     */
    private static RestClient countedBeforeValueMillis(TestElasticsearch es) {
        return RestClient.builder(HttpHost.create(es.baseUri().toString()))
                .setHttpClientConfigCallback(http -> http.addInterceptorFirst(RECORD_SENT)
                        .addInterceptorFirst(RecordingClient.droppingField("value_millis")))
                .build();
    }

    @AfterAll
    static void close() throws Exception {
        counted.close();
        beforeValueMillis.close();
    }

    @BeforeEach
    void clear() {
        REQUESTS.clear();
        EVENTS.clear();
    }

    @Test
    void sixtyAlignedPrecomputedDays_readNothingFromTheSource_andAskedAgain_readNothingAtAll() throws Exception {
        // coverage reused for longer than the default, so a slow shared machine cannot make the count flaky
        UvQueryEngine engine = new UvQueryEngine(
                counted,
                RealtimeSketches.NONE,
                new SketchCache(SketchCache.DEFAULT_MAX_BYTES),
                Runnable::run,
                Duration.ofMinutes(10));
        UvQuestion question = sixtyDays();

        long started = System.nanoTime();
        UvAnswer first = engine.answerNow(question);
        List<String> cold = List.copyOf(REQUESTS);
        REQUESTS.clear();
        long warmNanos = Long.MAX_VALUE;
        UvAnswer warm = null;
        for (int i = 0; i < 20; i++) {
            long at = System.nanoTime();
            warm = engine.answerNow(question);
            warmNanos = Math.min(warmNanos, System.nanoTime() - at);
        }
        System.out.printf(
                "60 daily slices: cold %d ms %s; warm best %.2f ms, %d requests in 20 answers%n",
                (System.nanoTime() - started) / 1_000_000, cold, warmNanos / 1e6, REQUESTS.size());

        assertThat(first.rows()).hasSize(60);
        assertThat(cold)
                .as("the catalogue's first load, then one _mget for the sketches")
                .noneMatch(r -> r.contains("/" + DATA.definition.source() + "/"))
                .filteredOn(r -> r.contains("/_mget"))
                .hasSize(1);
        assertThat(REQUESTS)
                .as("warm: documents and coverage in the catalogue, sketches cached")
                .isEmpty();
        assertThat(warm.rows()).isEqualTo(first.rows());
        assertThat(warm.stats().cacheHits()).isEqualTo(first.stats().storedBuckets());
        assertThat(first.stats().elasticsearchRequests())
                .as("an answer's stats count what it sent: the catalogue's load and the _mget %s", cold)
                .isEqualTo(cold.size());
        assertThat(warm.stats().elasticsearchRequests()).isZero();
    }

    @Test
    void withoutCatalogueReuse_everyAnswerChecksForNewDocuments_butReadsNoUnchangedOne() throws Exception {
        UvQueryEngine engine = new UvQueryEngine(
                counted,
                RealtimeSketches.NONE,
                new SketchCache(SketchCache.DEFAULT_MAX_BYTES),
                Runnable::run,
                Duration.ZERO);
        engine.answerNow(sixtyDays());
        REQUESTS.clear();

        engine.answerNow(sixtyDays());

        assertThat(REQUESTS)
                .as("checkpoint, _refresh, aggregation, checkpoint: %s", REQUESTS)
                .hasSize(4)
                .noneMatch(r -> r.contains("/_mget") || r.contains("filter_path=hits"));
    }

    @Test
    void aRecomputedBucket_isReadAgain_notAnsweredFromTheRememberedDocuments(TestElasticsearch es) throws Exception {
        UvFixture own = new UvFixture(IndexNames.unique("uv-regen-logs"), IndexNames.unique("uv-regen"));
        own.loadAndPrecompute(es);
        UvQueryEngine engine = new UvQueryEngine(
                plain,
                RealtimeSketches.NONE,
                new SketchCache(SketchCache.DEFAULT_MAX_BYTES),
                Runnable::run,
                Duration.ZERO);
        Instant day = Instant.parse("2025-01-05T00:00:00Z");
        UvQuestion oneDay = new UvQuestion(
                own.definition,
                day,
                day.plus(Duration.ofDays(1)),
                List.of(new UvQuestion.TimeSlice(day, day.plus(Duration.ofDays(1)))),
                Map.of(),
                List.of());
        long before = engine.answerNow(oneDay).overall().uv();

        // a late event of a new user, then the day recomputed, as `sketchgate precompute --recompute` does
        Request late = new Request("PUT", "/" + own.logs.indexFor(day) + "/_doc/late-1");
        late.addParameter("refresh", "true");
        late.setJsonEntity("{\"@timestamp\":\"2025-01-05T13:00:00Z\",\"user_id\":\"late-user\",\"country\":\"KR\","
                + "\"device\":\"mobile\",\"url\":\"/\",\"status\":200,\"bytes\":1}");
        plain.performRequest(late);
        PrecomputeJob.builder(plain, own.definition)
                .granulesPerRequest(64)
                .recompute(true)
                .clock(java.time.Clock.fixed(UvFixture.PRECOMPUTED_TO.plus(Duration.ofHours(1)), ZoneOffset.UTC))
                .build()
                .run(day, day.plus(Duration.ofDays(1)));

        UvAnswer after = engine.answerNow(oneDay);

        assertThat(after.overall().exact()).isTrue();
        assertThat(after.overall().uv()).isEqualTo(before + 1);
    }

    @Test
    void unalignedDays_readTheMissingSketchesWhileTheSourceIsRead_andTheirCutsFromTheGranules() throws Exception {
        UvQueryEngine engine = new UvQueryEngine(
                counted, RealtimeSketches.NONE, new SketchCache(SketchCache.DEFAULT_MAX_BYTES), Runnable::run);
        List<UvQuestion.TimeSlice> days = new ArrayList<>();
        // the last day and a half past the precomputed range (2025-03-02): from the source
        Instant first = Instant.parse("2025-02-24T10:37:30.500Z");
        for (int i = 0; i < 7; i++) {
            days.add(new UvQuestion.TimeSlice(first.plus(Duration.ofDays(i)), first.plus(Duration.ofDays(i + 1))));
        }

        UvAnswer answer = engine.answerNow(
                new UvQuestion(DATA.definition, days.get(0).start(), days.get(6).end(), days, Map.of(), List.of())
                        .withEdges(EdgeReads.EXACT));

        assertThat(answer.stats().edgeSlices())
                .as("the cuts off the minute from their granules; the two last days' parts past the precomputed"
                        + " range from the source")
                .isEqualTo(2);
        String source = "/" + DATA.definition.source() + "/";
        String storedSearch = "/" + UvIndex.name(DATA.definition) + "/_mget";
        int storedSent = indexOf(e -> e.startsWith("sent " + storedSearch));
        int storedAnswered = indexOf(e -> e.startsWith("answered " + storedSearch));
        int firstSourceSent = indexOf(e -> e.startsWith("sent " + source));
        int lastSourceAnswered = -1;
        for (int i = 0; i < EVENTS.size(); i++) {
            if (EVENTS.get(i).startsWith("answered " + source)) {
                lastSourceAnswered = i;
            }
        }
        assertThat(firstSourceSent).isNotNegative();
        assertThat(storedSent).isNotNegative();
        assertThat(storedSent < lastSourceAnswered && firstSourceSent < storedAnswered)
                .as("the sketches' _mget overlaps the source reads: %s", EVENTS)
                .isTrue();
        WebLogTruth.Counts truth = DATA.truth(days.get(0).start(), days.get(6).end());
        assertThat(answer.overall().pv()).isEqualTo(truth.pageViews);
        assertThat((long) truth.users.size())
                .isBetween(answer.overall().uvLower(), answer.overall().uvUpper());
        assertThat(answer.stats().elasticsearchRequests())
                .as("its stats count the source reads and the sketches' _mget sent from other threads: %s", REQUESTS)
                .isEqualTo(REQUESTS.size());
    }

    @Test
    void cutsOffTheMinute_takeTheirPageViewsFromTheFineGranulesEventMillis_notFromTheSource() throws Exception {
        UvQueryEngine engine = engineReusingCoverage();
        Instant middle = Instant.parse("2025-02-13T00:00:00Z");
        for (String[] cuts : new String[][] {
            {"2025-02-11T10:37:12.345Z", "2025-02-14T16:42:48.500Z"},
            {"2025-02-09T23:59:59.999Z", "2025-02-16T00:00:00.001Z"},
            {"2025-02-12T07:03:41.017Z", "2025-02-13T21:17:02.981Z"}
        }) {
            Instant from = Instant.parse(cuts[0]);
            Instant to = Instant.parse(cuts[1]);
            REQUESTS.clear();

            UvAnswer answer = engine.answerNow(twoSlices(from, middle, to, List.of()));

            assertThat(REQUESTS)
                    .as("cuts %s - %s: nothing read or counted from the source", from, to)
                    .noneMatch(r -> r.contains("/" + DATA.definition.source() + "/"));
            for (UvAnswer.Row row : answer.rows()) {
                UvQuestion.TimeSlice slice = row.slice().orElseThrow();
                assertThat(row.count().pv())
                        .as("each slice's events to the millisecond: %s", slice)
                        .isEqualTo(DATA.truth(slice.start(), slice.end()).pageViews);
            }
            assertThat(answer.overall().pv()).isEqualTo(DATA.truth(from, to).pageViews);
        }
    }

    /**
     * A daily chart to "now" with the tailer running: the tailer's granules, the one it is filling included, give
     * their sketches and the page views it counted at its last poll, so nothing is read from the source.
     */
    @Test
    void aRangeToNow_takesTheTailersGranules_andTheirPageViewsCountedAtItsLastPoll_withNoRequest() throws Exception {
        Instant tailFrom = UvFixture.PRECOMPUTED_TO;
        Instant lastPoll = tailFrom.plus(Duration.ofMinutes(270)); // inside the second 3h granule
        OpenGranules open = new OpenGranules(DATA.definition, tailFrom);
        Map<Long, Map<List<String>, Long>> pageViews = new java.util.TreeMap<>();
        long granule = DATA.definition.granularity().toMillis();
        for (java.util.Iterator<io.sketchgate.demo.PageView> it = DATA.logs.iterator(); it.hasNext(); ) {
            io.sketchgate.demo.PageView view = it.next();
            if (!view.timestamp().isBefore(tailFrom) && view.timestamp().isBefore(lastPoll)) {
                String[] values = {view.country(), view.device()};
                long time = view.timestamp().toEpochMilli();
                open.add(
                        time,
                        values,
                        SourceScanner.hash(new com.fasterxml.jackson.databind.node.TextNode(view.userId())));
                Map<List<String>, Long> perCombination = pageViews.computeIfAbsent(
                        Math.floorDiv(time, granule) * granule, k -> new java.util.HashMap<>());
                for (int mask = 0; mask < DimensionSubsets.count(DATA.definition); mask++) {
                    perCombination.merge(DimensionSubsets.key(values, mask), 1L, Long::sum);
                }
            }
        }
        Map<Long, RealtimeSketches.Granule> granules = new java.util.TreeMap<>(open.snapshot(Map.of()));
        granules.replaceAll((start, g) -> g.withPageViews(pageViews.getOrDefault(start, Map.of())));
        assertThat(granules).as("the tail holds two granules").hasSize(2);
        RealtimeSketches tail = new RealtimeSketches() {
            @Override
            public Optional<Granule> granule(String definition, Instant start) {
                return Optional.ofNullable(granules.get(start.toEpochMilli()));
            }

            @Override
            public Optional<Instant> tailedThrough(String definition) {
                return Optional.of(lastPoll);
            }
        };
        List<Runnable> pooled = Collections.synchronizedList(new ArrayList<>());
        UvQueryEngine engine = new UvQueryEngine(
                counted, tail, new SketchCache(SketchCache.DEFAULT_MAX_BYTES), pooled::add, Duration.ofMinutes(10));
        Instant from = tailFrom.minus(Duration.ofDays(2));
        Instant now = lastPoll.plusMillis(72_345);
        List<UvQuestion.TimeSlice> days = List.of(
                new UvQuestion.TimeSlice(from, from.plus(Duration.ofDays(1))),
                new UvQuestion.TimeSlice(from.plus(Duration.ofDays(1)), tailFrom),
                new UvQuestion.TimeSlice(tailFrom, now));
        UvQuestion question = new UvQuestion(DATA.definition, from, now, days, Map.of(), List.of("device"));
        engine.answerNow(question); // loads the catalogue and the stored sketches
        REQUESTS.clear();

        java.util.concurrent.CompletableFuture<UvAnswer> inMemory = engine.answer(question);

        assertThat(inMemory)
                .as("answered on the calling thread, all of it in memory")
                .isDone();
        assertThat(pooled).isEmpty();
        UvAnswer answer = inMemory.join();
        assertThat(REQUESTS).as("nothing from the source: %s", REQUESTS).isEmpty();
        Map<List<String>, WebLogTruth.Counts> today =
                DATA.truth(tailFrom, lastPoll, v -> true, v -> List.of(v.device()));
        List<UvAnswer.Row> lastDay = answer.rows().stream()
                .filter(row -> row.slice().orElseThrow().start().equals(tailFrom))
                .toList();
        assertThat(lastDay).hasSize(today.size());
        for (UvAnswer.Row row : lastDay) {
            WebLogTruth.Counts truth = today.get(List.of(row.split().get("device")));
            assertThat(row.count().pv())
                    .as("events to the last poll, %s", row.split())
                    .isEqualTo(truth.pageViews);
            assertThat(row.count().uv()).isEqualTo(truth.users.size());
        }
    }

    @Test
    void fineEdges_withoutEventMillis_readNoValuesFromTheSource_andCountTheCutsOffTheMinuteOfEverySliceInOneRequest()
            throws Exception {
        UvQueryEngine engine = engineHoldingNoEventMillis(Duration.ofSeconds(2));
        Instant from = Instant.parse("2025-02-11T10:37:12.345Z"); // off the minute: counted
        Instant middle = Instant.parse("2025-02-13T00:00:00Z");
        Instant to = Instant.parse("2025-02-14T16:42:48.500Z");

        UvAnswer answer = engine.answerNow(new UvQuestion(
                DATA.definition,
                from,
                to,
                List.of(new UvQuestion.TimeSlice(from, middle), new UvQuestion.TimeSlice(middle, to)),
                Map.of(),
                List.of()));

        assertThat(answer.rows()).hasSize(2);
        for (UvAnswer.Row row : answer.rows()) {
            UvQuestion.TimeSlice slice = row.slice().orElseThrow();
            assertThat(row.count().pv())
                    .as("each slice's events, its own cut counted apart: %s", slice)
                    .isEqualTo(DATA.truth(slice.start(), slice.end()).pageViews);
        }
        assertThat(answer.overall().pv()).isEqualTo(DATA.truth(from, to).pageViews);

        assertThat(REQUESTS)
                .as("the source is only counted: %s", REQUESTS)
                .noneMatch(r -> r.contains("/" + DATA.definition.source() + "/") && !isEdgeCount(r))
                .filteredOn(UvQueryEngineRequestsTest::isEdgeCount)
                .hasSize(1);
        assertThat(answer.stats().elasticsearchRequests())
                .as("its stats count the edge count sent without blocking: %s", REQUESTS)
                .isEqualTo(REQUESTS.size());
    }

    @Test
    void splitEdges_readNoValues_takeWholeMinutesFromTheGranules_andCutsOffTheMinuteFromTheFinestCombinations()
            throws Exception {
        splitEdges(
                new UvQueryEngine(
                        counted, RealtimeSketches.NONE, new SketchCache(SketchCache.DEFAULT_MAX_BYTES), Runnable::run),
                0);
    }

    @Test
    void splitEdges_withoutEventMillis_readNoValues_andReadTheCutsOffTheMinuteOfEverySliceInOneSearch()
            throws Exception {
        splitEdges(engineHoldingNoEventMillis(UvQueryEngine.COVERAGE_TTL), 1);
    }

    /** @param offTheMinute the source reads of a question whose cuts are off the minute */
    private static void splitEdges(UvQueryEngine engine, int offTheMinute) throws Exception {
        Instant middle = Instant.parse("2025-02-13T00:00:00Z");
        engine.answerNow(new UvQuestion(
                DATA.definition, middle, Instant.parse("2025-02-14T16:42:00Z"), List.of(), Map.of(), List.of()));
        // loads it all
        for (String[] cuts : new String[][] {
            {"2025-02-11T10:37:00Z", "2025-02-14T16:42:00Z", "0"},
            {"2025-02-11T10:37:15Z", "2025-02-14T16:42:30Z", Integer.toString(offTheMinute)},
            {"2025-02-11T10:37:15.123Z", "2025-02-14T16:42:30.001Z", Integer.toString(offTheMinute)}
        }) {
            Instant from = Instant.parse(cuts[0]);
            Instant to = Instant.parse(cuts[1]);
            REQUESTS.clear();

            UvAnswer answer = engine.answerNow(twoSlices(from, middle, to, List.of("device")));

            assertThat(REQUESTS)
                    .as(
                            "cuts %s - %s: on whole minutes no request, else the finest combinations' events'"
                                    + " milliseconds or one page-view read for both: %s",
                            from, to, REQUESTS)
                    .filteredOn(r -> r.contains("/" + DATA.definition.source() + "/"))
                    .hasSize(Integer.parseInt(cuts[2]));
            Map<List<String>, WebLogTruth.Counts> truth = DATA.truth(from, to, v -> true, v -> List.of(v.device()));
            for (UvAnswer.Row row : answer.totals()) {
                assertThat(row.count().pv())
                        .isEqualTo(truth.get(List.of(row.split().get("device"))).pageViews);
            }
            assertThat(answer.stats().edgeSlices())
                    .as("no distinct values read")
                    .isZero();
        }
    }

    @Test
    void exactEdges_inTwoGranules_areReadInOneSearch_andEdgesSharingAGranuleOneByOne() throws Exception {
        // off the minute, in documents without their values' milliseconds: the granules' value minutes cannot
        // tell, so the edges are read
        UvQueryEngine engine = new UvQueryEngine(
                beforeValueMillis,
                RealtimeSketches.NONE,
                new SketchCache(SketchCache.DEFAULT_MAX_BYTES),
                Runnable::run);
        Instant from = Instant.parse("2025-02-11T10:37:30Z");
        Instant middle = Instant.parse("2025-02-12T10:41:30Z");
        Instant to = Instant.parse("2025-02-13T16:42:30Z");
        engine.answerNow(new UvQuestion(DATA.definition, from, to, List.of(), Map.of(), List.of())); // loads it all

        for (boolean twoSlices : new boolean[] {false, true}) {
            REQUESTS.clear();
            List<UvQuestion.TimeSlice> slices = twoSlices
                    ? List.of(new UvQuestion.TimeSlice(from, middle), new UvQuestion.TimeSlice(middle, to))
                    : List.of(new UvQuestion.TimeSlice(from, to));

            UvAnswer answer = engine.answerNow(new UvQuestion(
                            DATA.definition, from, to, slices, Map.of("country", Set.of("DE")), List.of("device"))
                    .withEdges(EdgeReads.EXACT));

            assertThat(REQUESTS)
                    .as("%s: %s", twoSlices ? "the slices meet inside a granule" : "two edges", REQUESTS)
                    .filteredOn(r -> r.contains("/" + DATA.definition.source() + "/"))
                    .hasSize(twoSlices ? 4 : 1);
            for (UvAnswer.Row row : answer.rows()) {
                UvQuestion.TimeSlice slice = row.slice().orElseThrow();
                WebLogTruth.Counts truth = DATA.truth(
                                slice.start(), slice.end(), v -> "DE".equals(v.country()), v -> List.of(v.device()))
                        .get(List.of(row.split().get("device")));
                assertThat(row.count().exact()).isTrue();
                assertThat(row.count().uv()).as("%s %s", slice, row.split()).isEqualTo(truth.users.size());
                assertThat(row.count().pv()).isEqualTo(truth.pageViews);
            }
        }
    }

    /**
     * At 3h granules a block is 12 hours: a day cut at 10:37 is the cut granule 09:00-12:00 and the block 12:00-24:00,
     * merged once per country and cached for the next question cutting that day.
     */
    @Test
    void aCutDaysWholeBlock_isMergedOnce_andTheNextQuestionCuttingThatDayReusesIt() throws Exception {
        UvQueryEngine engine = engineReusingCoverage();
        SketchCache cache = engine.catalogue().sketches();
        UvQuestion first = splitByCountry("2025-02-11T10:37:00Z", "2025-02-13T00:00:00Z");
        UvQuestion second = splitByCountry("2025-02-11T09:20:00Z", "2025-02-12T00:00:00Z");

        int countries = engine.answerNow(first).totals().size();
        long made = cache.blocksMade();
        UvAnswer reused = engine.answerNow(second);

        assertThat(made).as("at most one block per country").isBetween(1L, (long) countries);
        assertThat(cache.blocksMade()).as("the second question makes none").isEqualTo(made);
        assertThat(reused.totals())
                .as("as a new engine, which merges the block's granules itself")
                .isEqualTo(engineReusingCoverage().answerNow(second).totals());
    }

    /**
     * A daily question's totals take each run of four whole days from a block boundary (local days counted from
     * 1970-01-01: 2025-01-08 is day 20,096) as one cached union per country, and answer as the total over the same
     * range does (the union does not depend on grouping). A later question over one of those blocks makes none.
     * (Ranges without a whole Monday-to-Sunday week, whose stored week would give the totals a cover of their own.)
     */
    @Test
    void aDailyQuestionsTotals_takeCachedBlocksOfWholeDays_andAnswerAsTheRangesTotal() throws Exception {
        UvQueryEngine engine = engineReusingCoverage();
        SketchCache cache = engine.catalogue().sketches();
        Instant from = Instant.parse("2025-01-08T00:00:00Z");
        Instant to = Instant.parse("2025-01-16T00:00:00Z");

        UvAnswer daily = engine.answerNow(dailyByCountry(from, to));
        long countries = daily.totals().size();
        long made = cache.blocksMade();
        UvAnswer later = engine.answerNow(dailyByCountry(Instant.parse("2025-01-10T00:00:00Z"), to));

        assertThat(countries).isGreaterThan(2);
        assertThat(made).as("01-08 to 01-11 and 01-12 to 01-15, per country").isEqualTo(2 * countries);
        assertThat(cache.blocksMade()).as("01-12 to 01-15 again").isEqualTo(made);
        assertThat(daily.totals()).isEqualTo(total(from, to).totals());
        assertThat(later.totals())
                .isEqualTo(total(Instant.parse("2025-01-10T00:00:00Z"), to).totals());
    }

    private static UvAnswer total(Instant from, Instant to) throws Exception {
        return engineReusingCoverage()
                .answerNow(new UvQuestion(
                        DATA.definition,
                        from,
                        to,
                        List.of(new UvQuestion.TimeSlice(from, to)),
                        Map.of(),
                        List.of("country")));
    }

    private static UvQuestion dailyByCountry(Instant from, Instant to) {
        return new UvQuestion(DATA.definition, from, to, TestSlices.utcDays(from, to), Map.of(), List.of("country"));
    }

    private static UvQuestion splitByCountry(String from, String to) {
        Instant start = Instant.parse(from);
        Instant end = Instant.parse(to);
        return new UvQuestion(
                DATA.definition,
                start,
                end,
                List.of(new UvQuestion.TimeSlice(start, end)),
                Map.of(),
                List.of("country"));
    }

    /**
     * An engine whose catalogue holds no fine granule's events' milliseconds ({@code max_event_millis_bytes: 0}), as
     * for documents written before they were stored: cuts off the minute are counted by Elasticsearch.
     */
    private static UvQueryEngine engineHoldingNoEventMillis(Duration coverageTtl) {
        return new UvQueryEngine(
                counted,
                RealtimeSketches.NONE,
                new BucketCatalogue(
                        counted,
                        new SketchCache(SketchCache.DEFAULT_MAX_BYTES),
                        coverageTtl,
                        0,
                        0,
                        java.time.Clock.systemUTC()),
                Runnable::run);
    }

    /** An engine whose coverage is reused for 10 minutes: only the question's own requests are sent. */
    private static UvQueryEngine engineReusingCoverage() {
        return new UvQueryEngine(
                counted,
                RealtimeSketches.NONE,
                new SketchCache(SketchCache.DEFAULT_MAX_BYTES),
                Runnable::run,
                Duration.ofMinutes(10));
    }

    /**
     * A top-N chart by country over time shows N countries' rows: when its totals have their own cover and its page
     * views need no request, the totals are counted first and only the picked countries' slices are merged. The
     * rows shown and the totals are those of the question that merges every country.
     */
    @Test
    void aRowSelection_mergesThePickedCombinationsSlicesOnly_andAnswersThemAsForEveryCombination() throws Exception {
        // the Seoul days from 15:00 UTC take in most of both cut UTC days: the totals cover the whole range
        Answers answers = assertRowSelectionAnswersAsEveryCombination(
                Instant.parse("2025-01-06T10:37:00Z"), Instant.parse("2025-01-27T16:43:00Z"));

        assertThat(answers.two().stats().sketchesMerged())
                .as("the other countries' days are not merged")
                .isLessThan(answers.all().stats().sketchesMerged() / 2);
    }

    /**
     * Cut days that neither zone's days take in (after 15:00 UTC, before 15:00 UTC): the totals cover the days
     * between the end slices, whose counts are made for every combination, serve the picked rows and join the totals.
     */
    @Test
    void aRowSelection_whoseTotalsTakeTheEndSlicesCounts_answersAsForEveryCombination() throws Exception {
        Answers answers = assertRowSelectionAnswersAsEveryCombination(
                Instant.parse("2025-01-06T16:37:00Z"), Instant.parse("2025-01-27T13:43:00Z"));

        // both merge the days between for the totals, and the end slices for every country; only every country's
        // question merges each country's days between as its own rows too (one day document each)
        long countries = answers.all().totals().size();
        long daysBetween = answers.days() - 2;
        assertThat(answers.two().stats().sketchesMerged())
                .isEqualTo(answers.all().stats().sketchesMerged() - (countries - 2) * daysBetween);
    }

    /** The answers to a question of every country's rows and to one showing the top two's, and the days asked. */
    private record Answers(UvAnswer all, UvAnswer two, int days) {}

    private Answers assertRowSelectionAnswersAsEveryCombination(Instant from, Instant to) throws Exception {
        UvQueryEngine engine = engineReusingCoverage();
        List<UvQuestion.TimeSlice> days = TestSlices.utcDays(from, to);
        UvQuestion every = new UvQuestion(DATA.definition, from, to, days, Map.of(), List.of("country"))
                .withEdges(EdgeReads.EXACT);
        UvQuestion.RowSelection topTwo = totals -> {
            Set<String> top = new java.util.HashSet<>();
            totals.stream()
                    .sorted(java.util.Comparator.comparingLong(
                            (UvAnswer.Row r) -> -r.count().uv()))
                    .limit(2)
                    .forEach(r -> top.add(r.split().get("country")));
            return split -> top.contains(split.get("country"));
        };
        UvQuestion picked = new UvQuestion(
                DATA.definition,
                from,
                to,
                days,
                Map.of(),
                List.of("country"),
                UvQuestion.Measure.UV_AND_PV,
                topTwo,
                EdgeReads.EXACT);
        UvAnswer all = engine.answerNow(every); // loads it all

        UvAnswer two = engine.answerNow(picked);

        Set<String> shown = new java.util.HashSet<>();
        two.rows().forEach(row -> shown.add(row.split().get("country")));
        assertThat(shown).hasSize(2);
        assertThat(two.rows())
                .isEqualTo(all.rows().stream()
                        .filter(row -> shown.contains(row.split().get("country")))
                        .toList());
        assertThat(two.totals()).isEqualTo(all.totals());
        return new Answers(all, two, days.size());
    }

    @Test
    void exactEdges_onWholeMinutes_ofAKibanaStyleSplitChart_makeNoRequestOnceLoaded() throws Exception {
        UvQueryEngine engine = engineReusingCoverage();
        Instant from = Instant.parse("2025-02-11T10:37:00Z");
        Instant to = Instant.parse("2025-02-14T16:43:00Z");
        List<UvQuestion.TimeSlice> days = List.of(
                new UvQuestion.TimeSlice(from, Instant.parse("2025-02-12T00:00:00Z")),
                new UvQuestion.TimeSlice(Instant.parse("2025-02-12T00:00:00Z"), Instant.parse("2025-02-14T00:00:00Z")),
                new UvQuestion.TimeSlice(Instant.parse("2025-02-14T00:00:00Z"), to));
        UvQuestion question = new UvQuestion(
                        DATA.definition, from, to, days, Map.of("country", Set.of("DE", "FR")), List.of("device"))
                .withEdges(EdgeReads.EXACT);
        engine.answerNow(question); // loads it all
        REQUESTS.clear();

        UvAnswer answer = engine.answerNow(question);

        assertThat(REQUESTS)
                .as("the values' minutes answer the cuts: %s", REQUESTS)
                .isEmpty();
        for (UvAnswer.Row row : answer.rows()) {
            UvQuestion.TimeSlice slice = row.slice().orElseThrow();
            WebLogTruth.Counts truth = DATA.truth(
                            slice.start(),
                            slice.end(),
                            v -> Set.of("DE", "FR").contains(v.country()),
                            v -> List.of(v.device()))
                    .get(List.of(row.split().get("device")));
            assertThat(row.count())
                    .as("%s %s", slice, row.split())
                    .isEqualTo(UvCount.exact(truth.users.size(), truth.pageViews, UvCount.DataSource.BATCH));
        }
        assertThat(answer.stats().edgeSlices()).isZero();
    }

    @Test
    void aCutOffTheMinute_withoutEventMillis_isCountedInOneSearch_thatLetsElasticsearchSkipTheShardsOutsideIt()
            throws Exception {
        UvQueryEngine engine = engineHoldingNoEventMillis(Duration.ofMinutes(10));
        Instant from = Instant.parse("2025-02-11T10:37:12.345Z");
        Instant to = Instant.parse("2025-02-12T16:42:30Z");
        UvQuestion question = new UvQuestion(
                DATA.definition, from, to, List.of(new UvQuestion.TimeSlice(from, to)), Map.of(), List.of());
        engine.answerNow(question); // loads it all
        REQUESTS.clear();

        UvAnswer answer = engine.answerNow(question);

        assertThat(REQUESTS)
                .as("one count of both remainders, pre-filtered by time: %s", REQUESTS)
                .singleElement()
                .satisfies(request -> assertThat(request)
                        .matches(UvQueryEngineRequestsTest::isEdgeCount)
                        .contains("pre_filter_shard_size=1"));
        assertThat(answer.overall().pv()).isEqualTo(DATA.truth(from, to).pageViews);
    }

    /** {@code [from, middle)} and {@code [middle, to)}, split as asked. */
    private static UvQuestion twoSlices(Instant from, Instant middle, Instant to, List<String> split) {
        return new UvQuestion(
                DATA.definition,
                from,
                to,
                List.of(new UvQuestion.TimeSlice(from, middle), new UvQuestion.TimeSlice(middle, to)),
                Map.of(),
                split);
    }

    /** The edge count: one search of the source with one {@code filter} aggregation per cover, no value read. */
    private static boolean isEdgeCount(String request) {
        return request.startsWith("POST /" + DATA.definition.source() + "/_search?") && request.contains("doc_count");
    }

    private static int indexOf(java.util.function.Predicate<String> event) {
        synchronized (EVENTS) {
            for (int i = 0; i < EVENTS.size(); i++) {
                if (event.test(EVENTS.get(i))) {
                    return i;
                }
            }
        }
        return -1;
    }

    @Test
    void aSourceRead_skipsTheSourceIndicesOutsideItsTimeRange() throws Exception {
        SourceScanner scanner = new SourceScanner(plain, DATA.definition, DATA.definition.granularity(), 10_000);
        Instant from = Instant.parse("2025-02-11T09:00:00Z");
        long[] events = {0};

        scanner.scan(
                from, from.plus(Duration.ofHours(3)), (granule, values, hasValue, hash, count) -> events[0] += count);

        assertThat(events[0])
                .isEqualTo(DATA.truth(from, from.plus(Duration.ofHours(3))).pageViews)
                .isPositive();
        assertThat(DATA.logs.indices()).as("monthly source indices").hasSize(3);
        assertThat(scanner.skippedShards())
                .as("only February's index holds the window")
                .isEqualTo(2);
    }

    private static long requestCacheHits() throws java.io.IOException {
        JsonNode stats = EsJson.JSON.readTree(
                plain.performRequest(new Request("GET", "/" + UvIndex.name(DATA.definition) + "/_stats/request_cache"))
                        .getEntity()
                        .getContent());
        return stats.path("_all")
                .path("primaries")
                .path("request_cache")
                .path("hit_count")
                .asLong();
    }

    private static UvQuestion sixtyDays() {
        List<UvQuestion.TimeSlice> days = new ArrayList<>();
        LocalDate first = LocalDate.parse("2025-01-01");
        for (int i = 0; i < 60; i++) {
            days.add(new UvQuestion.TimeSlice(
                    first.plusDays(i).atStartOfDay(ZoneOffset.UTC).toInstant(),
                    first.plusDays(i + 1).atStartOfDay(ZoneOffset.UTC).toInstant()));
        }
        return new UvQuestion(DATA.definition, days.get(0).start(), days.get(59).end(), days, Map.of(), List.of());
    }
}
