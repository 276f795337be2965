package io.sketchgate.uniques;

import static org.assertj.core.api.Assertions.assertThat;

import io.sketchgate.config.EdgeReads;
import io.sketchgate.config.UniqueCountDefinition;
import io.sketchgate.testing.TestDefinitions;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class SliceCoverTest {
    private static final ZoneId UTC = ZoneId.of("UTC");
    private static final ZoneId SEOUL = ZoneId.of("Asia/Seoul");
    private static final UniqueCountDefinition DEFINITION = TestDefinitions.definition(
            "d",
            "logs-*",
            "@timestamp",
            "user",
            List.of("country"),
            Duration.ofHours(1),
            List.of(UTC, SEOUL),
            14,
            Duration.ofMinutes(15),
            1000);
    private static final Coverage ALL_PRECOMPUTED = TestSlices.ALL_PRECOMPUTED;
    private final SliceCover cover = new SliceCover(DEFINITION);

    @Test
    void ninetyDays_fromAMonthStart_takeMonthsThenWeeksAndDays_notGranules() {
        List<SliceCover.Piece> pieces = cover.cover(
                t("2026-01-01T00:00:00Z"), t("2026-04-01T00:00:00Z"), ALL_PRECOMPUTED, start -> Optional.empty());

        assertThat(pieces)
                .containsExactly(
                        new SliceCover.Stored(Level.MONTH, UTC, t("2026-01-01T00:00:00Z"), t("2026-02-01T00:00:00Z")),
                        new SliceCover.Stored(Level.MONTH, UTC, t("2026-02-01T00:00:00Z"), t("2026-03-01T00:00:00Z")),
                        new SliceCover.Stored(Level.MONTH, UTC, t("2026-03-01T00:00:00Z"), t("2026-04-01T00:00:00Z")));
    }

    @Test
    void aRangeAlignedToSeoulDays_isCoveredWithSeoulBuckets() {
        List<SliceCover.Piece> pieces = cover.cover(
                t("2026-03-01T15:00:00Z"), t("2026-03-03T15:00:00Z"), ALL_PRECOMPUTED, start -> Optional.empty());

        assertThat(pieces)
                .containsExactly(
                        new SliceCover.Stored(Level.DAY, SEOUL, t("2026-03-01T15:00:00Z"), t("2026-03-02T15:00:00Z")),
                        new SliceCover.Stored(Level.DAY, SEOUL, t("2026-03-02T15:00:00Z"), t("2026-03-03T15:00:00Z")));
    }

    @Test
    void withFineEdges_theEdgesAreFineGranules_andACutInsideOneIsAPartialOfIt() {
        List<SliceCover.Piece> pieces = new SliceCover(DEFINITION, EdgeReads.FINE)
                .cover(
                        t("2026-03-04T22:52:00Z"),
                        t("2026-03-05T01:12:00Z"),
                        ALL_PRECOMPUTED,
                        start -> Optional.empty());

        assertThat(pieces)
                .containsExactly(
                        new SliceCover.Partial(
                                fine("2026-03-04T22:50:00Z"), t("2026-03-04T22:52:00Z"), t("2026-03-04T22:55:00Z")),
                        fine("2026-03-04T22:55:00Z"),
                        new SliceCover.Stored(Level.GRANULE, UTC, t("2026-03-04T23:00:00Z"), t("2026-03-05T00:00:00Z")),
                        new SliceCover.Stored(Level.GRANULE, UTC, t("2026-03-05T00:00:00Z"), t("2026-03-05T01:00:00Z")),
                        fine("2026-03-05T01:00:00Z"),
                        fine("2026-03-05T01:05:00Z"),
                        new SliceCover.Partial(
                                fine("2026-03-05T01:10:00Z"), t("2026-03-05T01:10:00Z"), t("2026-03-05T01:12:00Z")));
    }

    @Test
    void withMinuteRemaindersFromTheSource_aCutOffTheMinuteKeepsItsWholeMinutesAndReadsOnlyItsSeconds() {
        List<SliceCover.Piece> pieces = new SliceCover(DEFINITION, EdgeReads.FINE, true, true)
                .cover(
                        t("2026-03-04T22:52:12.345Z"),
                        t("2026-03-05T01:10:20Z"),
                        ALL_PRECOMPUTED,
                        start -> Optional.empty());

        assertThat(pieces)
                .containsExactly(
                        new SliceCover.FromSource(t("2026-03-04T22:52:12.345Z"), t("2026-03-04T22:53:00Z")),
                        new SliceCover.Partial(
                                fine("2026-03-04T22:50:00Z"), t("2026-03-04T22:53:00Z"), t("2026-03-04T22:55:00Z")),
                        fine("2026-03-04T22:55:00Z"),
                        new SliceCover.Stored(Level.GRANULE, UTC, t("2026-03-04T23:00:00Z"), t("2026-03-05T00:00:00Z")),
                        new SliceCover.Stored(Level.GRANULE, UTC, t("2026-03-05T00:00:00Z"), t("2026-03-05T01:00:00Z")),
                        fine("2026-03-05T01:00:00Z"),
                        fine("2026-03-05T01:05:00Z"),
                        new SliceCover.FromSource(t("2026-03-05T01:10:00Z"), t("2026-03-05T01:10:20Z")));
    }

    @Test
    void withMinuteRemaindersFromTheSource_aCutWithinOneMinuteIsReadWhole_andOneEndingOnAGranuleKeepsItWhole() {
        List<SliceCover.Piece> pieces = new SliceCover(DEFINITION, EdgeReads.FINE, true, true)
                .cover(
                        t("2026-03-04T22:54:59.500Z"),
                        t("2026-03-05T01:05:00.250Z"),
                        ALL_PRECOMPUTED,
                        start -> Optional.empty());

        assertThat(pieces)
                .containsExactly(
                        new SliceCover.FromSource(t("2026-03-04T22:54:59.500Z"), t("2026-03-04T22:55:00Z")),
                        fine("2026-03-04T22:55:00Z"),
                        new SliceCover.Stored(Level.GRANULE, UTC, t("2026-03-04T23:00:00Z"), t("2026-03-05T00:00:00Z")),
                        new SliceCover.Stored(Level.GRANULE, UTC, t("2026-03-05T00:00:00Z"), t("2026-03-05T01:00:00Z")),
                        fine("2026-03-05T01:00:00Z"),
                        new SliceCover.FromSource(t("2026-03-05T01:05:00Z"), t("2026-03-05T01:05:00.250Z")));
    }

    @Test
    void withFineEdges_anEdgeAfterThePrecomputedRange_isStillReadFromTheSource() {
        Coverage throughOne = new Coverage(
                Optional.of(Instant.parse("2020-01-01T00:00:00Z")),
                Optional.of(t("2026-03-05T01:00:00Z")),
                Optional.empty());

        List<SliceCover.Piece> pieces = new SliceCover(DEFINITION, EdgeReads.FINE)
                .cover(t("2026-03-05T00:00:00Z"), t("2026-03-05T01:12:00Z"), throughOne, start -> Optional.empty());

        assertThat(pieces)
                .containsExactly(
                        new SliceCover.Stored(Level.GRANULE, UTC, t("2026-03-05T00:00:00Z"), t("2026-03-05T01:00:00Z")),
                        new SliceCover.FromSource(t("2026-03-05T01:00:00Z"), t("2026-03-05T01:12:00Z")));
    }

    @Test
    void unalignedEdges_areSourceWindows_andTheInteriorUsesGranulesAndDays() {
        List<SliceCover.Piece> pieces = cover.cover(
                t("2026-03-02T22:37:00Z"), t("2026-03-05T01:20:00Z"), ALL_PRECOMPUTED, start -> Optional.empty());

        assertThat(pieces)
                .containsExactly(
                        new SliceCover.FromSource(t("2026-03-02T22:37:00Z"), t("2026-03-02T23:00:00Z")),
                        new SliceCover.Stored(Level.GRANULE, UTC, t("2026-03-02T23:00:00Z"), t("2026-03-03T00:00:00Z")),
                        new SliceCover.Stored(Level.DAY, UTC, t("2026-03-03T00:00:00Z"), t("2026-03-04T00:00:00Z")),
                        new SliceCover.Stored(Level.DAY, UTC, t("2026-03-04T00:00:00Z"), t("2026-03-05T00:00:00Z")),
                        new SliceCover.Stored(Level.GRANULE, UTC, t("2026-03-05T00:00:00Z"), t("2026-03-05T01:00:00Z")),
                        new SliceCover.FromSource(t("2026-03-05T01:00:00Z"), t("2026-03-05T01:20:00Z")));
    }

    @Test
    void afterThePrecomputedRange_tailedGranulesComeFromTheTailer_andTheRestFromTheSourceInOneWindow() {
        Coverage coverage = new Coverage(
                Optional.of(t("2026-01-01T00:00:00Z")),
                Optional.of(t("2026-03-05T00:00:00Z")),
                Optional.of(t("2026-03-05T02:30:00Z")));
        RealtimeSketches.Granule tailed = new RealtimeSketches.Granule(t("2026-03-05T01:00:00Z"), Map.of());

        List<SliceCover.Piece> pieces = cover.cover(
                t("2026-03-04T00:00:00Z"),
                t("2026-03-05T06:10:00Z"),
                coverage,
                start -> start.equals(tailed.start()) ? Optional.of(tailed) : Optional.empty());

        assertThat(pieces)
                .containsExactly(
                        new SliceCover.Stored(Level.DAY, UTC, t("2026-03-04T00:00:00Z"), t("2026-03-05T00:00:00Z")),
                        new SliceCover.FromSource(t("2026-03-05T00:00:00Z"), t("2026-03-05T01:00:00Z")),
                        new SliceCover.Realtime(tailed, t("2026-03-05T02:00:00Z")),
                        new SliceCover.FromSource(t("2026-03-05T02:00:00Z"), t("2026-03-05T06:10:00Z")));
    }

    @Test
    void aSliceReachingPastTheTailersLastPoll_takesTheGranuleItIsFilling_fromTheTailer() {
        Coverage coverage = new Coverage(
                Optional.of(t("2026-01-01T00:00:00Z")),
                Optional.of(t("2026-03-05T00:00:00Z")),
                Optional.of(t("2026-03-05T01:30:00Z")));
        RealtimeSketches.Granule closed = new RealtimeSketches.Granule(t("2026-03-05T00:00:00Z"), Map.of());
        RealtimeSketches.Granule filling = new RealtimeSketches.Granule(t("2026-03-05T01:00:00Z"), Map.of());
        Function<Instant, Optional<RealtimeSketches.Granule>> tail = start ->
                Stream.of(closed, filling).filter(g -> g.start().equals(start)).findFirst();

        List<SliceCover.Piece> toNow =
                cover.cover(t("2026-03-04T00:00:00Z"), t("2026-03-05T01:31:12.345Z"), coverage, tail);
        List<SliceCover.Piece> pastTheGranule =
                cover.cover(t("2026-03-04T00:00:00Z"), t("2026-03-05T03:00:00Z"), coverage, tail);
        List<SliceCover.Piece> beforeThePoll =
                cover.cover(t("2026-03-04T00:00:00Z"), t("2026-03-05T01:20:00Z"), coverage, tail);

        assertThat(toNow)
                .containsExactly(
                        new SliceCover.Stored(Level.DAY, UTC, t("2026-03-04T00:00:00Z"), t("2026-03-05T00:00:00Z")),
                        new SliceCover.Realtime(closed, t("2026-03-05T01:00:00Z")),
                        new SliceCover.Realtime(filling, t("2026-03-05T01:31:12.345Z")));
        assertThat(pastTheGranule)
                .as("later granules, empty until events arrive, from the source")
                .endsWith(
                        new SliceCover.Realtime(filling, t("2026-03-05T02:00:00Z")),
                        new SliceCover.FromSource(t("2026-03-05T02:00:00Z"), t("2026-03-05T03:00:00Z")));
        assertThat(beforeThePoll)
                .as("a cut before the last poll cannot take the granule's sketches: the source")
                .endsWith(
                        new SliceCover.Realtime(closed, t("2026-03-05T01:00:00Z")),
                        new SliceCover.FromSource(t("2026-03-05T01:00:00Z"), t("2026-03-05T01:20:00Z")));
    }

    @Test
    void beforeTheFirstPrecomputedGranule_isReadFromTheSource() {
        Coverage coverage = new Coverage(
                Optional.of(t("2026-03-04T00:00:00Z")), Optional.of(t("2026-03-06T00:00:00Z")), Optional.empty());

        List<SliceCover.Piece> pieces =
                cover.cover(t("2026-03-03T12:00:00Z"), t("2026-03-05T00:00:00Z"), coverage, start -> Optional.empty());

        assertThat(pieces)
                .containsExactly(
                        new SliceCover.FromSource(t("2026-03-03T12:00:00Z"), t("2026-03-04T00:00:00Z")),
                        new SliceCover.Stored(Level.DAY, UTC, t("2026-03-04T00:00:00Z"), t("2026-03-05T00:00:00Z")));
    }

    @Test
    void aSliceInsideOneGranule_isOneSourceWindow() {
        assertThat(cover.cover(
                        t("2026-03-03T12:10:00Z"), t("2026-03-03T12:50:00Z"), ALL_PRECOMPUTED, s -> Optional.empty()))
                .containsExactly(new SliceCover.FromSource(t("2026-03-03T12:10:00Z"), t("2026-03-03T12:50:00Z")));
    }

    @Test
    void sixtyDaysAcrossMonths_needFewerBucketsThanDays() {
        List<SliceCover.Piece> pieces = cover.cover(
                t("2026-01-20T00:00:00Z"), t("2026-03-21T00:00:00Z"), ALL_PRECOMPUTED, start -> Optional.empty());

        assertThat(pieces).allMatch(SliceCover.Stored.class::isInstance);
        assertThat(pieces.get(0).start()).isEqualTo(t("2026-01-20T00:00:00Z"));
        assertThat(pieces.get(pieces.size() - 1).end()).isEqualTo(t("2026-03-21T00:00:00Z"));
        // the fewest: 6 days to Monday Jan 26, 5 weeks to Mar 2 (cheaper than 6 days + February), 2 weeks, 5 days
        assertThat(pieces).hasSize(18);
        for (int i = 1; i < pieces.size(); i++) {
            assertThat(pieces.get(i).start()).isEqualTo(pieces.get(i - 1).end());
        }
    }

    /**
     * The cover that walks local days is the one that converted every granule (the reference below, the code it
     * replaced): ranges of up to 100 days in zones with DST at midnight (São Paulo 2018), half-hour offsets and a
     * half-hour DST shift (Lord Howe), granules of 1 h and 30 min.
     */
    @Test
    void walkingLocalDays_coversAsConvertingEveryGranuleDid() {
        List<ZoneId> zones = List.of(
                UTC,
                ZoneId.of("Europe/Berlin"),
                ZoneId.of("America/New_York"),
                ZoneId.of("America/Sao_Paulo"),
                ZoneId.of("Asia/Kolkata"),
                ZoneId.of("Australia/Lord_Howe"));
        java.util.Random random = new java.util.Random(16);
        for (Duration granularity : List.of(Duration.ofHours(1), Duration.ofMinutes(30))) {
            for (ZoneId zone : zones) {
                UniqueCountDefinition definition = TestDefinitions.definition(
                        "d",
                        "logs-*",
                        "@timestamp",
                        "user",
                        List.of("country"),
                        granularity,
                        List.of(zone),
                        14,
                        Duration.ofMinutes(15),
                        1000);
                SliceCover walking = new SliceCover(definition);
                long g = granularity.toMillis();
                for (int i = 0; i < 150; i++) {
                    long from = t("2018-01-01T00:00:00Z").toEpochMilli() + random.nextInt(9 * 365 * 48) * 1_800_000L;
                    from = from / g * g;
                    long to = from + (1 + random.nextInt(100 * 24 * 2)) * g;
                    Instant start = Instant.ofEpochMilli(from);
                    Instant end = Instant.ofEpochMilli(to);
                    assertThat(walking.calendarCover(start, end))
                            .as("%s, %s, %s to %s", zone, granularity, start, end)
                            .isEqualTo(everyGranuleCover(start, end, zone, g));
                }
            }
        }
    }

    private static List<SliceCover.Stored> everyGranuleCover(Instant from, Instant to, ZoneId zone, long granule) {
        int n = Math.toIntExact((to.toEpochMilli() - from.toEpochMilli()) / granule);
        int[] steps = new int[n + 1];
        int[] previous = new int[n + 1];
        Level[] via = new Level[n + 1];
        java.util.Arrays.fill(steps, Integer.MAX_VALUE);
        steps[0] = 0;
        for (int i = 0; i < n; i++) {
            relax(steps, previous, via, i, i + 1, Level.GRANULE);
            Instant at = from.plusMillis(i * granule);
            if (!Level.DAY.start(at, zone).equals(at)) {
                continue;
            }
            for (Level level : Level.CALENDAR) {
                if (level.start(at, zone).equals(at)) {
                    Instant bucketEnd = level.end(at, zone);
                    if (!bucketEnd.isAfter(to)) {
                        relax(
                                steps,
                                previous,
                                via,
                                i,
                                (int) ((bucketEnd.toEpochMilli() - from.toEpochMilli()) / granule),
                                level);
                    }
                }
            }
        }
        List<SliceCover.Stored> pieces = new java.util.ArrayList<>();
        for (int j = n; j > 0; j = previous[j]) {
            pieces.add(new SliceCover.Stored(
                    via[j], zone, from.plusMillis(previous[j] * granule), from.plusMillis(j * granule)));
        }
        java.util.Collections.reverse(pieces);
        return pieces;
    }

    private static void relax(int[] steps, int[] previous, Level[] via, int from, int to, Level level) {
        if (steps[from] + 1 < steps[to]) {
            steps[to] = steps[from] + 1;
            previous[to] = from;
            via[to] = level;
        }
    }

    private static SliceCover.Stored fine(String start) {
        return new SliceCover.Stored(Level.FINE, ZoneOffset.UTC, t(start), t(start).plus(Duration.ofMinutes(5)));
    }

    private static Instant t(String text) {
        return Instant.parse(text);
    }
}
