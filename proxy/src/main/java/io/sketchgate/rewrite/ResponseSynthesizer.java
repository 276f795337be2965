package io.sketchgate.rewrite;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sketchgate.rewrite.AggNode.Bucketing;
import io.sketchgate.rewrite.AggNode.Cardinality;
import io.sketchgate.rewrite.AggNode.DateHistogram;
import io.sketchgate.rewrite.AggNode.Filter;
import io.sketchgate.rewrite.AggNode.Filters;
import io.sketchgate.rewrite.AggNode.Metric;
import io.sketchgate.rewrite.AggNode.Named;
import io.sketchgate.rewrite.AggNode.Terms;
import io.sketchgate.rewrite.AggNode.TermsOrder;
import io.sketchgate.rewrite.QuestionPlan.Path;
import io.sketchgate.uniques.BucketKey;
import io.sketchgate.uniques.UvAnswer;
import io.sketchgate.uniques.UvCount;
import io.sketchgate.uniques.UvQuestion.TimeSlice;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Builds the search response Elasticsearch would give for a {@link RewritePlan} from the answers to its
 * {@link QuestionPlan}: the same aggregation names and nesting, {@code meta} echoed first, bucket keys and
 * {@code key_as_string} from {@link HistogramRounding} and {@link KeyFormat}, {@code doc_count} = the exact PV,
 * {@code cardinality.value} = the UV, {@code terms} ordered, cut to {@code size} and with
 * {@code sum_other_doc_count} as on one shard (where {@code doc_count_error_upper_bound} is 0: the counts are
 * exact). Keys are written in Elasticsearch's order so even a byte comparison of structure holds.
 */
public final class ResponseSynthesizer {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final UvCount ZERO = UvCount.exact(0, 0, UvCount.DataSource.BATCH);

    private final RewritePlan plan;
    private final QuestionPlan questions;
    private final Map<Path, UvAnswer> answers;
    private final UvBounds bounds = new UvBounds();

    ResponseSynthesizer(RewritePlan plan, QuestionPlan questions, Map<Path, UvAnswer> answers) {
        this.plan = plan;
        this.questions = questions;
        this.answers = Map.copyOf(answers);
    }

    /** Where one bucket is: its path, its time slice (if under a histogram), its split values. */
    private record Cell(Path path, Optional<TimeSlice> slice, boolean outsideRange, Map<String, String> split) {}

    /** The whole search response: took, timed_out, _shards, hits, aggregations. */
    ObjectNode searchResponse(long tookMillis) {
        Cell root = new Cell(questions.root, Optional.empty(), false, Map.of());
        ObjectNode response = NODES.objectNode();
        response.put("took", tookMillis);
        response.put("timed_out", false);
        ObjectNode shards = response.putObject("_shards");
        shards.put("total", 1).put("successful", 1).put("skipped", 0).put("failed", 0);
        ObjectNode hits = response.putObject("hits");
        RewritePlan.HitsTotal total = plan.hitsTotal();
        if (total.asInt()) {
            hits.put("total", total.tracked() ? pageViews(root) : -1);
        } else if (total.tracked()) {
            long pageViews = pageViews(root);
            ObjectNode t = hits.putObject("total");
            long limit = total.upTo().orElse(Long.MAX_VALUE);
            t.put("value", Math.min(pageViews, limit));
            t.put("relation", pageViews > limit ? "gte" : "eq");
        }
        hits.putNull("max_score");
        hits.putArray("hits");
        // the root's UV only when a metric at the top asks for it: a split chart never does
        response.set("aggregations", aggregations(plan.aggregations(), root, () -> count(root), false));
        return response;
    }

    /** What the answer's UV bounds were, for {@code X-Sketchgate-Uv-Bounds}. */
    UvBounds bounds() {
        return bounds;
    }

    /**
     * Elasticsearch 8 reduces the aggregations of a level through a {@code HashMap} sized to their number and
     * filled with {@code computeIfAbsent} in request order ({@code AggregatorsReducer}), and writes them in that
     * map's iteration order; the same map here gives the same order. It does so for date histogram buckets (their
     * empty-bucket filling reduces); a single shard's top level, terms and filter buckets keep the request's order
     * (with several shards they are reduced too, so their order follows the map: clients read aggregations by
     * name).
     */
    static List<Named> responseOrder(List<Named> nodes) {
        Map<String, Named> byName = new HashMap<>(nodes.size());
        for (Named named : nodes) {
            byName.computeIfAbsent(named.name(), name -> named);
        }
        return new ArrayList<>(byName.values());
    }

