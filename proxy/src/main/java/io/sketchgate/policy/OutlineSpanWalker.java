package io.sketchgate.policy;

import io.sketchgate.esapi.SearchOutline;
import java.util.List;
import java.util.OptionalInt;

/**
 * {@link QuerySpanWalker} over the skeleton the streaming pass keeps ({@link SearchOutline}) instead of a tree: the
 * same rules in the same order, so the same spans. It meets only the recognised shapes; anything it cannot decide
 * exactly as the tree walker would (a range value only the tree can word an error for) raises
 * {@link RangeReader.NotFast}, and a {@link TimeSpanException} is also left to the tree, whose message names the
 * clause's path. {@code FastPathDifferentialFuzzTest} holds the two walkers to the same verdicts.
 */
final class OutlineSpanWalker {
    private static final String PATH = "query"; // only in messages the caller discards: the tree words errors

    private final String timeField;
    private final RangeReader ranges;
    private final long nowMillis;

    OutlineSpanWalker(String timeField, RangeReader ranges, long nowMillis) {
        this.timeField = timeField;
        this.ranges = ranges;
        this.nowMillis = nowMillis;
    }

    TimeSpan span(SearchOutline.Node node) throws RangeReader.NotFast {
        if (node instanceof SearchOutline.Bool bool) {
            return bool(bool);
        }
        if (node instanceof SearchOutline.Range range) {
            return timeField.equals(range.field())
                    ? ranges.read(range.params(), PATH, nowMillis)
                    : TimeSpan.unbounded();
        }
        return node == SearchOutline.Leaf.MATCH_NONE ? TimeSpan.empty() : TimeSpan.unbounded();
    }

    private TimeSpan bool(SearchOutline.Bool bool) throws RangeReader.NotFast {
        TimeSpan span = TimeSpan.unbounded();
        span = allOf(span, bool.must());
        span = allOf(span, bool.filter());
        List<SearchOutline.Node> should = bool.should();
        int requiredShould = requiredShould(
                bool.minimumShouldMatch(),
                should.size(),
                bool.must().size() + bool.filter().size());
        if (requiredShould >= should.size() && !should.isEmpty()) {
            span = allOf(span, should);
        } else if (requiredShould >= 1) {
            span = span.intersect(anyOf(should));
        }
        return span;
    }

    /** {@code span} narrowed by every clause; indexed, as the outline's lists are random access (no iterator). */
    private TimeSpan allOf(TimeSpan span, List<SearchOutline.Node> clauses) throws RangeReader.NotFast {
        TimeSpan narrowed = span;
        for (int i = 0; i < clauses.size(); i++) {
            narrowed = narrowed.intersect(span(clauses.get(i)));
        }
        return narrowed;
    }

    /** As {@link QuerySpanWalker}: 0 when unknown, which only widens; at least one without must or filter. */
    private static int requiredShould(String spec, int shouldCount, int requiredCount) {
        if (shouldCount == 0) {
            return 0;
        }
        int fromSpec = 0;
        if (spec != null) {
            OptionalInt computed = MinimumShouldMatch.of(shouldCount, spec);
            fromSpec = computed.orElse(0);
        }
        return requiredCount == 0 ? Math.max(fromSpec, 1) : fromSpec;
    }

    private TimeSpan anyOf(List<SearchOutline.Node> alternatives) throws RangeReader.NotFast {
        TimeSpan union = TimeSpan.empty();
        for (int i = 0; i < alternatives.size(); i++) {
            union = union.hull(span(alternatives.get(i)));
        }
        return union;
    }
}
