package io.sketchgate.uniques;

import io.sketchgate.config.UniqueCountDefinition;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

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
 */
public record UvQuestion(
        UniqueCountDefinition definition,
        Instant from,
        Instant to,
        List<TimeSlice> slices,
        Map<String, Set<String>> filters,
        List<String> split) {

    public UvQuestion {
        Objects.requireNonNull(definition, "definition");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        slices = List.copyOf(slices);
        filters = Map.copyOf(filters);
        split = List.copyOf(split);
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