    private ObjectNode aggregations(List<Named> nodes, Cell cell, Supplier<UvCount> count, boolean reduced) {
        ObjectNode out = NODES.objectNode();
        for (Named named : reduced ? responseOrder(nodes) : nodes) {
            ObjectNode agg = NODES.objectNode();
            named.meta().ifPresent(meta -> agg.set("meta", meta));
            AggNode node = named.node();
            if (node instanceof Metric metric) {
                agg.put("value", metricValue(metric, count.get()));
            } else if (node instanceof DateHistogram h) {
                agg.set("buckets", histogram(h, cell));
            } else if (node instanceof Terms t) {
                terms(t, cell, agg);
            } else if (node instanceof Filter f) {
                Cell below = below(
                        cell,
                        cell.path() == null
                                ? null
                                : QuestionPlan.pathsBelow(f, cell.path()).get(0));
                bucketBody(agg, f, below);
            } else if (node instanceof Filters f) {
                agg.set("buckets", filters(f, cell));
            }
            out.set(named.name(), agg);
        }
        return out;
    }

    private long metricValue(Metric metric, UvCount count) {
        if (metric instanceof Cardinality) {
            bounds.add(count);
            return count.uv();
        }
        return count.pv();
    }

    private JsonNode histogram(DateHistogram h, Cell cell) {
        Path path = cell.path() == null ? null : cell.path().withHistogram(h);
        Map<Long, TimeSlice> slices = questions.slices(h);
        Map<Long, Long> docCounts = new HashMap<>();
        Map<Long, UvCount> counts = new HashMap<>();
        if (path != null && !cell.outsideRange()) {
            UvAnswer answer = answer(path);
            Map<TimeSlice, Long> keyOf = new HashMap<>();
            slices.forEach((key, slice) -> keyOf.put(slice, key));
            for (UvAnswer.Row row : answer.rows()) {
                if (row.slice().isEmpty()
                        || !row.split().equals(cell.split())
                        || row.count().pv() == 0) {
                    continue;
                }
                Long key = keyOf.get(row.slice().get());
                if (key != null) {
                    docCounts.put(key, row.count().pv());
                    counts.put(key, row.count());
                }
            }
        }
        ArrayNode buckets = NODES.arrayNode();
        for (long key : HistogramBuckets.listedKeys(h, docCounts)) {
            ObjectNode bucket = buckets.addObject();
            bucket.put("key_as_string", h.format().print(key, h.rounding().zone()));
            bucket.put("key", key);
            TimeSlice slice = slices.get(key);
            Cell below = new Cell(path, Optional.ofNullable(slice), slice == null || cell.outsideRange(), cell.split());
            bucketBody(bucket, h, below, counts.getOrDefault(key, ZERO));
        }
        return buckets;
    }

    private void terms(Terms t, Cell cell, ObjectNode agg) {
        Path path = cell.path() == null ? null : cell.path().withSplit(t.field());
        List<Map.Entry<String, UvCount>> values = new ArrayList<>();
        long shardBuckets = 0;
        if (path != null && !cell.outsideRange()) {
            UvAnswer answer = answer(path);
            List<UvAnswer.Row> rows = cell.slice().isPresent() ? answer.rows() : answer.totals();
            List<UvAnswer.Row> here = new ArrayList<>();
            for (UvAnswer.Row row : rows) {
                if (Objects.equals(row.slice(), cell.slice()) && restrict(row.split(), cell.split())) {
                    here.add(row);
                }
            }
            values = rankedTerms(t, here);
            shardBuckets = here.stream()
                    .filter(r -> isTerm(t, r) && r.count().pv() >= Math.max(1, t.shardMinDocCount()))
                    .count();
        }
        long other = 0;
        ArrayNode buckets = NODES.arrayNode();
        for (int i = 0; i < values.size(); i++) {
            Map.Entry<String, UvCount> value = values.get(i);
            if (i >= t.size()) {
                other += value.getValue().pv();
                continue;
            }
            ObjectNode bucket = buckets.addObject();
            bucket.put("key", value.getKey());
            Map<String, String> split = new HashMap<>(cell.split());
            split.put(t.field(), value.getKey());
            bucketBody(bucket, t, new Cell(path, cell.slice(), false, Map.copyOf(split)), value.getValue());
        }
        agg.put("doc_count_error_upper_bound", docCountErrorUpperBound(t, shardBuckets));
        agg.put("sum_other_doc_count", other);
        agg.set("buckets", buckets);
    }

    /**
     * The values a {@code terms} lists from these rows (of one enclosing bucket), in its order; it shows the first
     * {@code size}. Events without the field, and values under {@code min_doc_count}, make no bucket.
     */
    static List<Map.Entry<String, UvCount>> rankedTerms(Terms t, List<UvAnswer.Row> rows) {
        List<Map.Entry<String, UvCount>> values = new ArrayList<>();
        for (UvAnswer.Row row : rows) {
            if (isTerm(t, row)
                    && row.count().pv() >= t.minDocCount()
                    && row.count().pv() > 0) {
                values.add(Map.entry(row.split().get(t.field()), row.count()));
            }
        }
        values.sort(order(t));
        return values;
    }

    /** The values of a {@code terms} it shows: the first {@code size} of {@link #rankedTerms}. */
    static List<Map.Entry<String, UvCount>> shownTerms(Terms t, List<UvAnswer.Row> rows) {
        List<Map.Entry<String, UvCount>> ranked = rankedTerms(t, rows);
        return ranked.subList(0, Math.min(t.size(), ranked.size()));
    }

