package io.sketchgate.uniques;

import io.sketchgate.config.Durations;
import io.sketchgate.config.EdgeReads;
import io.sketchgate.config.UniqueCountDefinition;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Covers one time slice {@code [start, end)} with the pieces it is answered from:
 * <ol>
 *   <li>the granule-aligned interior inside the precomputed {@link Coverage} is tiled with the fewest stored
 *       buckets — months, weeks and days of a configured zone, granules in between — by a shortest path over
 *       the granule boundaries (each boundary can step one granule, or one calendar bucket starting there);
 *       every zone is tried and the one needing fewest buckets wins;</li>
 *   <li>granules after the precomputed range that the real-time tailer holds come from its sketches;</li>
 *   <li>with fine edges ({@link EdgeReads#FINE}), the unaligned edges inside the precomputed coverage are tiled with
 *       the finest stored tier the question can read: fine granules ({@link Level#FINE}) for the root subset (no
 *       split, no filter), else granules ({@link Level#GRANULE}), which every dimension subset has; a granule the
 *       cut splits is a {@link Partial}, which bounds the answer from above only;</li>
 *   <li>the rest — unaligned edges without fine edges (a slice starting at 10:37), granules neither precomputed
 *       nor tailed — is read from the source, adjacent parts merged into one window.</li>
 * </ol>
 */
final class SliceCover {

    sealed interface Piece permits Stored, Realtime, FromSource, Partial {
        Instant start();

        Instant end();
    }

    /** Each granularity's label, formatted once rather than for every stored piece a question covers. */
    private static final Map<Duration, String> GRANULARITY_LABELS = new ConcurrentHashMap<>();

    /** A stored bucket document (per dimension combination). */
    record Stored(Level level, ZoneId zone, Instant start, Instant end) implements Piece {
        String levelLabel(UniqueCountDefinition definition) {
            return level.label(GRANULARITY_LABELS.computeIfAbsent(definition.granularity(), Durations::format));
        }

        String zoneLabel() {
            return level == Level.GRANULE || level == Level.FINE ? "UTC" : zone.getId();
        }

        /** The key its documents are held under in the catalogue. */
        StoredBuckets.PieceKey key(UniqueCountDefinition definition) {
            return new StoredBuckets.PieceKey(levelLabel(definition), zoneLabel(), start);
        }
    }

    /**
     * The part {@code [start, end)} of the stored (fine) granule {@code granule} that a cut keeps: the granule's
     * sketch holds every value of the part and possibly more, so it counts towards the upper bound only; its events
     * come from the fine granule's per-minute page views or a count.
     */
    record Partial(Stored granule, Instant start, Instant end) implements Piece {}

    record Realtime(RealtimeSketches.Granule granule, Instant end) implements Piece {
        @Override
        public Instant start() {
            return granule.start();
        }
    }

    record FromSource(Instant start, Instant end) implements Piece {}

    private static final long MINUTE = UniqueCountDefinition.FINE_PV_STEP.toMillis();

    private final UniqueCountDefinition definition;
    private final long granule;
    private final EdgeReads edges;
    /** The tier that tiles unaligned edges, and its granule. */
    private final Level edgeLevel;

    private final long edgeStep;
    /** Whether the part of a cut off the minute is read from the source, the rest of it kept as a cut granule. */
    private final boolean minuteRemaindersFromSource;

    SliceCover(UniqueCountDefinition definition) {
        this(definition, EdgeReads.EXACT, true);
    }

    SliceCover(UniqueCountDefinition definition, EdgeReads edges) {
        this(definition, edges, true);
    }

    /** @param rootSubset whether the question reads the root subset only, which alone has the fine tier */
    SliceCover(UniqueCountDefinition definition, EdgeReads edges, boolean rootSubset) {
        this(definition, edges, rootSubset, false);
    }

    /**
     * @param minuteRemaindersFromSource with fine edges, a cut granule keeps whole minutes only: the seconds of a cut
     *     off the minute (10:37:12.345 to 10:38) are read from the source, so that a granule's value minutes can
     *     answer the rest exactly
     */
    SliceCover(
            UniqueCountDefinition definition, EdgeReads edges, boolean rootSubset, boolean minuteRemaindersFromSource) {
        this.minuteRemaindersFromSource = minuteRemaindersFromSource;
        this.definition = definition;
        this.granule = definition.granularity().toMillis();
        this.edges = edges;
        boolean fine = rootSubset && definition.fineTier().isPresent();
        this.edgeLevel = fine ? Level.FINE : Level.GRANULE;
        this.edgeStep = fine ? definition.fineTier().orElseThrow().toMillis() : granule;
    }

    /**
     * @param realtime the tailer's granule starting at an instant, if it holds it
     */
    List<Piece> cover(
            Instant start,
            Instant end,
            Coverage coverage,
            Function<Instant, Optional<RealtimeSketches.Granule>> realtime) {
        Instant alignedStart = ceil(start);
        Instant alignedEnd = Level.granuleStart(end, definition.granularity());
        Pieces pieces = new Pieces();
        if (!alignedStart.isBefore(alignedEnd)) {
            edge(pieces, start, end, coverage);
            return pieces.list;
        }
        edge(pieces, start, alignedStart, coverage);
        Instant storedFrom = max(alignedStart, coverage.first().orElse(alignedEnd));
        Instant storedTo = min(alignedEnd, coverage.through().orElse(alignedStart));
        if (storedFrom.isBefore(storedTo)) {
            pieces.source(alignedStart, storedFrom);
            pieces.list.addAll(calendarCover(storedFrom, storedTo));
        } else {
            storedTo = alignedStart;
        }
        Instant tailedTo =
                min(alignedEnd, coverage.tailedThrough().map(this::floor).orElse(storedTo));
        Instant cursor = storedTo;
        for (; cursor.isBefore(tailedTo); cursor = cursor.plusMillis(granule)) {
            Optional<RealtimeSketches.Granule> tailed = realtime.apply(cursor);
            if (tailed.isPresent()) {
                pieces.list.add(new Realtime(tailed.get(), cursor.plusMillis(granule)));
            } else {
                pieces.source(cursor, cursor.plusMillis(granule));
            }
        }
        Instant rest = max(cursor, storedTo);
        Optional<Instant> tailedThrough = coverage.tailedThrough();
        if (tailedThrough.isPresent()
                && !end.isBefore(tailedThrough.get())
                && rest.equals(floor(tailedThrough.get()))
                && rest.isBefore(end)) {
            // the granule the tailer is filling, for a slice reaching past its last poll ("now"): the answer is
            // then as of that poll, which its watermark says, as for the tailer's other granules
            Optional<RealtimeSketches.Granule> filling = realtime.apply(rest);
            if (filling.isPresent()) {
                Instant filledTo = min(end, rest.plusMillis(granule));
                pieces.list.add(new Realtime(filling.get(), filledTo));
                rest = filledTo;
            }
        }
        pieces.source(rest, alignedEnd);
        edge(pieces, max(rest, alignedEnd), end, coverage);
        return pieces.list;
    }

    /**
     * {@code [from, to)}, shorter than a granule at a slice's edge: fine granules where precomputed and asked for,
     * else the source.
     */
    private void edge(Pieces pieces, Instant from, Instant to, Coverage coverage) {
        if (edges == EdgeReads.EXACT || !from.isBefore(to)) {
            pieces.source(from, to);
            return;
        }
        long fine = edgeStep;
        Instant first = coverage.first().orElse(Instant.MAX);
        Instant through = coverage.through().orElse(Instant.MIN);
        for (long at = Math.floorDiv(from.toEpochMilli(), fine) * fine; at < to.toEpochMilli(); at += fine) {
            Instant fineStart = Instant.ofEpochMilli(at);
            Instant fineEnd = fineStart.plusMillis(fine);
            Instant cutStart = max(from, fineStart);
            Instant cutEnd = min(to, fineEnd);
            if (fineStart.isBefore(first) || fineEnd.isAfter(through)) {
                pieces.source(cutStart, cutEnd);
                continue;
            }
            Stored stored = new Stored(edgeLevel, java.time.ZoneOffset.UTC, fineStart, fineEnd);
            if (!minuteRemaindersFromSource) {
                storedOrCut(pieces, stored, cutStart, cutEnd);
                continue;
            }
            Instant wholeStart = Level.granuleStart(cutStart.plusMillis(MINUTE - 1), Duration.ofMillis(MINUTE));
            Instant wholeEnd = Level.granuleStart(cutEnd, Duration.ofMillis(MINUTE));
            if (!wholeStart.isBefore(wholeEnd)) {
                pieces.source(cutStart, cutEnd);
                continue;
            }
            pieces.source(cutStart, wholeStart);
            storedOrCut(pieces, stored, wholeStart, wholeEnd);
            pieces.source(wholeEnd, cutEnd);
        }
    }

    private static void storedOrCut(Pieces pieces, Stored stored, Instant cutStart, Instant cutEnd) {
        if (cutStart.equals(stored.start()) && cutEnd.equals(stored.end())) {
            pieces.list.add(stored);
        } else {
            pieces.list.add(new Partial(stored, cutStart, cutEnd));
        }
    }

    /** The fewest stored buckets tiling {@code [from, to)} (both granule-aligned), over every configured zone. */
    List<Stored> calendarCover(Instant from, Instant to) {
        Steps best = null;
        for (ZoneId zone : definition.timeZones()) {
            Steps candidate = fewestSteps(from, to, zone);
            if (best == null || candidate.count() < best.count()) {
                best = candidate;
            }
        }
        return best.pieces(from); // only the winner's: another zone's cover of a day is its 24 granules
    }

    /**
     * The fewest stored buckets from {@code from} to each granule boundary up to {@code to} in {@code zone}, with the
     * bucket that ends at each: a shortest path over the granules, where a calendar bucket jumps ahead.
     */
    private Steps fewestSteps(Instant from, Instant to, ZoneId zone) {
        int n = Math.toIntExact((to.toEpochMilli() - from.toEpochMilli()) / granule);
        int[] steps = new int[n + 1];
        int[] previous = new int[n + 1];
        Level[] via = new Level[n + 1];
        Arrays.fill(steps, Integer.MAX_VALUE);
        steps[0] = 0;
        LocalDate[] dayStartingAt = localDayStarts(from, to, zone, n);
        for (int i = 0; i < n; i++) {
            relax(steps, previous, via, i, i + 1, Level.GRANULE);
            LocalDate day = dayStartingAt[i];
            if (day == null) {
                continue; // every calendar bucket starts at the start of a local day
            }
            Instant at = from.plusMillis(i * granule);
            for (Level level : Level.CALENDAR) {
                if (!level.startsOn(day)) {
                    continue;
                }
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
        return new Steps(zone, granule, steps[n], previous, via);
    }

    /** One zone's shortest cover, as {@link #fewestSteps} left it: its size, and the way back from the end. */
    private record Steps(ZoneId zone, long granule, int count, int[] previous, Level[] via) {
        List<Stored> pieces(Instant from) {
            List<Stored> pieces = new ArrayList<>(count);
            for (int j = previous.length - 1; j > 0; j = previous[j]) {
                Instant bucketStart = from.plusMillis(previous[j] * granule);
                Instant bucketEnd = from.plusMillis(j * granule);
                pieces.add(new Stored(via[j], zone, bucketStart, bucketEnd));
            }
            java.util.Collections.reverse(pieces);
            return pieces;
        }
    }

    /**
     * Per granule of {@code [from, to)}, the local date that starts at its start, else null. Walks the local days,
     * one zone conversion each, instead of converting every granule (a 45-day cover: 45 conversions, not 1,080;
     * the per-granule conversions were a sixth of a chart's engine time).
     */
    private LocalDate[] localDayStarts(Instant from, Instant to, ZoneId zone, int n) {
        LocalDate[] days = new LocalDate[n + 1];
        for (LocalDate date = from.atZone(zone).toLocalDate(); ; date = date.plusDays(1)) {
            long offset = date.atStartOfDay(zone).toInstant().toEpochMilli() - from.toEpochMilli();
            if (offset >= to.toEpochMilli() - from.toEpochMilli()) {
                return days;
            }
            if (offset >= 0 && offset % granule == 0) {
                days[(int) (offset / granule)] = date;
            }
        }
    }

    private static void relax(int[] steps, int[] previous, Level[] via, int from, int to, Level level) {
        if (steps[from] + 1 < steps[to]) {
            steps[to] = steps[from] + 1;
            previous[to] = from;
            via[to] = level;
        }
    }

    private Instant ceil(Instant instant) {
        Instant floor = floor(instant);
        return floor.equals(instant) ? floor : floor.plusMillis(granule);
    }

    private Instant floor(Instant instant) {
        return Level.granuleStart(instant, Duration.ofMillis(granule));
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    /** Pieces in time order; adjacent source windows become one. */
    private static final class Pieces {
        final List<Piece> list = new ArrayList<>();

        void source(Instant start, Instant end) {
            if (!start.isBefore(end)) {
                return;
            }
            if (!list.isEmpty()
                    && list.get(list.size() - 1) instanceof FromSource last
                    && last.end().equals(start)) {
                list.set(list.size() - 1, new FromSource(last.start(), end));
            } else {
                list.add(new FromSource(start, end));
            }
        }
    }
}
