package io.sketchgate.rewrite;

import com.fasterxml.jackson.databind.JsonNode;
import io.sketchgate.config.UniqueCountDefinition;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decides whether one search ({@code _search}, {@code _async_search} submit, or one {@code _msearch} line with
 * its header) over a definition's source asks exactly a unique-count question, and which. The caller has checked
 * that the search's indices are the definition's source. Every parameter and body key is either known not to
 * change aggregations and {@code hits.total}, or makes the answer {@link Pass}.
 */
public final class RewriteMatcher {
    /** Where the search came from: its parameters differ. */
    public enum Endpoint {
        SEARCH,
        ASYNC_SUBMIT,
        MSEARCH_LINE
    }

    public sealed interface Decision permits Rewrite, Pass {}

    public record Rewrite(RewritePlan plan) implements Decision {}

    /** Not rewritten; {@code reason} says why, for the access log and shadow logs. */
    public record Pass(String reason) implements Decision {}

    /** Body keys that only shape hits (size is 0) or how ES runs the search. */
    private static final Set<String> BODY_KEYS = Set.of(
            "aggs",
            "aggregations",
            "query",
            "size",
            "from",
            "track_total_hits",
            "fields",
            "script_fields",
            "stored_fields",
            "docvalue_fields",
            "runtime_mappings",
            "_source",
            "sort",
            "timeout",
            "version",
            "seq_no_primary_term",
            "track_scores",
            "highlight",
            "explain",
            "stats");
    /** Keys whose value must be empty to be harmless (a runtime field could shadow a mapped one). */
    private static final Set<String> MUST_BE_EMPTY = Set.of("script_fields", "runtime_mappings");

    private static final Set<String> SEARCH_PARAMETERS = Set.of(
            "track_total_hits",
            "rest_total_hits_as_int",
            "ignore_unavailable",
            "allow_no_indices",
            "expand_wildcards",
            "batched_reduce_size",
            "ccs_minimize_roundtrips",
            "pre_filter_shard_size",
            "max_concurrent_shard_requests",
            "request_cache",
            "search_type",
            "timeout",
            "allow_partial_search_results",
            "track_scores",
            "_source",
            "_source_includes",
            "_source_excludes",
            "stored_fields",
            "docvalue_fields",
            "size",
            "from",
            "preference",
            "error_trace",
            "typed_keys");
    private static final Set<String> ASYNC_PARAMETERS =
            Set.of("wait_for_completion_timeout", "keep_alive", "keep_on_completion");
    private static final Set<String> MSEARCH_HEADER_KEYS = Set.of(
            "index",
            "indices",
            "search_type",
            "preference",
            "request_cache",
            "ignore_unavailable",
            "allow_no_indices",
            "expand_wildcards",
            "ccs_minimize_roundtrips",
            "allow_partial_search_results",
            "max_concurrent_shard_requests",
            "pre_filter_shard_size");
    private static final Pattern TIME_VALUE = Pattern.compile("(\\d+)(nanos|micros|ms|s|m|h|d)");
    private static final Duration DEFAULT_KEEP_ALIVE = Duration.ofDays(5);
    private static final long DEFAULT_TRACK_TOTAL_HITS = 10_000;

    private RewriteMatcher() {}

    /** {@link #match(UniqueCountDefinition, Endpoint, Map, JsonNode, JsonNode, Instant)} at the current instant. */
    public static Decision match(
            UniqueCountDefinition definition,
            Endpoint endpoint,
            Map<String, String> parameters,
            JsonNode header,
            JsonNode body) {
        return match(definition, endpoint, parameters, header, body, Instant.now());
    }

    /**
     * @param parameters the URL parameters (for an {@code _msearch} line, those of the {@code _msearch} URL)
     * @param header     the line's header for {@link Endpoint#MSEARCH_LINE}, else null
     * @param now        the request's {@code now}: date math in its time bounds is resolved at this instant
     */
    public static Decision match(
            UniqueCountDefinition definition,
            Endpoint endpoint,
            Map<String, String> parameters,
            JsonNode header,
            JsonNode body,
            Instant now) {
        try {
            if (body == null || !body.isObject()) {
                throw new NotRewritable("no JSON body");
            }
            checkParameters(endpoint, parameters);
            if (header != null) {
                QueryReader.requireOnly(header, "an _msearch header", MSEARCH_HEADER_KEYS);
                expandWildcards(header.path("expand_wildcards").asText("open"));
            }
            return new Rewrite(plan(definition, endpoint, parameters, body, now));
        } catch (NotRewritable e) {
            return new Pass(e.getMessage());
        }
    }

