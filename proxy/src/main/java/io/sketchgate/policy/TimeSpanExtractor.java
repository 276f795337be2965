package io.sketchgate.policy;

import com.fasterxml.jackson.databind.JsonNode;
import io.sketchgate.esapi.DateFormat;
import io.sketchgate.esapi.DateFormats;
import io.sketchgate.esapi.SearchOutline;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Computes the time span a search requires on an index's time field — the input to "at most 31 days" and
 * "a time filter is required" limits. Immutable and thread-safe; create one per time field mapping and share it.
 *
 * <p>This is a security boundary, so every rule errs wide: a clause that is not understood counts as matching all
 * time, never as narrowing. Dates and date math are evaluated exactly as Elasticsearch evaluates them (see
 * {@link DateMath}); a value Elasticsearch would reject raises {@link TimeSpanException}. What narrows and what
 * does not is listed on {@link QuerySpanWalker}; {@code docs/time-span.md} has the whole story.
 *
 * <p>Callers must parse bodies with {@code JsonParser.Feature.STRICT_DUPLICATE_DETECTION}, as Elasticsearch does:
 * with duplicate keys Jackson keeps the last value at the first key's position, so the parameter order this class
 * replays could differ from what Elasticsearch would have seen. Callers must also treat a {@code q=} URL parameter
 * as unbounded: Elasticsearch replaces the body's query with it.
 */
public final class TimeSpanExtractor {
    /** What Elasticsearch uses for a {@code date} field mapped without {@code format}. */
    public static final String DEFAULT_MAPPING_FORMAT = "strict_date_optional_time||epoch_millis";

    /** Search body sections whose hits or statistics are not limited by {@code query}. */
    private static final Set<String> SECTIONS_BEYOND_QUERY =
            Set.of("knn", "retriever", "sub_searches", "rank", "suggest");
    /** Aggregations that read documents or statistics outside the query's matches. */
    private static final Set<String> AGGREGATIONS_BEYOND_QUERY =
            Set.of("global", "children", "parent", "significant_terms", "significant_text");

    private static final Set<String> JOIN_QUERIES = Set.of("has_child", "has_parent");

    private final String mappingFormatPattern;
    private final DateFormat mappingFormat;
    private final RangeReader outlineRanges;

    /** For a time field mapped with Elasticsearch's default format. */
    public TimeSpanExtractor() {
        this(DEFAULT_MAPPING_FORMAT);
    }

    /**
     * For a time field mapped with {@code format: mappingFormat}; it decides how range values without their own
     * {@code format} are read, so it must match the index mapping.
     *
     * @throws IllegalArgumentException when the format is invalid or not one this class can evaluate
     */
    public TimeSpanExtractor(String mappingFormat) {
        Objects.requireNonNull(mappingFormat, "mappingFormat");
        Optional<DateFormat> format = DateFormats.forPattern(mappingFormat);
        this.mappingFormatPattern = mappingFormat;
        this.mappingFormat = format.orElseThrow(() -> new IllegalArgumentException("date format [" + mappingFormat
                + "] is not supported for a time field; use ISO, epoch or " + "numeric java.time patterns"));
        this.outlineRanges = new RangeReader(this.mappingFormat);
    }

    public String mappingFormat() {
        return mappingFormatPattern;
    }

    /**
     * The span a query (the value of a search body's {@code query}) requires on {@code timeField}.
     *
     * @param query     the query; null or missing means match_all
     * @param now       the request's "now" for date math, injected so that policy and tests agree
     * @throws TimeSpanException when Elasticsearch would reject the query too, or it nests more than 100 levels
     */
    public RequiredSpan requiredSpan(JsonNode query, String timeField, Instant now) {
        Objects.requireNonNull(timeField, "timeField");
        Objects.requireNonNull(now, "now");
        QuerySpanWalker walker = new QuerySpanWalker(timeField, new RangeReader(mappingFormat), now.toEpochMilli());
        return RequiredSpan.of(walker.spanOf(query, "query"));
    }

