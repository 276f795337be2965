package io.sketchgate.uniques;

import io.sketchgate.config.UniqueCountDefinition;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.elasticsearch.client.RestClient;

/**
 * Reads parts of a question straight from the source: unaligned edges and granules neither precomputed nor
 * tailed (distinct values hashed exactly as the batch job hashes them, through {@link SourceScanner} and
 * {@link BucketAccumulator}), and page views of tailed granules the tailer has not counted yet (a state just
 * restored: {@link TailPageViews} counts them at each poll). Only the
 * dimensions the question splits or filters by are read, and only events passing its filters.
 */
final class SourceSlices {
    private static final int PAGE_SIZE = 10_000;

    private final UniqueCountDefinition definition;
    private final DimensionSelection selection;
    private final SourceScanner uniques;
    private final SourceScanner pageViews;
    private long windows;
    private long events;

    /** @param sent counts every search sent (the question's requests, with its other reads) */
    SourceSlices(RestClient client, UniqueCountDefinition definition, DimensionSelection selection, AtomicLong sent) {
        this.definition = definition;
        this.selection = selection;
        List<String> dimensions = selection.sourceDimensions();
        this.uniques = new SourceScanner(client, definition, dimensions, selection.filters(), true, PAGE_SIZE, sent);
        this.pageViews = new SourceScanner(client, definition, dimensions, selection.filters(), false, PAGE_SIZE, sent);
    }

    /** Distinct values and events of {@code [from, to)} per split combination. */
    Map<List<String>, BucketAccumulator> uniques(Instant from, Instant to) throws IOException {
        windows++;
        Map<List<String>, BucketAccumulator> read = new HashMap<>();
        uniques.scan(from, to, (granule, values, hasValue, hash, count) -> add(read, values, hasValue, hash, count));
        return read;
    }

    /** One source row into its combination's accumulator. */
    private void add(
            Map<List<String>, BucketAccumulator> read, String[] values, boolean hasValue, long hash, long count) {
        BucketAccumulator accumulator = read.computeIfAbsent(
                selection.combinationOfSourceRow(values),
                k -> new BucketAccumulator(definition.precision(), definition.maxExactValues()));
        if (hasValue) {
            accumulator.addHash(hash);
        }
        accumulator.addPageViews(count);
        events += count;
    }

    /**
     * As {@link #uniques(Instant, Instant)} for every window, in one search when no two windows touch the same
     * granule (a row's granule then tells its window: a chart's two edges); windows sharing a granule (adjacent
     * slices cut inside it) are read one by one.
     */
    Map<SliceCover.FromSource, Map<List<String>, BucketAccumulator>> uniques(Collection<SliceCover.FromSource> pieces)
            throws IOException {
        Map<SliceCover.FromSource, Map<List<String>, BucketAccumulator>> read = new HashMap<>();
        long granule = definition.granularity().toMillis();
        TreeMap<Long, SliceCover.FromSource> byFirstGranule = new TreeMap<>();
        boolean shared = false;
        long previousEnd = Long.MIN_VALUE;
        List<SliceCover.FromSource> ordered = new ArrayList<>(pieces);
        ordered.sort(Comparator.comparing(SliceCover.FromSource::start));
        for (SliceCover.FromSource piece : ordered) {
            long first = Math.floorDiv(piece.start().toEpochMilli(), granule) * granule;
            shared |= first < previousEnd;
            previousEnd = Math.floorDiv(piece.end().toEpochMilli() + granule - 1, granule) * granule;
            byFirstGranule.put(first, piece);
            read.put(piece, new HashMap<>());
        }
        if (shared || pieces.size() < 2) {
            for (SliceCover.FromSource piece : pieces) {
                read.put(piece, uniques(piece.start(), piece.end()));
            }
            return read;
        }
        windows += pieces.size();
        List<Instant[]> ranges = ordered.stream()
                .map(piece -> new Instant[] {piece.start(), piece.end()})
                .toList();
        uniques.scan(
                ranges,
                (granuleStart, values, hasValue, hash, count) -> add(
                        read.get(byFirstGranule.floorEntry(granuleStart).getValue()), values, hasValue, hash, count));
        return read;
    }

