package io.sketchgate.policy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.sketchgate.config.OnExceed;
import io.sketchgate.esapi.ClassifiedRequest;
import io.sketchgate.esapi.IndexTargets;
import io.sketchgate.esapi.MultiSearchBody;
import io.sketchgate.esapi.ParsedRequest;
import io.sketchgate.esapi.QueryEndpoint;
import io.sketchgate.esapi.SearchOutline;
import io.sketchgate.http.DecisionText;
import io.sketchgate.http.ErrorResponses;
import io.sketchgate.http.ProxyException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The time checks of a governed query: {@code require_time_filter}, then {@code max_time_range} with
 * {@code on_exceed: reject} (400) or {@code clamp} (the query narrowed to the most recent allowed window). What
 * Sketchgate cannot read (a template, {@code q=}, an unknown query endpoint, an index without a configured time
 * field) counts as unbounded: never as narrow.
 */
public final class TimeSpanChecks {
    static final String TIME_RANGE_TYPE = "sketchgate_time_range_exception";
    static final String TIME_FILTER_TYPE = "sketchgate_time_filter_required_exception";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Endpoints whose body is a search body, read as {@link TimeSpanExtractor#requiredSpanOfSearch} reads it. */
    private static final Set<QueryEndpoint> SEARCH_BODIES = EnumSet.of(
            QueryEndpoint.SEARCH,
            QueryEndpoint.ASYNC_SEARCH_SUBMIT,
            QueryEndpoint.COUNT,
            QueryEndpoint.VALIDATE_QUERY,
            QueryEndpoint.EXPLAIN,
            QueryEndpoint.KNN_SEARCH,
            QueryEndpoint.DELETE_BY_QUERY,
            QueryEndpoint.UPDATE_BY_QUERY);

    public sealed interface Result permits Passed, Refused, Answered {}

    /**
     * The query may go, perhaps with a new body, response headers and a rewrite of the response;
     * {@code summaryText} goes to the access log, in words only when read.
     */
    public record Passed(
            Optional<byte[]> body,
            Map<String, String> responseHeaders,
            DecisionText summaryText,
            Optional<UnaryOperator<byte[]>> responseRewrite)
            implements Result {
        private static final DecisionText NO_SUMMARY = DecisionText.of("");
        static final Passed UNCHANGED = new Passed(Optional.empty(), Map.of(), NO_SUMMARY, Optional.empty());

        Passed(Optional<byte[]> body, Map<String, String> responseHeaders, String summary) {
            this(body, responseHeaders, DecisionText.of(summary), Optional.empty());
        }

        /** The span in words, e.g. {@code , span 7 days}; empty when nothing is worth saying. */
        public String summary() {
            return summaryText.text();
        }
    }

    /** Nothing needs Elasticsearch: Sketchgate answers with this JSON (an _msearch whose every search was refused). */
    public record Answered(byte[] json, String summary) implements Result {}

    public record Refused(ProxyException error) implements Result {}

    private final TimeFields timeFields;
    private final TimeSpanExtractor extractor = new TimeSpanExtractor();

    public TimeSpanChecks(TimeFields timeFields) {
        this.timeFields = timeFields;
    }

    /**
     * @param written the index expressions as the request names them, for messages
     * @param indices those and what they resolve to (aliases, data streams, wildcards), for time fields
     */
    public Result check(
            ParsedRequest parsed,
            List<String> written,
            List<String> indices,
            EffectiveLimits limits,
            java.util.function.Function<MultiSearchBody.Item, IndexTargets> lineTargets) {
        if (limits.maxTimeRange().isEmpty() && !limits.timeFilterRequired()) {
            return Passed.UNCHANGED;
        }
        ClassifiedRequest request = parsed.classified();
        Instant now = parsed.now();
        if (SEARCH_BODIES.contains(request.endpoint())) {
            // the streaming outline when it recognises the body, the strict tree for everything else
            parsed.requireReadable();
            return checkSearch(
                    parsed.outline(),
                    () -> parsed.json().orElseGet(JSON::createObjectNode),
                    request.luceneQuery().isPresent(),
                    written,
                    indices,
                    limits,
                    now,
                    true);
        }
        Optional<JsonNode> body = parsed.json();
        return switch (request.endpoint()) {
            // these read no documents' contents over time: allowed, and still rate-limited
            case FIELD_CAPS, TERMS_ENUM, RENDER_TEMPLATE, PIT_OPEN -> Passed.UNCHANGED;
            case MSEARCH -> checkLines(parsed, limits, lineTargets, now);
            // SQL, EQL and ES|QL take a query DSL "filter" beside their own language: only it can narrow the span
            case SQL, SQL_TRANSLATE, EQL_SEARCH, ESQL -> {
                JsonNode filter = filterAsSearch(body); // read first: a malformed filter fails before anything else
                yield checkSearch(Optional.empty(), () -> filter, false, written, indices, limits, now, false);
            }
            default ->
                checkSearch(
                        Optional.empty(),
                        JSON::createObjectNode,
                        true,
                        written,
                        indices,
                        limits,
                        now,
                        false); // unreadable: unbounded
        };
    }

    /**
     * @param outline the body as the streaming pass read it, when it recognised it; {@code tree} decides otherwise,
     *                and whenever the outline meets something only the tree can word (an error) or rewrite (a clamp)
     */
    private Result checkSearch(
            Optional<SearchOutline> outline,
            Supplier<JsonNode> tree,
            boolean unreadableQuery,
            List<String> written,
            List<String> indices,
            EffectiveLimits limits,
            Instant now,
            boolean clampable) {
        Set<String> fields = fieldsOf(indices);
        if (fields.isEmpty()) {
            String where = where(written);
            return new Refused(badRequest(
                    TIME_FILTER_TYPE,
                    "No time field is configured for " + where
                            + " (index_time_fields), so Sketchgate cannot check the time range that "
                            + governing(limits) + " requires. Ask an administrator to add the index's time field."));
        }
        TimeSpan span = null;
        boolean hasFilter = true;
        String field = null; // the first, most specific: the one messages name
        for (String each : fields) {
            RequiredSpan required = unreadableQuery
                    ? new RequiredSpan(TimeSpan.unbounded(), false)
                    : requiredSpan(outline, tree, each, now);
            span = span == null ? required.span() : span.hull(required.span());
            hasFilter &= required.hasTimeFilter();
            field = field == null ? each : field;
        }
        if (limits.timeFilterRequired() && !hasFilter) {
            String key = limits.requireTimeFilter().map(Limit::describe).orElse("require_time_filter");
            return new Refused(badRequest(
                    TIME_FILTER_TYPE,
                    "Queries on " + where(written) + " must filter on the time field " + field + " (" + key
                            + "). Pick a time range (in Kibana, with the time picker) and try again."));
        }
        if (limits.maxTimeRange().isEmpty()) {
            return Passed.UNCHANGED;
        }
        Limit<Duration> max = limits.maxTimeRange().get();
        Optional<Duration> length = span.length(now);
        if (length.isPresent() && length.get().compareTo(max.value()) <= 0) {
            Duration within = length.get(); // in words only when the decision is read: formatting costs more
            return new Passed(
                    Optional.empty(), Map.of(), DecisionText.lazy(() -> ", span " + words(within)), Optional.empty());
        }
        boolean clamp = limits.onExceed().map(Limit::value).orElse(OnExceed.REJECT) == OnExceed.CLAMP;
        if (clamp && clampable && fields.size() == 1 && tree.get() instanceof ObjectNode object) {
            try {
                return clamped(object, field, span.latest(max.value(), now), max);
            } catch (IllegalArgumentException notClampable) {
                // e.g. a knn or retriever section: fall through to a rejection
            }
        }
        String range =
                length.map(d -> "Time range of " + words(d)).orElse("A query without an upper and lower time bound");
        return new Refused(badRequest(
                TIME_RANGE_TYPE,
                range + " on " + where(written) + " exceeds the " + words(max.value())
                        + " allowed (" + max.describe() + "). Pick a range of " + words(max.value())
                        + " or less, or ask an administrator to raise the limit."));
    }

    /** The indices as the request names them, for messages only. */
    private static String where(List<String> written) {
        return written.isEmpty() ? "all indices" : String.join(",", written);
    }

    private RequiredSpan requiredSpan(
            Optional<SearchOutline> outline, Supplier<JsonNode> tree, String field, Instant now) {
        if (outline.isPresent()) {
            try {
                return extractor.requiredSpanOfOutline(outline.get(), field, now);
            } catch (RangeReader.NotFast | RuntimeException onlyTheTreeDecides) {
                // an error to word, or a value the outline does not judge: the tree decides as it always has
            }
        }
        return extractor.requiredSpanOfSearch(tree.get(), field, now);
    }

    private Result clamped(ObjectNode body, String field, TimeSpan window, Limit<Duration> max) {
        ClampedSearch clamped = SearchClamp.clamp(body, field, window);
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(clamped.body());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(
                "Warning",
                "299 Sketchgate \"The time range was narrowed to the most recent " + words(max.value()) + " ("
                        + max.describe() + "): " + clamped.headerValue() + "\"");
        headers.put("X-Sketchgate-Clamped", clamped.headerValue());
        return new Passed(
                Optional.of(bytes),
                Collections.unmodifiableMap(headers), // in order, and forwarded as they are
                ", clamped to " + clamped.headerValue());
    }

    /**
     * Each search of an {@code _msearch} is decided on its own, as Elasticsearch reports per-search errors: the
     * allowed ones go to Elasticsearch in one request, and each refused one gets its error object in its slot of
     * {@code responses}. A search that would be clamped is refused instead (one request cannot carry a warning per
     * search).
     */
    private Result checkLines(
            ParsedRequest parsed,
            EffectiveLimits limits,
            java.util.function.Function<MultiSearchBody.Item, IndexTargets> lineTargets,
            Instant now) {
        if (parsed.body().isEmpty()) {
            return Passed.UNCHANGED;
        }
        ClassifiedRequest request = parsed.classified();
        MultiSearchBody lines = parsed.lines();
        Map<Integer, ObjectNode> refused = new TreeMap<>();
        for (MultiSearchBody.Item item : lines.items()) {
            List<String> indices = new ArrayList<>();
            IndexTargets targets = lineTargets.apply(item); // a line over a point in time: the PIT's indices
            if (targets.scope() == IndexTargets.Scope.LISTED) {
                targets.expressions().forEach(e -> indices.add(e.canonical()));
            }
            Result result = checkSearch(Optional.empty(), item::body, false, indices, indices, limits, now, false);
            if (result instanceof Refused no) {
                refused.put(
                        item.number(),
                        ErrorResponses.body(
                                no.error().status().code(),
                                no.error().type(),
                                "Search " + (item.number() + 1) + " of the _msearch (line " + item.headerLine() + "): "
                                        + no.error().reason()));
            }
        }
        if (refused.isEmpty()) {
            return Passed.UNCHANGED;
        }
        int total = lines.items().size();
        String summary = ", " + refused.size() + " of " + total + " searches refused";
        if (refused.size() == total) {
            ObjectNode answer = JSON.createObjectNode();
            answer.put("took", 0);
            ArrayNode responses = answer.putArray("responses");
            refused.values().forEach(responses::add);
            return new Answered(toBytes(answer), summary);
        }
        byte[] allowed = lines.rebuild(item -> !refused.containsKey(item.number()));
        return new Passed(
                Optional.of(allowed),
                Map.of(),
                DecisionText.of(summary),
                Optional.of(response -> merge(response, refused, total)));
    }

    /** Puts the refused searches' errors back in their slots of Elasticsearch's {@code responses}. */
    static byte[] merge(byte[] esResponse, Map<Integer, ObjectNode> refused, int total) {
        try {
            JsonNode root = JSON.readTree(esResponse);
            JsonNode answered = root.path("responses");
            if (!(root instanceof ObjectNode object)
                    || !answered.isArray()
                    || answered.size() != total - refused.size()) {
                return esResponse; // not the answer to the request we sent: pass it on as it is
            }
            ArrayNode merged = JSON.createArrayNode();
            int next = 0;
            for (int slot = 0; slot < total; slot++) {
                merged.add(refused.containsKey(slot) ? refused.get(slot) : answered.get(next++));
            }
            object.set("responses", merged);
            return JSON.writeValueAsBytes(object);
        } catch (java.io.IOException e) {
            return esResponse;
        }
    }

    private static byte[] toBytes(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private Set<String> fieldsOf(List<String> indices) {
        if (indices.size() == 1) {
            return timeFields.fieldsOf(indices.get(0)); // the usual request: no union to build
        }
        Set<String> fields = new LinkedHashSet<>();
        for (String index : indices.isEmpty() ? List.of("*") : indices) {
            fields.addAll(timeFields.fieldsOf(index));
        }
        return fields;
    }

    private static JsonNode filterAsSearch(Optional<JsonNode> body) {
        ObjectNode search = JSON.createObjectNode();
        body.map(b -> b.get("filter")).filter(JsonNode::isObject).ifPresent(filter -> search.set("query", filter));
        if (!search.has("query")) {
            search.putObject("query").putObject("match_all"); // no filter: the whole index
        }
        return search;
    }

    private static String governing(EffectiveLimits limits) {
        return limits.maxTimeRange()
                .map(Limit::describe)
                .or(() -> limits.requireTimeFilter().map(Limit::describe))
                .orElse("your role");
    }

    /** {@code 90 days}, {@code 1 day}, else the exact duration as people read it. */
    static String words(Duration duration) {
        long millis = duration.toMillis();
        long day = Duration.ofDays(1).toMillis();
        if (millis >= day && millis % day == 0) {
            long days = millis / day;
            return days + (days == 1 ? " day" : " days");
        }
        if (millis > day) {
            return String.format(java.util.Locale.ROOT, "%.1f days", millis / (double) day);
        }
        return HumanDurations.formatLimit(duration);
    }

    private static ProxyException badRequest(String type, String reason) {
        return new ProxyException(HttpResponseStatus.BAD_REQUEST, type, reason);
    }
}