    /**
     * The span a whole search body ({@code _search}, {@code _async_search}, {@code _count}) requires. Besides the
     * query this looks at sections that reach outside it, each of which makes the span unbounded: {@code knn},
     * {@code retriever}, {@code sub_searches}, {@code rank}, {@code suggest}; a {@code runtime_mappings} entry that
     * shadows the time field; {@code global}, {@code children}, {@code parent}, {@code significant_terms} and
     * {@code significant_text} aggregations; {@code inner_hits} of {@code has_child} or {@code has_parent}.
     *
     * @param searchBody the body; null or missing means no body (match_all)
     * @throws TimeSpanException as for {@link #requiredSpan}, or when the body is not a JSON object
     */
    public RequiredSpan requiredSpanOfSearch(JsonNode searchBody, String timeField, Instant now) {
        Objects.requireNonNull(timeField, "timeField");
        if (searchBody == null || searchBody.isMissingNode() || searchBody.isNull()) {
            return RequiredSpan.of(TimeSpan.unbounded());
        }
        if (!searchBody.isObject()) {
            throw new TimeSpanException(
                    TimeSpanException.Type.PARSING_EXCEPTION,
                    "body: a search body must be an object, was " + searchBody.getNodeType());
        }
        RequiredSpan fromQuery = requiredSpan(searchBody.get("query"), timeField, now);
        if (reachesBeyondQuery(searchBody, timeField)) {
            return RequiredSpan.of(TimeSpan.unbounded());
        }
        return fromQuery;
    }

    /**
     * {@link #requiredSpanOfSearch} for a body the streaming pass recognised ({@link SearchOutline}); the outline
     * has already ruled out every section that reaches beyond the query except {@code runtime_mappings}.
     *
     * @throws RangeReader.NotFast when a range holds a value only the tree can judge
     * @throws TimeSpanException when Elasticsearch would reject the query: ask the tree for the exact message
     */
    RequiredSpan requiredSpanOfOutline(SearchOutline outline, String timeField, Instant now)
            throws RangeReader.NotFast {
        TimeSpan span = TimeSpan.unbounded();
        if (outline.query().isPresent()) {
            OutlineSpanWalker walker = new OutlineSpanWalker(timeField, outlineRanges, now.toEpochMilli());
            span = walker.span(outline.query().get());
        }
        if (outline.runtimeFields().contains(timeField)) {
            return RequiredSpan.of(TimeSpan.unbounded());
        }
        return RequiredSpan.of(span);
    }

    /** Whether part of the body searches or aggregates documents that {@code query} does not restrict. */
    static boolean reachesBeyondQuery(JsonNode searchBody, String timeField) {
        for (String section : SECTIONS_BEYOND_QUERY) {
            JsonNode value = searchBody.get(section);
            if (value != null && !value.isNull()) {
                return true;
            }
        }
        JsonNode runtime = searchBody.get("runtime_mappings");
        if (runtime != null && runtime.has(timeField)) {
            return true;
        }
        return containsAggregation(searchBody.get("aggs"), searchBody.get("aggregations"))
                || containsJoinInnerHits(searchBody.get("query"));
    }

    private static boolean containsAggregation(JsonNode... roots) {
        Deque<JsonNode> pending = new ArrayDeque<>();
        for (JsonNode root : roots) {
            if (root != null) {
                pending.push(root);
            }
        }
        while (!pending.isEmpty()) {
            JsonNode aggs = pending.pop();
            if (!aggs.isObject()) {
                continue;
            }
            for (Map.Entry<String, JsonNode> named : aggs.properties()) {
                JsonNode definition = named.getValue();
                if (!definition.isObject()) {
                    continue;
                }
                for (Map.Entry<String, JsonNode> part : definition.properties()) {
                    String key = part.getKey();
                    if (AGGREGATIONS_BEYOND_QUERY.contains(key)) {
                        return true;
                    }
                    if (key.equals("aggs") || key.equals("aggregations")) {
                        pending.push(part.getValue());
                    }
                }
            }
        }
        return false;
    }

    /** Inner hits of join queries return related documents that the surrounding ranges do not restrict. */
    private static boolean containsJoinInnerHits(JsonNode query) {
        if (query == null) {
            return false;
        }
        Deque<JsonNode> pending = new ArrayDeque<>();
        pending.push(query);
        while (!pending.isEmpty()) {
            JsonNode node = pending.pop();
            if (node.isObject()) {
                for (Map.Entry<String, JsonNode> entry : node.properties()) {
                    if (JOIN_QUERIES.contains(entry.getKey())
                            && entry.getValue().has("inner_hits")) {
                        return true;
                    }
                    pending.push(entry.getValue());
                }
            } else if (node.isArray()) {
                node.forEach(pending::push);
            }
        }
        return false;
    }
}