    private static boolean isTerm(Terms t, UvAnswer.Row row) {
        String value = row.split().get(t.field());
        return value != null && !value.equals(BucketKey.MISSING);
    }

    /**
     * As Elasticsearch 8 reduces one shard's terms ({@code AbstractInternalTerms#getDocCountError}): -1, "unknown",
     * when the shard returned {@code shard_size} buckets or more and the order is neither by key nor by
     * descending count (ordered by a sub-aggregation such as the cardinality, or ascending count); else 0 (one
     * shard's counts are exact). The shard returns every value with events, up to {@code shard_size}.
     */
    static long docCountErrorUpperBound(Terms t, long shardBuckets) {
        if (shardBuckets == 0 || shardBuckets < t.shardSize() || t.order().isEmpty()) {
            return 0;
        }
        TermsOrder first = t.order().get(0);
        boolean byKey = first.by().equals("_key");
        boolean countDesc = first.by().equals("_count") && !first.ascending();
        return byKey || countDesc ? 0 : -1;
    }

    /** Whether a row's split values agree with the enclosing buckets' ones. */
    private static boolean restrict(Map<String, String> rowSplit, Map<String, String> enclosing) {
        for (Map.Entry<String, String> e : enclosing.entrySet()) {
            if (!e.getValue().equals(rowSplit.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    private static Comparator<Map.Entry<String, UvCount>> order(Terms t) {
        Comparator<Map.Entry<String, UvCount>> comparator = null;
        for (TermsOrder o : t.order()) {
            Comparator<Map.Entry<String, UvCount>> next;
            if (o.by().equals("_key")) {
                next = Map.Entry.comparingByKey();
            } else if (o.by().equals("_count")) {
                next = Comparator.comparingLong(e -> e.getValue().pv());
            } else {
                boolean cardinality =
                        t.children().stream().anyMatch(c -> c.name().equals(o.by()) && c.node() instanceof Cardinality);
                next = cardinality
                        ? Comparator.comparingLong(e -> e.getValue().uv())
                        : Comparator.comparingLong(e -> e.getValue().pv());
            }
            next = o.ascending() ? next : next.reversed();
            comparator = comparator == null ? next : comparator.thenComparing(next);
        }
        Comparator<Map.Entry<String, UvCount>> byKey = Map.Entry.comparingByKey();
        return comparator == null ? byKey : comparator.thenComparing(byKey);
    }

    private JsonNode filters(Filters f, Cell cell) {
        List<Path> paths = QuestionPlan.pathsBelow(f, cell.path() == null ? questions.root : cell.path());
        if (f.keyed()) {
            ObjectNode buckets = NODES.objectNode();
            for (int i = 0; i < f.filters().size(); i++) {
                bucketBody(
                        buckets.putObject(f.filters().get(i).getKey()),
                        f,
                        below(cell, cell.path() == null ? null : paths.get(i)));
            }
            return buckets;
        }
        ArrayNode buckets = NODES.arrayNode();
        for (int i = 0; i < f.filters().size(); i++) {
            bucketBody(buckets.addObject(), f, below(cell, cell.path() == null ? null : paths.get(i)));
        }
        return buckets;
    }

    private Cell below(Cell cell, Path path) {
        return new Cell(path, cell.slice(), cell.outsideRange(), cell.split());
    }

    private void bucketBody(ObjectNode bucket, Bucketing node, Cell cell) {
        bucketBody(bucket, node, cell, count(cell));
    }

    private void bucketBody(ObjectNode bucket, Bucketing node, Cell cell, UvCount count) {
        bucket.put("doc_count", count.pv());
        bucket.setAll(aggregations(node.children(), cell, () -> count, node instanceof DateHistogram));
    }

    private UvAnswer answer(Path path) {
        return answers.get(questions.askedFor(path));
    }

    /** The page views of a cell without a slice or split (the root): {@link #count}'s, without its UV. */
    private long pageViews(Cell cell) {
        if (cell.path() == null || cell.outsideRange()) {
            return 0;
        }
        return answer(cell.path()).overallPageViews();
    }

    /** The count of one cell; zero when its filters exclude everything or no row has events. */
    private UvCount count(Cell cell) {
        if (cell.path() == null || cell.outsideRange()) {
            return ZERO;
        }
        UvAnswer answer = answer(cell.path());
        if (cell.slice().isEmpty() && cell.split().isEmpty()) {
            return answer.overall() == null ? ZERO : answer.overall();
        }
        List<UvAnswer.Row> rows = cell.slice().isPresent() ? answer.rows() : answer.totals();
        for (UvAnswer.Row row : rows) {
            if (Objects.equals(row.slice(), cell.slice()) && row.split().equals(cell.split())) {
                return row.count();
            }
        }
        return ZERO;
    }
}
