package io.sketchgate.uniques;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sketchgate.config.EdgeReads;
import io.sketchgate.config.UniqueCountDefinition;
import io.sketchgate.hll.HllSketch;
import io.sketchgate.hll.SketchHash;
import io.sketchgate.testing.IndexNames;
import io.sketchgate.testing.RealElasticsearch;
import io.sketchgate.testing.RecordingClient;
import io.sketchgate.testing.TestDefinitions;
import io.sketchgate.testing.TestElasticsearch;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Cuts of granules stored with registers ({@code step_registers}, {@link StepCuts}), on a real Elasticsearch: four
 * hours of a country with 1,500 users an hour (past the 1,024 values of an exact set) and one with 200 (an exact
 * set with its values' minutes), 1h granules.
 */
@RealElasticsearch
class UvQueryEngineStepCutsTest {
    static final Instant START = Instant.parse("2025-05-05T08:00:00Z");
    static final int HOURS = 4;

    /** One event: when, who, where. */
    record Event(Instant at, String user, String country) {}

    private static final List<Event> EVENTS = new ArrayList<>();
    private static UniqueCountDefinition definition;
    private static RecordingClient recording;
    /** Reads the documents as they were written before {@code step_millis}: registers per whole minute alone. */
    private static RecordingClient beforeStepMillis;

    @BeforeAll
    static void load(TestElasticsearch es) throws Exception {
        String index = IndexNames.unique("step-cuts");
        es.requests().createIndex(index, """
                {"mappings":{"properties":{"@timestamp":{"type":"date"},"user_id":{"type":"keyword"},
                 "country":{"type":"keyword"},"device":{"type":"keyword"}}}}""");
        Random random = new Random(5);
        List<Map<String, ?>> docs = new ArrayList<>();
        for (int hour = 0; hour < HOURS; hour++) {
            for (String country : List.of("KR", "US")) {
                int users = country.equals("KR") ? 1_500 : 200;
                for (int u = 0; u < users; u++) {
                    // users seen again in later hours, each with one to three events at random seconds of the hour
                    String user = country + "-" + random.nextInt(users * 2);
                    for (int e = 0, n = 1 + random.nextInt(3); e < n; e++) {
                        Instant at = START.plusSeconds(hour * 3600L + random.nextInt(3600));
                        EVENTS.add(new Event(at, user, country));
                        docs.add(Map.of(
                                "@timestamp", at.toString(), "user_id", user, "country", country, "device", "web"));
                    }
                }
            }
        }
        es.requests().bulkIndex(index, docs);
        definition = TestDefinitions.definition(
                IndexNames.unique("step-cuts-uv"),
                index,
                "@timestamp",
                "user_id",
                List.of("country", "device"),
                Duration.ofHours(1),
                List.of(ZoneId.of("UTC")),
                14,
                Duration.ofMinutes(15),
                5_000_000);
        Instant end = START.plus(Duration.ofHours(HOURS));
        PrecomputeJob.builder(es.client(), definition)
                .granulesPerRequest(64)
                .clock(Clock.fixed(end.plus(Duration.ofHours(1)), ZoneOffset.UTC))
                .build()
                .run(START, end);
        recording = RecordingClient.to(es.baseUri());
        beforeStepMillis = RecordingClient.withoutField(es.baseUri(), "step_millis");
    }

    @AfterAll
    static void close() throws Exception {
        recording.close();
        beforeStepMillis.close();
    }

    @BeforeEach
    void clear() {
        recording.requests().clear();
        beforeStepMillis.requests().clear();
    }

    @Test
    void aGranulePastTheExactLimit_ofASplitSubset_keepsItsRegistersPerMinute_theRootSubsetDoesNot(TestElasticsearch es)
            throws Exception {
        Map<String, JsonNode> stored = UvDocuments.all(es.requests(), UvIndex.name(definition));
        int withSteps = 0;
        for (JsonNode doc : stored.values()) {
            boolean granule = doc.path("level").asText().equals("1h");
            boolean fine = doc.path("level").asText().equals("5m"); // the root subset's fine granules
            boolean root = doc.path("dimensions").path("country").asText().equals(BucketKey.ALL)
                    && doc.path("dimensions").path("device").asText().equals(BucketKey.ALL);
            // the sketch's form, not the document's "exact" (its count is exact up to the job's in-memory limit)
            boolean exact = HllSketch.fromBase64(doc.path("sketch").asText()).isExact();
            assertThat(doc.has("step_registers"))
                    .as("%s %s", doc.path("level"), doc.path("dimensions"))
                    .isEqualTo(granule && !root && !exact);
            assertThat(doc.has("step_millis"))
                    .as("beside step_registers: %s %s", doc.path("level"), doc.path("dimensions"))
                    .isEqualTo(doc.has("step_registers"));
            assertThat(doc.has("value_minutes"))
                    .as("%s %s %s", doc.path("level"), doc.path("dimensions"), doc.path("uv"))
                    .isEqualTo((granule || fine) && exact);
            withSteps += doc.has("step_registers") ? 1 : 0;
        }
        assertThat(withSteps)
                .as("(KR, all), (KR, web) and (all, web), four hours")
                .isEqualTo(3 * HOURS);
    }

    /**
     * Two slices cut on whole minutes, or off them: the registers' cuts (with their events' milliseconds) the true
     * values' sketch, the exact sets' (with their values' first and last milliseconds) the exact count.
     */
    @ParameterizedTest
    @CsvSource({
        "2025-05-05T08:37:00Z, 2025-05-05T10:00:00Z, 2025-05-05T11:23:00Z",
        "2025-05-05T08:00:00Z, 2025-05-05T09:17:41.250Z, 2025-05-05T11:40:30.500Z"
    })
    void exactEdges_onAndOffTheMinute_areTheTrueValuesOnes_withNoRequestOnceLoaded(
            Instant from, Instant middle, Instant to) throws Exception {
        UvQueryEngine engine = engine();
        UvQuestion question = new UvQuestion(
                        definition,
                        from,
                        to,
                        List.of(new UvQuestion.TimeSlice(from, middle), new UvQuestion.TimeSlice(middle, to)),
                        Map.of(),
                        List.of("country"))
                .withEdges(EdgeReads.EXACT);

        UvAnswer answer = onceLoaded(engine, question, "the cuts come from the stored granules");

        assertThat(answer.stats().edgeSlices()).isZero();
        for (UvAnswer.Row row : answer.rows()) {
            UvQuestion.TimeSlice slice = row.slice().orElseThrow();
            String country = row.split().get("country");
            Set<String> users = users(slice.start(), slice.end(), country);
            long pageViews = pageViews(slice.start(), slice.end(), country);
            if (country.equals("KR")) {
                assertThat(row.count().uv())
                        .as("%s KR: the estimate of the true values' sketch (%d values)", slice, users.size())
                        .isEqualTo(sketchOf(users).estimate());
                assertThat(row.count().exact()).isFalse();
                assertThat(row.count().pv()).isEqualTo(pageViews);
            } else {
                assertThat(row.count())
                        .as("%s US: its values' first and last milliseconds", slice)
                        .isEqualTo(UvCount.exact(users.size(), pageViews, UvCount.DataSource.BATCH));
            }
        }
    }

    @Test
    void exactEdges_offTheMinute_ofRegistersWithoutTheirMilliseconds_areBoundedByTheSplitMinute() throws Exception {
        UvQueryEngine engine = engine(beforeStepMillis);
        // one split minute, 11:40, in a range of three hours and more: its KR users are a fraction of the count's
        Instant from = Instant.parse("2025-05-05T08:00:00Z");
        Instant to = Instant.parse("2025-05-05T11:40:30.500Z");
        UvQuestion question = byCountryWithExactEdges(from, to);
        UvAnswer answer = answeredAgain(engine, beforeStepMillis, question);

        assertThat(beforeStepMillis.requests()).as("no request").isEmpty();
        UvCount kr = countOf(answer, "KR");
        HllSketch truth = sketchOf(users(from, to, "KR"));
        assertThat(kr.exact()).isFalse();
        assertThat(truth.estimate()).isBetween(kr.uvLower(), kr.uvUpper());
        assertThat((double) kr.uv())
                .as("KR: within 1%% of the true values' sketch (%d)", truth.estimate())
                .isCloseTo(truth.estimate(), org.assertj.core.data.Percentage.withPercentage(1));
        assertThat(kr.pv()).isEqualTo(pageViews(from, to, "KR"));
    }

    @Test
    void exactEdges_whoseSplitMinutesCouldMoveACountPastItsError_readTheCutsSecondsFromTheSource() throws Exception {
        UvQueryEngine engine = engine(beforeStepMillis);
        // documents without step_millis; two split minutes whose KR users seen in them alone are over 1.5 % of the
        // range's: past 0.81 %
        Instant[] range = rangeWhoseSplitMinutesHoldMostUsersAlone();
        Instant from = range[0];
        Instant to = range[1];
        assertThat(users(from, to, "KR")).as("past the exact limit").hasSizeGreaterThan(1_100);
        UvQuestion question = byCountryWithExactEdges(from, to);
        UvAnswer answer = answeredAgain(engine, beforeStepMillis, question);

        assertThat(beforeStepMillis.requests())
                .as("the seconds of both cuts, in one search")
                .hasSize(1);
        for (UvAnswer.Row row : answer.rows()) {
            String country = row.split().get("country");
            Set<String> users = users(from, to, country);
            if (country.equals("KR")) {
                assertThat(row.count().uv())
                        .as("KR: the estimate of the true values' sketch")
                        .isEqualTo(sketchOf(users).estimate());
                assertThat(row.count().pv()).isEqualTo(pageViews(from, to, country));
            } else {
                assertThat(row.count())
                        .isEqualTo(UvCount.exact(
                                users.size(),
                                pageViews(from, to, country),
                                row.count().source()));
            }
        }
    }

    @Test
    void aCutWhoseCountCouldBeAnExactSet_readsItsValuesFromTheSource_andIsExact() throws Exception {
        UvQueryEngine engine = engine();
        Instant from = Instant.parse("2025-05-05T09:56:00Z");
        Instant to = Instant.parse("2025-05-05T10:03:00Z"); // seven minutes: about 300 KR users
        UvQuestion question = byCountryWithExactEdges(from, to);

        UvAnswer answer = engine.answerNow(question);

        assertThat(answer.stats().edgeSlices())
                .as("the cuts read from the source")
                .isPositive();
        assertEveryRowExact(answer, from, to);
        assertThat(answer.rows())
                .as("values read")
                .allSatisfy(row -> assertThat(row.count().source()).isEqualTo(UvCount.DataSource.REALTIME));
    }

    @Test
    void aCutOffTheMinuteWhoseCountCouldBeAnExactSet_readsEveryCutFromTheSourceInOneSearch() throws Exception {
        UvQueryEngine engine = engine();
        // about 300 KR users in seven minutes, both cuts off the minute: the registers' cuts are exact sketches, but
        // an exact set is what the source gives; the whole minutes from the granules would be registers again
        Instant from = Instant.parse("2025-05-05T09:56:30.250Z");
        Instant to = Instant.parse("2025-05-05T10:03:10.750Z");
        UvQuestion question = byCountryWithExactEdges(from, to);
        UvAnswer answer = answeredAgain(engine, recording, question);

        assertThat(recording.requests())
                .as("one search for every cut, not the seconds first and then every cut")
                .hasSize(1);
        assertEveryRowExact(answer, from, to);
    }

    @Test
    void fineEdges_ofASplitQuestion_keepTheWholeGranulesBounds_readingNothing() throws Exception {
        UvQueryEngine engine = engine();
        Instant from = Instant.parse("2025-05-05T08:37:00Z");
        Instant to = Instant.parse("2025-05-05T11:23:00Z");
        UvQuestion question = new UvQuestion(
                definition, from, to, List.of(new UvQuestion.TimeSlice(from, to)), Map.of(), List.of("country"));

        UvAnswer answer = onceLoaded(engine, question, "fine edges read nothing");

        UvCount kr = countOf(answer, "KR");
        HllSketch truth = sketchOf(users(from, to, "KR"));
        assertThat(kr.exact()).isFalse();
        assertThat(kr.uvLower()).isLessThanOrEqualTo(truth.estimate());
        assertThat(kr.uvUpper())
                .as("as wide as the cut granules: their registers per minute are for exact edges")
                .isGreaterThan(truth.upperBound(CountBuilder.BOUND_SIGMAS));
    }

    /** A total over {@code [from, to)} split by country, with exact edges. */
    private static UvQuestion byCountryWithExactEdges(Instant from, Instant to) {
        return new UvQuestion(
                        definition, from, to, List.of(new UvQuestion.TimeSlice(from, to)), Map.of(), List.of("country"))
                .withEdges(EdgeReads.EXACT);
    }

    /** The answer to {@code question} asked again once its sketches are read, {@code client}'s requests of it alone. */
    private static UvAnswer answeredAgain(UvQueryEngine engine, RecordingClient client, UvQuestion question)
            throws Exception {
        engine.answerNow(question); // reads the sketches
        client.requests().clear();
        return engine.answerNow(question);
    }

    /** The count of {@code country}'s row. */
    private static UvCount countOf(UvAnswer answer, String country) {
        return answer.rows().stream()
                .filter(row -> row.split().get("country").equals(country))
                .findFirst()
                .orElseThrow()
                .count();
    }

    /** Every row the exact count of its country's users and events in {@code [from, to)}. */
    private static void assertEveryRowExact(UvAnswer answer, Instant from, Instant to) {
        for (UvAnswer.Row row : answer.rows()) {
            String country = row.split().get("country");
            assertThat(row.count())
                    .as(country)
                    .isEqualTo(UvCount.exact(
                            users(from, to, country).size(),
                            pageViews(from, to, country),
                            row.count().source()));
        }
    }

    /** The answer to {@code question} asked again once its sketches are read, which must send no request. */
    private static UvAnswer onceLoaded(UvQueryEngine engine, UvQuestion question, String why) throws Exception {
        engine.answerNow(question); // reads the sketches
        recording.requests().clear();
        UvAnswer answer = engine.answerNow(question);
        assertThat(recording.requests()).as(why + ": no request").isEmpty();
        return answer;
    }

    private static UvQueryEngine engine() {
        return engine(recording);
    }

    private static UvQueryEngine engine(RecordingClient client) {
        return new UvQueryEngine(
                client.client(),
                RealtimeSketches.NONE,
                new SketchCache(SketchCache.DEFAULT_MAX_BYTES),
                Runnable::run,
                Duration.ofMinutes(10));
    }

    private static Set<String> users(Instant from, Instant to, String country) {
        Set<String> users = new HashSet<>();
        for (Event event : EVENTS) {
            if (inside(event, from, to) && event.country().equals(country)) {
                users.add(event.user());
            }
        }
        return users;
    }

    private static long pageViews(Instant from, Instant to, String country) {
        return EVENTS.stream()
                .filter(e -> inside(e, from, to) && e.country().equals(country))
                .count();
    }

    /**
     * Of ranges of 70 to 90 minutes starting and ending at :30.5 of a minute, the one whose two split minutes hold
     * the largest share of its KR users alone (no event of theirs elsewhere in the range): at least 1.5 %.
     */
    private static Instant[] rangeWhoseSplitMinutesHoldMostUsersAlone() {
        Instant[] best = null;
        double bestShare = 0;
        for (int start = 0; start < 90; start++) {
            for (int length = 70; length <= 90; length += 5) {
                Instant from = START.plus(Duration.ofMinutes(60 + start)).plusMillis(30_500);
                Instant to = from.plus(Duration.ofMinutes(length));
                Set<String> all = users(from, to, "KR");
                Set<String> elsewhere =
                        users(from.plusMillis(29_500), to.minusMillis(30_500), "KR"); // the whole minutes between
                double share = (all.size() - elsewhere.size()) / (double) all.size();
                if (all.size() > 1_100 && share > bestShare) {
                    bestShare = share;
                    best = new Instant[] {from, to};
                }
            }
        }
        assertThat(bestShare).as("the fixture's densest split minutes").isGreaterThan(0.015);
        return best;
    }

    private static boolean inside(Event event, Instant from, Instant to) {
        return !event.at().isBefore(from) && event.at().isBefore(to);
    }

    private static HllSketch sketchOf(Set<String> users) {
        HllSketch sketch = HllSketch.create(14);
        users.forEach(user -> sketch.addHash(SketchHash.hash(user)));
        return sketch;
    }
}
