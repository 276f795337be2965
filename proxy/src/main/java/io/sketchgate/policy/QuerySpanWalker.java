package io.sketchgate.policy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Walks the query DSL along the clauses a matching document must satisfy and combines the time ranges found there.
 *
 * <p>Required contexts, whose spans are intersected: the query itself, {@code bool.must}, {@code bool.filter},
 * {@code constant_score.filter}, {@code function_score.query}, {@code script_score.query},
 * {@code boosting.positive}. Alternatives, whose spans are joined (hull of the union): {@code dis_max.queries} and
 * the {@code should} clauses of a bool that needs at least one of them. Everything else does not narrow:
 * {@code must_not}, optional {@code should}, {@code boosting.negative}, {@code nested}, {@code has_child},
 * {@code has_parent}, full-text and Lucene-syntax queries, ranges on other fields, and every query type this class
 * does not know. {@code match_none} matches nothing.
 *
 * <p>A bool's should clauses are required when it has no must or filter clause (Lucene then needs one of them), or
 * when {@code minimum_should_match} works out at one or more; if it works out at all of them, each is required.
 */
final class QuerySpanWalker {
    static final int MAX_DEPTH = 100;

    private final String timeField;
    private final RangeReader ranges;
    private final long nowMillis;

    QuerySpanWalker(String timeField, RangeReader ranges, long nowMillis) {
        this.timeField = timeField;
        this.ranges = ranges;
        this.nowMillis = nowMillis;
    }

    TimeSpan spanOf(JsonNode query, String path) {
        return span(query, path, 1);
    }

    private TimeSpan span(JsonNode query, String path, int depth) {
        if (depth > MAX_DEPTH) {
            throw new TimeSpanException(
                    TimeSpanException.Type.PARSING_EXCEPTION,
                    path + ": query is nested too deeply (more than " + MAX_DEPTH + " levels)");
        }
        if (query == null || query.isMissingNode()) {
            return TimeSpan.unbounded();
        }
        if (!query.isObject()) {
            throw malformed(path, "a query must be an object, was " + query.getNodeType());
        }
        if (query.isEmpty()) {
            return TimeSpan.unbounded();
        }
        if (query.size() > 1) {
            throw malformed(path, "a query object must hold exactly one query type, found " + fieldNames(query));
        }
        Map.Entry<String, JsonNode> only = query.properties().iterator().next();
        String type = only.getKey();
        JsonNode body = only.getValue();
        String at = path + "." + type;
        return switch (type) {
            case "range" -> range(body, at);
            case "bool" -> bool(body, at, depth);
            case "constant_score" -> span(objectField(body, "filter", at), at + ".filter", depth + 1);
            case "function_score", "script_score" -> span(objectField(body, "query", at), at + ".query", depth + 1);
            case "boosting" -> span(objectField(body, "positive", at), at + ".positive", depth + 1);
            case "dis_max" -> anyOf(clauses(objectField(body, "queries", at), at + ".queries"), depth);
            case "match_none" -> TimeSpan.empty();
            default -> TimeSpan.unbounded();
        };
    }

    private TimeSpan range(JsonNode body, String at) {
        if (!body.isObject()) {
            throw malformed(at, "[range] query malformed, no start_object after query name");
        }
        String field = null;
        JsonNode fieldBody = null;
        for (Map.Entry<String, JsonNode> entry : body.properties()) {
            if (entry.getValue().isObject()) {
                if (field != null) {
                    throw malformed(
                            at,
                            "[range] query doesn't support multiple fields, found [" + field + "] and ["
                                    + entry.getKey() + "]");
                }
                field = entry.getKey();
                fieldBody = entry.getValue();
            } else {
                throw malformed(at, "[range] query does not support [" + entry.getKey() + "]");
            }
        }
        if (!timeField.equals(field)) {
            return TimeSpan.unbounded();
        }
        return ranges.read(fieldBody, at + "." + field, nowMillis);
    }

    private TimeSpan bool(JsonNode body, String at, int depth) {
        if (!body.isObject()) {
            throw malformed(at, "[bool] query malformed, no start_object after query name");
        }
        List<Clause> must = clauses(body.get("must"), at + ".must");
        List<Clause> filter = clauses(body.get("filter"), at + ".filter");
        List<Clause> should = clauses(body.get("should"), at + ".should");
        TimeSpan span = TimeSpan.unbounded();
        for (Clause clause : must) {
            span = span.intersect(span(clause.query(), clause.path(), depth + 1));
        }
        for (Clause clause : filter) {
            span = span.intersect(span(clause.query(), clause.path(), depth + 1));
        }
        int requiredShould = requiredShould(body, should.size(), must.size() + filter.size(), at);
        if (requiredShould >= should.size() && !should.isEmpty()) {
            for (Clause clause : should) {
                span = span.intersect(span(clause.query(), clause.path(), depth + 1));
            }
        } else if (requiredShould >= 1) {
            span = span.intersect(anyOf(should, depth));
        }
        return span;
    }

    /** How many should clauses a match needs; 0 when that cannot be known, which only ever widens the span. */
    private static int requiredShould(JsonNode body, int shouldCount, int requiredCount, String at) {
        if (shouldCount == 0) {
            return 0;
        }
        JsonNode spec = body.get("minimum_should_match");
        int fromSpec = 0;
        if (spec != null && !spec.isNull()) {
            if (!spec.isValueNode()) {
                throw malformed(at + ".minimum_should_match", "must be a number or a string");
            }
            OptionalInt computed = MinimumShouldMatch.of(shouldCount, spec.asText());
            fromSpec = computed.orElse(0);
        }
        // without must or filter clauses Lucene requires one should clause, whatever minimum_should_match says
        return requiredCount == 0 ? Math.max(fromSpec, 1) : fromSpec;
    }

    private TimeSpan anyOf(List<Clause> alternatives, int depth) {
        if (alternatives.isEmpty()) {
            return TimeSpan.unbounded();
        }
        TimeSpan union = TimeSpan.empty();
        for (Clause clause : alternatives) {
            union = union.hull(span(clause.query(), clause.path(), depth + 1));
        }
        return union;
    }

    private record Clause(JsonNode query, String path) {}

    /** A clause list may be one object or an array of objects, as Elasticsearch accepts both. */
    private static List<Clause> clauses(JsonNode node, String at) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (node.isObject()) {
            return List.of(new Clause(node, at));
        }
        if (!node.isArray()) {
            throw malformed(at, "must be a query object or an array of query objects, was " + node.getNodeType());
        }
        List<Clause> clauses = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            clauses.add(new Clause(node.get(i), at + "[" + i + "]"));
        }
        return clauses;
    }

    private static JsonNode objectField(JsonNode body, String name, String at) {
        if (!body.isObject()) {
            throw malformed(at, "query malformed, no start_object after query name");
        }
        return body.get(name);
    }

    private static String fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.properties().forEach(entry -> names.add(entry.getKey()));
        return names.toString();
    }

    private static TimeSpanException malformed(String at, String message) {
        return new TimeSpanException(TimeSpanException.Type.PARSING_EXCEPTION, at + ": " + message);
    }
}
