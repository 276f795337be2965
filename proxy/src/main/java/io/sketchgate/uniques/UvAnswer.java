package io.sketchgate.uniques;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

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
public final class UvAnswer {
    private final List<Row> rows;
    private final List<Row> totals;
    /** The overall count, made when first asked: a split chart that shows only its terms never needs it. */
    private final Supplier<UvCount> overall;

    private final long overallPageViews;

    private final Optional<Instant> watermark;
    private final Stats stats;

    public UvAnswer(List<Row> rows, List<Row> totals, UvCount overall, Optional<Instant> watermark, Stats stats) {
        this(rows, totals, () -> overall, overall == null ? 0 : overall.pv(), watermark, stats);
    }

    /**
     * @param overall          computes the overall count; called at most once, by the first {@link #overall()}
     * @param overallPageViews the overall count's page views (every event is in exactly one combination's total)
     */
    public UvAnswer(
            List<Row> rows,
            List<Row> totals,
            Supplier<UvCount> overall,
            long overallPageViews,
            Optional<Instant> watermark,
            Stats stats) {
        this.rows = List.copyOf(rows);
        this.totals = List.copyOf(totals);
        this.overall = memoize(Objects.requireNonNull(overall, "overall"));
        this.overallPageViews = overallPageViews;
        this.watermark = Objects.requireNonNull(watermark, "watermark");
        this.stats = Objects.requireNonNull(stats, "stats");
    }

    public List<Row> rows() {
        return rows;
    }

    public List<Row> totals() {
        return totals;
    }

    public UvCount overall() {
        return overall.get();
    }

    /** {@link #overall()}'s page views, without making the overall count. */
    public long overallPageViews() {
        return overallPageViews;
    }

    public Optional<Instant> watermark() {
        return watermark;
    }

    public Stats stats() {
        return stats;
    }

    private static Supplier<UvCount> memoize(Supplier<UvCount> compute) {
        return new Supplier<>() {
            private UvCount value;
            private boolean done;

            @Override
            public synchronized UvCount get() {
                if (!done) {
                    value = compute.get();
                    done = true;
                }
                return value;
            }
        };
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof UvAnswer answer
                && rows.equals(answer.rows)
                && totals.equals(answer.totals)
                && Objects.equals(overall(), answer.overall())
                && watermark.equals(answer.watermark)
                && stats.equals(answer.stats);
    }

    @Override
    public int hashCode() {
        return Objects.hash(rows, totals, overall(), watermark, stats);
    }

    @Override
    public String toString() {
        return "UvAnswer[rows=" + rows + ", totals=" + totals + ", overall=" + overall() + ", watermark=" + watermark
                + ", stats=" + stats + "]";
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
     * @param elasticsearchRequests requests sent to Elasticsearch for this answer: a catalogue load, sketches read,
     *     counts and source reads (none when every bucket and sketch it needs is in memory)
     */
    public record Stats(
            long sketchesMerged,
            long storedBuckets,
            long edgeSlices,
            long sourceEvents,
            long cacheHits,
            long elasticsearchRequests) {}
}
