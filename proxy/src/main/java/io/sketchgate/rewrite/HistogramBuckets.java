package io.sketchgate.rewrite;

import io.sketchgate.uniques.UvQuestion.TimeSlice;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The buckets of one {@code date_histogram} over a search's {@code [from, to)}: each key and the part of its bucket
 * inside the range (the slice asked of the unique-count index), and which keys Elasticsearch lists for the keys
 * that have events (empty-bucket filling with {@code min_doc_count: 0}, {@code extended_bounds},
 * {@code hard_bounds}).
 */
final class HistogramBuckets {
    /** More buckets than this is not a Kibana chart; Elasticsearch's own limit (search.max_buckets) is 65,536. */
    static final int MAX_BUCKETS = 20_000;

    private HistogramBuckets() {}

    /** Key → slice, in key order, for every bucket that overlaps {@code [from, to)} and that hard_bounds keep. */
    static Map<Long, TimeSlice> slices(AggNode.DateHistogram histogram, Instant from, Instant to) {
        HistogramRounding rounding = histogram.rounding();
        Map<Long, TimeSlice> slices = new LinkedHashMap<>();
        long end = to.toEpochMilli();
        for (long key = rounding.round(from.toEpochMilli()); key < end; key = rounding.next(key)) {
            if (slices.size() >= MAX_BUCKETS) {
                throw new NotRewritable("more than " + MAX_BUCKETS + " date_histogram buckets");
            }
            if (!inHardBounds(histogram, key)) {
                continue;
            }
            long start = Math.max(key, from.toEpochMilli());
            long stop = Math.min(rounding.next(key), end);
            slices.put(key, new TimeSlice(Instant.ofEpochMilli(start), Instant.ofEpochMilli(stop)));
        }
        return slices;
    }

    /** Elasticsearch rounds hard_bounds like keys, then keeps {@code min <= key < max} ({@code LongBounds}). */
    static boolean inHardBounds(AggNode.DateHistogram histogram, long key) {
        HistogramRounding rounding = histogram.rounding();
        return histogram
                .hardBounds()
                .map(b -> (b[0] == Long.MIN_VALUE || rounding.round(b[0]) <= key)
                        && (b[1] == Long.MAX_VALUE || key < rounding.round(b[1])))
                .orElse(true);
    }

    /**
     * The keys Elasticsearch returns, given each key's event count: with {@code min_doc_count} above 0 the keys
     * with that many events; with 0, every key from the first to the last non-empty one, widened to the rounded
     * {@code extended_bounds}, within {@code hard_bounds}.
     */
    static List<Long> listedKeys(AggNode.DateHistogram histogram, Map<Long, Long> docCounts) {
        if (histogram.minDocCount() > 0) {
            return docCounts.entrySet().stream()
                    .filter(e -> e.getValue() >= histogram.minDocCount())
                    .map(Map.Entry::getKey)
                    .sorted()
                    .toList();
        }
        TreeSet<Long> keys = new TreeSet<>(docCounts.keySet());
        HistogramRounding rounding = histogram.rounding();
        Optional<long[]> extended = histogram.extendedBounds();
        Long low = keys.isEmpty() ? null : keys.first();
        Long high = keys.isEmpty() ? null : keys.last();
        if (extended.isPresent()) {
            long[] bounds = extended.get();
            if (bounds[0] != Long.MIN_VALUE) {
                long min = rounding.round(bounds[0]);
                low = low == null ? min : Math.min(low, min);
            }
            if (bounds[1] != Long.MAX_VALUE) {
                long max = rounding.round(bounds[1]);
                high = high == null ? max : Math.max(high, max);
            }
        }
        if (low == null || high == null) {
            return List.copyOf(keys);
        }
        List<Long> stepped = new ArrayList<>();
        for (long key = low; key <= high; key = rounding.next(key)) {
            if (stepped.size() >= MAX_BUCKETS) {
                throw new NotRewritable("more than " + MAX_BUCKETS + " date_histogram buckets");
            }
            stepped.add(key);
        }
        // the keys with events are the rounding's own keys, so already stepped over: a sorted set only if one is not
        Collection<Long> listed = stepped;
        for (Long key : keys) {
            if (Collections.binarySearch(stepped, key) < 0) {
                TreeSet<Long> merged = new TreeSet<>(keys);
                merged.addAll(stepped);
                listed = merged;
                break;
            }
        }
        List<Long> kept = new ArrayList<>(listed.size());
        for (Long key : listed) {
            if (inHardBounds(histogram, key)) {
                kept.add(key);
            }
        }
        return kept;
    }
}
