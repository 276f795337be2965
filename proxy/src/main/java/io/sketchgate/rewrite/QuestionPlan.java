package io.sketchgate.rewrite;

import io.sketchgate.config.EdgeReads;
import io.sketchgate.rewrite.AggNode.Bucketing;
import io.sketchgate.rewrite.AggNode.Cardinality;
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
 * The unique-count questions a {@link RewritePlan} needs. Every bucketing aggregation reads a {@link Path}
 * (filters, split dimensions, histogram above it); the root path feeds {@code hits.total} and top-level metrics.
 * A {@code terms} asks for every value of its dimension (split), so its ordering, {@code size} and
 * {@code sum_other_doc_count} are computed here from exact PVs, as ES computes them on one shard.
 *
 * <p>Paths are folded into as few engine questions as answer them, so a chart reads its range (and its edges)
 * once: a path without histogram is answered by the totals of the same filters and split under a histogram
 * (the slices tile the range), and the root-like path of a filter set by the {@code overall} of any question
 * with those filters ({@code hits.total} is then the sum of the buckets' page views). A question none of whose
 * paths shows a cardinality is asked {@link UvQuestion.Measure#PV_ONLY}, one whose cardinalities are all in its
 * histogram's buckets {@link UvQuestion.Measure#SLICE_UV}. A question whose per-slice rows only
 * fill the buckets of a {@code terms} above its histogram asks rows only for the terms that {@code terms} shows.
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

    /** How a path is reached: by which aggregation, from which path. */
    private record Route(Bucketing by, Path from) {}

    private final RewritePlan plan;
    /** Every path the response reads, in the order met, with the routes that reach it. */
    private final Map<Path, List<Route>> paths = new LinkedHashMap<>();
    /** Paths whose buckets show a cardinality (or order terms by one). */
    private final Set<Path> showUv = new LinkedHashSet<>();

    private final Map<Path, UvQuestion> questions = new LinkedHashMap<>();
    /** Each path to the question that answers it. */
    private final Map<Path, Path> askedFor = new LinkedHashMap<>();

    private final Map<DateHistogram, Map<Long, TimeSlice>> slices = new IdentityHashMap<>();
    final Path root;

    QuestionPlan(RewritePlan plan) {
        this.plan = plan;
        this.root = new Path(plan.conditions().filters(), List.of(), Optional.empty());
        paths.put(root, new ArrayList<>());
        if (plan.aggregations().stream().anyMatch(n -> n.node() instanceof Cardinality)) {
            showUv.add(root);
        }
        collect(plan.aggregations(), root);
        fold();
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

    /** The questions to ask, each under the path it was asked for. */
    Map<Path, UvQuestion> questions() {
        return questions;
    }

    /** The path of the question whose answer holds this path's numbers. */
    Path askedFor(Path path) {
        return askedFor.get(path);
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
            boolean uv = bucketing.children().stream().anyMatch(c -> c.node() instanceof Cardinality);
            for (Path below : pathsBelow(bucketing, path)) {
                if (below != null) {
                    paths.computeIfAbsent(below, p -> new ArrayList<>()).add(new Route(bucketing, path));
                    if (uv) {
                        showUv.add(below);
                    }
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

    /** Assigns every path to a question: its own, or one whose totals or overall hold its numbers. */
    private void fold() {
        for (Path path : paths.keySet()) {
            askedFor.put(path, path.histogram().isPresent() ? path : host(path));
        }
        for (Map.Entry<Path, Path> entry : askedFor.entrySet()) {
            Path asked = entry.getValue();
            if (!questions.containsKey(asked)) {
                questions.put(asked, null);
            }
        }
        for (Path asked : List.copyOf(questions.keySet())) {
            // the question's slices are its histogram's buckets; every path folded into it reads its totals
            boolean slicesUv = asked.histogram().isPresent() && showUv.contains(asked);
            boolean totalsUv = askedFor.entrySet().stream()
                    .anyMatch(e -> e.getValue().equals(asked)
                            && showUv.contains(e.getKey())
                            && (!e.getKey().equals(asked) || asked.histogram().isEmpty()));
            UvQuestion.Measure measure = totalsUv
                    ? UvQuestion.Measure.UV_AND_PV
                    : slicesUv ? UvQuestion.Measure.SLICE_UV : UvQuestion.Measure.PV_ONLY;
            questions.put(asked, question(asked, measure));
        }
    }

    /**
     * For a path without histogram: the first path with the same filters and split under a histogram (its totals),
     * else, for a path without split, the first with the same filters (its overall), else itself.
     */
    private Path host(Path path) {
        Path sameSplit = null;
        Path sameFilters = null;
        for (Path other : paths.keySet()) {
            if (other.equals(path) || !other.filters().equals(path.filters())) {
                continue;
            }
            if (other.histogram().isPresent() && other.split().equals(path.split()) && sameSplit == null) {
                sameSplit = other;
            }
            if (path.split().isEmpty() && sameFilters == null) {
                sameFilters = other.histogram().isPresent() ? other : host(other);
            }
        }
        return sameSplit != null ? sameSplit : sameFilters != null ? sameFilters : path;
    }

    private UvQuestion question(Path path, UvQuestion.Measure measure) {
        boolean uv = measure != UvQuestion.Measure.PV_ONLY;
        List<TimeSlice> sliceList =
                path.histogram().map(h -> List.copyOf(slices(h).values())).orElse(List.of());
        // only the root subset has the fine tier: a split or filtered chart's edges would be bounded by whole
        // granules, too wide to stay within Elasticsearch's own error, so they are exact: from the granules' values'
        // first and last events or registers per minute where they tell, else read from the source
        boolean rootSubset = path.filters().isEmpty() && path.split().isEmpty();
        EdgeReads edges =
                uv && !rootSubset ? EdgeReads.EXACT : plan.definition().kibanaEdges();
        return new UvQuestion(
                plan.definition(),
                plan.conditions().from(),
                plan.conditions().to(),
                sliceList,
                path.filters(),
                path.split(),
                measure,
                rowSelection(path),
                edges);
    }

    /**
     * Rows only for the values a {@code terms} shows, when the per-slice rows fill nothing but the buckets of
     * that {@code terms} (one split, the histogram right below the terms, and that terms ranked by these
     * totals); else every row.
     */
    private UvQuestion.RowSelection rowSelection(Path path) {
        if (path.histogram().isEmpty() || path.split().size() != 1) {
            return UvQuestion.RowSelection.ALL;
        }
        List<Terms> shown = new ArrayList<>();
        for (Route route : paths.get(path)) {
            Path above = route.from();
            if (!(route.by() instanceof DateHistogram) || !above.histogram().isEmpty()) {
                return UvQuestion.RowSelection.ALL;
            }
            for (Route toAbove : paths.getOrDefault(above, List.of())) {
                if (!(toAbove.by() instanceof Terms t)
                        || !toAbove.from().split().isEmpty()) {
                    return UvQuestion.RowSelection.ALL;
                }
                shown.add(t);
            }
        }
        if (shown.isEmpty()) {
            return UvQuestion.RowSelection.ALL;
        }
        String field = path.split().get(0);
        return totals -> {
            Set<String> values = new LinkedHashSet<>();
            for (Terms t : shown) {
                ResponseSynthesizer.shownTerms(t, totals).forEach(e -> values.add(e.getKey()));
            }
            return split -> values.contains(split.get(field));
        };
    }
}
