package io.sketchgate.rewrite;

import io.sketchgate.rewrite.AggNode.Bucketing;
import io.sketchgate.rewrite.AggNode.DateHistogram;
import io.sketchgate.rewrite.AggNode.Filter;
import io.sketchgate.rewrite.AggNode.Filters;
import io.sketchgate.rewrite.AggNode.Named;
import io.sketchgate.rewrite.AggNode.Terms;
import io.sketchgate.uniques.UvQuestion;
import io.sketchgate.uniques.UvQuestion.TimeSlice;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The unique-count questions a {@link RewritePlan} needs: one per distinct (filters, split dimensions, histogram)
 * on the way to each bucketing aggregation, plus the whole range for {@code hits.total} and top-level metrics.
 * A {@code terms} asks for every value of its dimension (split), so its ordering, {@code size} and
 * {@code sum_other_doc_count} are computed here from exact PVs, as ES computes them on one shard.
 */
final class QuestionPlan {

    /** Where an aggregation sits: the filters above it, the terms dimensions above it, the histogram above it. */
    record Path(Map<String, Set<String>> filters, List<String> split, Optional<DateHistogram> histogram) {
        Path {
            filters = Map.copyOf(filters);
            split = List.copyOf(split);
        }

        /** Null when no value passes both (the buckets below are empty, nothing to ask). */
        Path withFilter(Map<String, Set<String>> more) {
            Map<String, Set<String>> merged = new LinkedHashMap<>(filters);
            for (Map.Entry<String, Set<String>> entry : more.entrySet()) {
                Set<String> values = new LinkedHashSet<>(entry.getValue());
                if (merged.containsKey(entry.getKey())) {
                    values.retainAll(merged.get(entry.getKey()));
                }
                if (values.isEmpty()) {
                    return null;
                }
                merged.put(entry.getKey(), Set.copyOf(values));
            }
            return new Path(merged, split, histogram);
        }

        Path withSplit(String dimension) {
            List<String> more = new ArrayList<>(split);
            more.add(dimension);
            return new Path(filters, more, histogram);
        }

        Path withHistogram(DateHistogram h) {
            return new Path(filters, split, Optional.of(h));
        }
    }

    private final RewritePlan plan;
    private final Map<Path, UvQuestion> questions = new LinkedHashMap<>();
    private final Map<DateHistogram, Map<Long, TimeSlice>> slices = new IdentityHashMap<>();
    final Path root;

    QuestionPlan(RewritePlan plan) {
        this.plan = plan;
        this.root = new Path(plan.conditions().filters(), List.of(), Optional.empty());
        ask(root);
        collect(plan.aggregations(), root);
    }

    /**
     * Refuses histograms whose buckets the index cannot answer from whole stored buckets: a bucket boundary
     * inside the range that is not on a granule (a zone or offset not aligned to the granularity), or more
     * buckets than a chart has (extended_bounds far away).
     */
    void requireAnswerableBuckets() {
        long granule = plan.definition().granularity().toMillis();
        long from = plan.conditions().from().toEpochMilli();
        for (Map.Entry<DateHistogram, Map<Long, TimeSlice>> histogram : slices.entrySet()) {
            for (long key : histogram.getValue().keySet()) {
                if (key > from && Math.floorMod(key, granule) != 0) {
                    throw new NotRewritable("date_histogram buckets (time_zone "
                            + histogram.getKey().rounding().zone()
                            + ", offset " + histogram.getKey().rounding().offsetMillis + "ms) that do not start on "
                            + plan.definition().granularity() + " buckets of the index");
                }
            }
            HistogramBuckets.listedKeys(histogram.getKey(), Map.of());
        }
    }

    Map<Path, UvQuestion> questions() {
        return questions;
    }

    /** Key → slice of a histogram of the plan. */
    Map<Long, TimeSlice> slices(DateHistogram histogram) {
        return slices.computeIfAbsent(
                histogram,
                h -> HistogramBuckets.slices(
                        h, plan.conditions().from(), plan.conditions().to()));
    }

    private void collect(List<Named> nodes, Path path) {
        for (Named named : nodes) {
            if (!(named.node() instanceof Bucketing bucketing)) {
                continue;
            }
            for (Path below : pathsBelow(bucketing, path)) {
                if (below != null) {
                    ask(below);
                    collect(bucketing.children(), below);
                }
            }
        }
    }

    /** The path of each bucket kind an aggregation makes (one per filter of {@code filters}); null when empty. */
    static List<Path> pathsBelow(Bucketing bucketing, Path path) {
        if (bucketing instanceof DateHistogram h) {
            return List.of(path.withHistogram(h));
        }
        if (bucketing instanceof Terms t) {
            return List.of(path.withSplit(t.field()));
        }
        if (bucketing instanceof Filter f) {
            return java.util.Collections.singletonList(path.withFilter(f.filter()));
        }
        List<Path> paths = new ArrayList<>();
        for (Map.Entry<String, Map<String, Set<String>>> filter : ((Filters) bucketing).filters()) {
            paths.add(path.withFilter(filter.getValue()));
        }
        return paths;
    }

    private void ask(Path path) {
        if (questions.containsKey(path)) {
            return;
        }
        List<TimeSlice> sliceList =
                path.histogram().map(h -> List.copyOf(slices(h).values())).orElse(List.of());
        questions.put(
                path,
                new UvQuestion(
                        plan.definition(),
                        plan.conditions().from(),
                        plan.conditions().to(),
                        sliceList,
                        path.filters(),
                        path.split()));
    }
}
