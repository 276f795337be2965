package io.sketchgate.uniques;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The answer to a {@link UvQuestion}.
 *
 * @param rows       one per (slice, split value combination) that has events, in slice order; a slice or
 *                   combination without events has no row
 * @param totals     over the whole {@code [from, to)}, one per split value combination that has events (one row
 *                   with an empty split map when the question has no split)
 * @param overall    over the whole range and every split value (equals the single total without split)
 * @param watermark  events before this instant are in the answer (the newer of the batch watermark and the
 *                   tailer's position); empty when no data has been precomputed or tailed yet
 * @param stats      what answering cost, for {@code took}, metrics and benchmarks
 */
public record UvAnswer(List<Row> rows, List<Row> totals, UvCount overall, Optional<Instant> watermark, Stats stats) {

    public UvAnswer {
        rows = List.copyOf(rows);
        totals = List.copyOf(totals);
    }

    /**
     * One number pair.
     *
     * @param slice the time slice, or empty for a total
     * @param split the split dimensions' values, in the question's order; empty without split
     */
    public record Row(Optional<UvQuestion.TimeSlice> slice, Map<String, String> split, UvCount count) {
        public Row {
            split = Map.copyOf(split);
        }
    }

    /**
     * @param sketchesMerged   stored or real-time sketches unioned
     * @param storedBuckets    stored bucket documents read
     * @param edgeSlices       slices read from the source (unaligned edges, buckets not yet precomputed)
     * @param sourceEvents     events those reads counted
     * @param cacheHits        decoded sketches served from the cache
     */
    public record Stats(long sketchesMerged, long storedBuckets, long edgeSlices, long sourceEvents, long cacheHits) {}
}
