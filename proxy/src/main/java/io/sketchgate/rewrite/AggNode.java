package io.sketchgate.rewrite;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One aggregation of a rewritable search, as {@link AggReader} understood it. Bucketing aggregations carry their
 * sub-aggregations; metrics are leaves.
 */
sealed interface AggNode {

    /** An aggregation with its name and Kibana's {@code meta}, which Elasticsearch echoes in the response. */
    record Named(String name, AggNode node, Optional<JsonNode> meta) {}

    /** Leaves: each answers {@code {"value": N}}. */
    sealed interface Metric extends AggNode {}

    /** {@code cardinality} of the unique field: the UV. */
    record Cardinality() implements Metric {}

    /** {@code value_count} of a field every counted event has (the time field): the PV. */
    record EventCount() implements Metric {}

    sealed interface Bucketing extends AggNode {
        List<Named> children();
    }

    /**
     * @param extendedBounds [min, max] in epoch millis, before rounding
     * @param hardBounds     [min, max] in epoch millis; buckets whose key is outside are dropped
     */
    record DateHistogram(
            HistogramRounding rounding,
            KeyFormat format,
            long minDocCount,
            Optional<long[]> extendedBounds,
            Optional<long[]> hardBounds,
            List<Named> children)
            implements Bucketing {}

    /**
     * {@code order}: the comparisons in order; {@code _key asc} breaks remaining ties as Elasticsearch does.
     * {@code shardSize} and {@code shardMinDocCount} as the shard applies them (they decide
     * {@code doc_count_error_upper_bound}).
     */
    record Terms(
            String field,
            int size,
            long minDocCount,
            List<TermsOrder> order,
            List<Named> children,
            int shardSize,
            long shardMinDocCount)
            implements Bucketing {}

    /** @param by {@code _count}, {@code _key}, or the name of a metric sub-aggregation */
    record TermsOrder(String by, boolean ascending) {}

    /** {@code filters}: named (keyed) or listed filters, each a set of allowed values per dimension. */
    record Filters(boolean keyed, List<Map.Entry<String, Map<String, Set<String>>>> filters, List<Named> children)
            implements Bucketing {}

    record Filter(Map<String, Set<String>> filter, List<Named> children) implements Bucketing {}
}
