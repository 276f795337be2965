package io.sketchgate.uniques;

import io.sketchgate.config.EdgeReads;
import io.sketchgate.config.UniqueCountDefinition;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A question for a definition's unique-count index: UV and PV of each time slice of {@code [from, to)}, per
 * combination of the {@code split} dimensions' values, counting only events whose dimensions pass {@code
 * filters}. Slices are what the caller's interval makes of the range (the UV API's {@code interval}, Kibana's
 * {@code date_histogram}); the answer also has the totals over the whole range.
 *
 * @param slices  sorted, non-overlapping, inside {@code [from, to)}; empty asks for totals only
 * @param filters per dimension, the values an event must have one of ({@link BucketKey#MISSING} for "no value");
 *                dimensions not named are not filtered
 * @param split   at most two of the definition's dimensions, not filtered to one value necessarily
 * @param measure what to count: UV and PV; UV of the slices only ({@link Measure#SLICE_UV}); or PV only (no sketch
 *                is read; every {@code uv} is then 0)
 * @param rows    which split combinations get per-slice rows, chosen once the totals are known (a chart's top
 *                terms); totals and {@code overall} always cover every combination
 * @param edges   how unaligned edges are read ({@link EdgeReads})
 */
public record UvQuestion(
        UniqueCountDefinition definition,
        Instant from,
        Instant to,
        List<TimeSlice> slices,
        Map<String, Set<String>> filters,
        List<String> split,
        Measure measure,
        RowSelection rows,
        EdgeReads edges) {

    /** UV and PV, per-slice rows for every combination. */
    public UvQuestion(
            UniqueCountDefinition definition,
            Instant from,
            Instant to,
            List<TimeSlice> slices,
            Map<String, Set<String>> filters,
            List<String> split) {
        this(definition, from, to, slices, filters, split, Measure.UV_AND_PV, RowSelection.ALL, EdgeReads.FINE);
    }

    public UvQuestion {
        Objects.requireNonNull(definition, "definition");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        slices = List.copyOf(slices);
        filters = Map.copyOf(filters);
        split = List.copyOf(split);
        Objects.requireNonNull(measure, "measure");
        Objects.requireNonNull(rows, "rows");
        Objects.requireNonNull(edges, "edges");
    }

    /** The same question with its edges read another way. */
    public UvQuestion withEdges(EdgeReads read) {
        return new UvQuestion(definition, from, to, slices, filters, split, measure, rows, read);
    }

    /**
     * What a question counts. {@code PV_ONLY} is for charts that show only event counts ({@code doc_count},
     * {@code hits.total}): page views come from the stored documents and source counts, no sketch is decoded,
     * merged or scanned for.
     */
    public enum Measure {
        UV_AND_PV,
        /**
         * UV and PV of each slice; of the totals (and {@code overall}) the PV only, their {@code uv} 0: a daily
         * unique-count chart shows each day's UV and the range's event count ({@code hits.total}), and the union of
         * every day's sketches was a sixth of its engine time.
         */
        SLICE_UV,
        PV_ONLY
    }

    /**
     * Picks, from the totals, the split combinations whose per-slice rows the caller reads: a Kibana chart of the
     * top 5 terms over time shows 5 of perhaps 25 values, and the rest need no per-slice estimate.
     */
    @FunctionalInterface
    public interface RowSelection {
        RowSelection ALL = totals -> split -> true;

        Predicate<Map<String, String>> select(List<UvAnswer.Row> totals);
    }

    /** {@code [start, end)}. */
    public record TimeSlice(Instant start, Instant end) {
        public TimeSlice {
            if (!start.isBefore(end)) {
                throw new IllegalArgumentException("empty slice " + start + " .. " + end);
            }
        }
    }
}