    /** The plan for a JSON {@code body} whose URL parameters and {@code _msearch} header were found answerable. */
    private static RewritePlan plan(
            UniqueCountDefinition definition,
            Endpoint endpoint,
            Map<String, String> parameters,
            JsonNode body,
            Instant now) {
        Iterator<Map.Entry<String, JsonNode>> fields = body.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (!BODY_KEYS.contains(field.getKey())) {
                throw new NotRewritable("the body has " + field.getKey());
            }
            if (MUST_BE_EMPTY.contains(field.getKey()) && !field.getValue().isEmpty()) {
                throw new NotRewritable("the body has non-empty " + field.getKey());
            }
        }
        long size = parameters.containsKey("size")
                ? parseLong(parameters.get("size"), "size")
                : body.path("size").asLong(10);
        if (size != 0) {
            throw new NotRewritable("size " + size + " asks for hits");
        }
        if (body.path("from").asLong(0) != 0
                || parameters.containsKey("from") && !parameters.get("from").equals("0")) {
            throw new NotRewritable("from is not 0");
        }
        if ("true".equals(parameters.get("typed_keys"))) {
            throw new NotRewritable("typed_keys");
        }
        QueryReader.Conditions conditions = QueryReader.read(body.get("query"), definition, now);
        JsonNode aggs = body.has("aggs") ? body.get("aggs") : body.get("aggregations");
        var aggregations = AggReader.read(aggs, definition);
        RewritePlan.Async async = endpoint == Endpoint.ASYNC_SUBMIT ? async(parameters) : null;
        RewritePlan plan = new RewritePlan(definition, conditions, aggregations, hitsTotal(parameters, body), async);
        new QuestionPlan(plan).requireAnswerableBuckets();
        return plan;
    }

    private static void checkParameters(Endpoint endpoint, Map<String, String> parameters) {
        for (String name : parameters.keySet()) {
            boolean known = SEARCH_PARAMETERS.contains(name)
                    || endpoint == Endpoint.ASYNC_SUBMIT && ASYNC_PARAMETERS.contains(name)
                    || endpoint == Endpoint.MSEARCH_LINE && name.equals("max_concurrent_searches");
            if (!known) {
                throw new NotRewritable("the parameter " + name);
            }
        }
        expandWildcards(parameters.getOrDefault("expand_wildcards", "open"));
    }

    /** Other values change which indices the search reads, and so whether they are the definition's source. */
    private static void expandWildcards(String value) {
        if (!value.equals("open")) {
            throw new NotRewritable("expand_wildcards=" + value);
        }
    }

    private static RewritePlan.HitsTotal hitsTotal(Map<String, String> parameters, JsonNode body) {
        boolean asInt = "true".equals(parameters.get("rest_total_hits_as_int"));
        String value = parameters.get("track_total_hits");
        if (value == null && body.has("track_total_hits")) {
            value = body.get("track_total_hits").asText();
        }
        if (value == null) {
            return asInt
                    ? new RewritePlan.HitsTotal(true, OptionalLong.empty(), true)
                    : new RewritePlan.HitsTotal(true, OptionalLong.of(DEFAULT_TRACK_TOTAL_HITS), false);
        }
        return switch (value) {
            case "true" -> new RewritePlan.HitsTotal(true, OptionalLong.empty(), asInt);
            case "false" -> new RewritePlan.HitsTotal(false, OptionalLong.empty(), asInt);
            default -> {
                long upTo = parseLong(value, "track_total_hits");
                if (asInt) {
                    throw new NotRewritable("rest_total_hits_as_int with track_total_hits=" + value);
                }
                yield new RewritePlan.HitsTotal(true, OptionalLong.of(upTo), false);
            }
        };
    }

    private static RewritePlan.Async async(Map<String, String> parameters) {
        boolean keep = "true".equals(parameters.get("keep_on_completion"));
        Duration keepAlive =
                parameters.containsKey("keep_alive") ? timeValue(parameters.get("keep_alive")) : DEFAULT_KEEP_ALIVE;
        return new RewritePlan.Async(keep, keepAlive);
    }

    static Duration timeValue(String text) {
        Matcher m = TIME_VALUE.matcher(text);
        if (!m.matches()) {
            throw new NotRewritable("a time value " + text);
        }
        long amount = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "nanos" -> Duration.ofNanos(amount);
            case "micros" -> Duration.ofNanos(amount * 1000);
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
        };
    }

    private static long parseLong(String text, String what) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new NotRewritable(what + "=" + text);
        }
    }
}