    /** Events of {@code [from, to)} per split combination. */
    Map<List<String>, Long> pageViews(Instant from, Instant to) throws IOException {
        Map<List<String>, Long> read = new HashMap<>();
        pageViews.scan(from, to, (granule, values, hasValue, hash, count) -> {
            read.merge(selection.combinationOfSourceRow(values), count, Long::sum);
            events += count;
        });
        return read;
    }

    /**
     * Events per split combination of each cut of a stored granule, all in one search: each cut lies in its own
     * granule, so a row's granule tells its cut (cuts sharing a granule are read one by one).
     */
    Map<SliceCover.Partial, Map<List<String>, Long>> pageViews(Collection<SliceCover.Partial> cuts) throws IOException {
        Map<SliceCover.Partial, Map<List<String>, Long>> read = new HashMap<>();
        Map<Long, SliceCover.Partial> byGranule = byGranule(cuts, read);
        if (byGranule == null) {
            for (SliceCover.Partial cut : cuts) {
                read.put(cut, pageViews(cut.start(), cut.end()));
            }
            return read;
        }
        if (!byGranule.isEmpty()) {
            pageViews.scan(ranges(byGranule), (granule, values, hasValue, hash, count) -> {
                read.get(byGranule.get(granule)).merge(selection.combinationOfSourceRow(values), count, Long::sum);
                events += count;
            });
        }
        return read;
    }

    /**
     * As {@link #pageViews(Collection)} for cuts {@link #inOneSearch}, sent without blocking: the rows are read on
     * the client's I/O thread and the future completes with them. {@link #events()} counts them once it is complete.
     */
    CompletableFuture<Map<SliceCover.Partial, Map<List<String>, Long>>> pageViewsAsync(
            Collection<SliceCover.Partial> cuts) {
        Map<SliceCover.Partial, Map<List<String>, Long>> read = new HashMap<>();
        Map<Long, SliceCover.Partial> byGranule = byGranule(cuts, read);
        if (byGranule == null) {
            throw new IllegalArgumentException("cuts sharing a granule are read one by one (pageViews): " + cuts);
        }
        if (byGranule.isEmpty()) {
            return CompletableFuture.completedFuture(read);
        }
        return pageViews
                .scanAsync(ranges(byGranule), (granule, values, hasValue, hash, count) -> {
                    read.get(byGranule.get(granule)).merge(selection.combinationOfSourceRow(values), count, Long::sum);
                    events += count;
                })
                .thenApply(done -> read);
    }

    /** Whether {@link #pageViewsAsync} reads these cuts (no two share a granule). */
    static boolean inOneSearch(Collection<SliceCover.Partial> cuts) {
        return byGranule(cuts, new HashMap<>()) != null;
    }

    /** Each cut by its granule's start, with an empty entry per cut in {@code read}; null when two share a granule. */
    private static Map<Long, SliceCover.Partial> byGranule(
            Collection<SliceCover.Partial> cuts, Map<SliceCover.Partial, Map<List<String>, Long>> read) {
        Map<Long, SliceCover.Partial> byGranule = new HashMap<>();
        boolean shared = false;
        for (SliceCover.Partial cut : cuts) {
            read.put(cut, new HashMap<>());
            SliceCover.Partial other = byGranule.put(cut.granule().start().toEpochMilli(), cut);
            shared |= other != null && !other.equals(cut);
        }
        return shared ? null : byGranule;
    }

    private static List<Instant[]> ranges(Map<Long, SliceCover.Partial> byGranule) {
        return byGranule.values().stream()
                .map(cut -> new Instant[] {cut.start(), cut.end()})
                .toList();
    }

    /** Windows whose distinct values were read. */
    long windows() {
        return windows;
    }

    long events() {
        return events;
    }
}
