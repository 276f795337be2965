package io.sketchgate.rewrite;

import com.fasterxml.jackson.databind.JsonNode;
import io.sketchgate.config.UniqueCountDefinition;
import io.sketchgate.esapi.DateFormat;
import io.sketchgate.esapi.DateFormats;
import io.sketchgate.esapi.DateMath;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a search's {@code query} as a conjunction of one time range on the definition's time field and exact
 * filters on its dimensions, in the forms Kibana sends: {@code bool} with {@code filter}/{@code must} (empty
 * {@code should}/{@code must_not} lists), {@code match_all}, {@code range}, {@code term}, {@code terms},
 * {@code match_phrase} and {@code match} on a keyword dimension, and KQL's compiled disjunction
 * {@code bool.should[...] + minimum_should_match: 1} over one dimension. Anything else throws
 * {@link NotRewritable}: a {@code should} that is not such a disjunction, {@code must_not}, a field that is not a
 * dimension, scripts. Time bounds are read as Elasticsearch reads them, date math ({@code now-7d},
 * {@code now/d}, {@code 2024-03-01||+1M}) resolved at the request's {@code now} with its {@code time_zone}.
 */
final class QueryReader {
    /** {@code [from, to)} and, per dimension, the values an event must have one of. */
    record Conditions(Instant from, Instant to, Map<String, Set<String>> filters) {}

    /** What Elasticsearch uses for a {@code date} field mapped without a format (assumed for the time field). */
    private static final String MAPPING_FORMAT = "strict_date_optional_time||epoch_millis";

    private final UniqueCountDefinition definition;
    private final long nowMillis;
    private Instant from;
    private Instant to;
    private final Map<String, Set<String>> filters = new LinkedHashMap<>();

    private QueryReader(UniqueCountDefinition definition, long nowMillis) {
        this.definition = definition;
        this.nowMillis = nowMillis;
    }

    /** @param now the request's {@code now}, for date math in time bounds */
    static Conditions read(JsonNode query, UniqueCountDefinition definition, Instant now) {
        QueryReader reader = new QueryReader(definition, now.toEpochMilli());
        if (query != null && !query.isNull()) {
            reader.conjunct(query);
        }
        if (reader.from == null || reader.to == null) {
            throw new NotRewritable("the query has no time range with both bounds on " + definition.timeField());
        }
        if (!reader.from.isBefore(reader.to)) {
            throw new NotRewritable("the time range is empty");
        }
        return new Conditions(reader.from, reader.to, reader.filters);
    }

    /** Dimension filters of a {@code filter}/{@code filters} aggregation: no time range allowed there. */
    static Map<String, Set<String>> readFilter(JsonNode query, UniqueCountDefinition definition) {
        QueryReader reader = new QueryReader(definition, 0);
        reader.conjunct(query);
        if (reader.from != null || reader.to != null) {
            throw new NotRewritable("a filter aggregation on the time field");
        }
        return reader.filters;
    }

    private void conjunct(JsonNode clause) {
        if (!clause.isObject() || clause.size() != 1) {
            throw new NotRewritable("a query clause that is not one object with one query type: " + clause);
        }
        String type = clause.fieldNames().next();
        JsonNode body = clause.get(type);
        switch (type) {
            case "match_all" -> requireOnly(body, type, Set.of("boost"));
            case "bool" -> bool(body);
            case "range" -> range(body);
            case "term", "terms", "match", "match_phrase" -> {
                Disjunction d = disjunction(clause);
                addFilter(d.field(), d.values());
            }
            default -> throw new NotRewritable("a " + type + " query");
        }
    }

    private void bool(JsonNode bool) {
        requireOnly(bool, "bool", Set.of("must", "filter", "should", "must_not", "minimum_should_match", "boost"));
        if (!clauses(bool.get("must_not")).isEmpty()) {
            throw new NotRewritable("a must_not clause");
        }
        List<JsonNode> required = new ArrayList<>(clauses(bool.get("must")));
        required.addAll(clauses(bool.get("filter")));
        List<JsonNode> should = clauses(bool.get("should"));
        if (!should.isEmpty()) {
            // Only KQL's "field : value" shape: a disjunction over one dimension that must match.
            if (!required.isEmpty() || !minimumShouldMatchIsOne(bool.get("minimum_should_match"))) {
                throw new NotRewritable("a should clause that is not KQL's one-dimension disjunction");
            }
            Disjunction d = disjunction(bool);
            addFilter(d.field(), d.values());
            return;
        }
        for (JsonNode clause : required) {
            conjunct(clause);
        }
    }

    private record Disjunction(String field, Set<String> values) {}

    /** term/terms/match/match_phrase on one dimension, or a should-only bool of those on the same dimension. */
    private Disjunction disjunction(JsonNode clause) {
        if (clause.has("should") || clause.has("filter") || clause.has("must")) { // the bool body itself
            List<JsonNode> required = new ArrayList<>(clauses(clause.get("must")));
            required.addAll(clauses(clause.get("filter")));
            List<JsonNode> should = clauses(clause.get("should"));
            if (!clauses(clause.get("must_not")).isEmpty()) {
                throw new NotRewritable("a must_not clause");
            }
            if (!should.isEmpty()
                    && (!required.isEmpty() || !minimumShouldMatchIsOne(clause.get("minimum_should_match")))) {
                throw new NotRewritable("a should clause that is not KQL's one-dimension disjunction");
            }
            List<JsonNode> parts = should.isEmpty() ? required : should;
            if (should.isEmpty() && parts.size() != 1) {
                throw new NotRewritable("a nested bool with several clauses inside a disjunction");
            }
            String field = null;
            Set<String> values = new LinkedHashSet<>();
            for (JsonNode part : parts) {
                Disjunction d = disjunction(part);
                if (field != null && !field.equals(d.field())) {
                    throw new NotRewritable("a should clause over two fields (" + field + ", " + d.field() + ")");
                }
                field = d.field();
                values.addAll(d.values());
            }
            if (field == null) {
                throw new NotRewritable("an empty should clause");
            }
            return new Disjunction(field, values);
        }
        if (!clause.isObject() || clause.size() != 1) {
            throw new NotRewritable("a query clause that is not one object with one query type: " + clause);
        }
        String type = clause.fieldNames().next();
        JsonNode body = clause.get(type);
        if (type.equals("bool")) {
            return disjunction(body);
        }
        if (!body.isObject()) {
            throw new NotRewritable("a malformed " + type + " query");
        }
        Map.Entry<String, JsonNode> only = onlyField(body, type);
        String field = dimension(only.getKey());
        JsonNode value = only.getValue();
        return switch (type) {
            case "term" -> new Disjunction(field, Set.of(scalar(value, "value", Set.of("value", "boost"), type)));
            case "match_phrase" ->
                new Disjunction(field, Set.of(scalar(value, "query", Set.of("query", "boost"), type)));
            case "match" ->
                new Disjunction(
                        field,
                        Set.of(scalar(
                                value,
                                "query",
                                Set.of("query", "boost", "operator", "lenient", "zero_terms_query"),
                                type)));
            case "terms" -> {
                if (!value.isArray() || value.isEmpty()) {
                    throw new NotRewritable("a terms query that is not a list of values (a lookup?)");
                }
                Set<String> values = new LinkedHashSet<>();
                for (JsonNode v : value) {
                    if (!v.isValueNode() || v.isNull()) {
                        throw new NotRewritable("a terms query with a value that is not a string or number");
                    }
                    values.add(v.asText());
                }
                yield new Disjunction(field, values);
            }
            default -> throw new NotRewritable("a " + type + " query inside a disjunction");
        };
    }

    private static String scalar(JsonNode value, String key, Set<String> allowed, String type) {
        JsonNode v = value;
        if (value.isObject()) {
            requireOnly(value, type, allowed);
            JsonNode op = value.get("operator");
            if (op != null
                    && !op.asText().equalsIgnoreCase("or")
                    && !op.asText().equalsIgnoreCase("and")) {
                throw new NotRewritable("a match operator " + op);
            }
            v = value.get(key);
        }
        if (v == null || !v.isValueNode() || v.isNull()) {
            throw new NotRewritable("a " + type + " query without a plain value");
        }
        return v.asText();
    }

    private Map.Entry<String, JsonNode> onlyField(JsonNode body, String type) {
        Iterator<Map.Entry<String, JsonNode>> fields = body.fields();
        Map.Entry<String, JsonNode> found = null;
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> entry = fields.next();
            if (entry.getKey().equals("boost") || entry.getKey().equals("_name")) {
                continue;
            }
            if (found != null) {
                throw new NotRewritable("a " + type + " query on several fields");
            }
            found = entry;
        }
        if (found == null) {
            throw new NotRewritable("a " + type + " query without a field");
        }
        return found;
    }

    private String dimension(String field) {
        if (!definition.dimensions().contains(field)) {
            throw new NotRewritable("a filter on " + field + ", which is not a dimension of " + definition.name() + " "
                    + definition.dimensions());
        }
        return field;
    }

    private void addFilter(String field, Set<String> values) {
        Set<String> existing = filters.get(field);
        if (existing == null) {
            filters.put(field, new LinkedHashSet<>(values));
            return;
        }
        existing.retainAll(values);
        if (existing.isEmpty()) {
            throw new NotRewritable("filters on " + field + " that no value passes");
        }
    }

    /**
     * The range as Elasticsearch's {@code RangeQueryBuilder} and {@code DateFieldMapper} read it (parameters in
     * order, later ones win; {@code from = parse(lower, roundUp = !includeLower)}, {@code to = parse(upper,
     * roundUp = includeUpper)}), date math resolved with {@link DateMath} at this request's {@code now}, as
     * {@code [from, to)}.
     */
    private void range(JsonNode range) {
        Map.Entry<String, JsonNode> only = onlyField(range, "range");
        if (!only.getKey().equals(definition.timeField())) {
            throw new NotRewritable(
                    "a range on " + only.getKey() + ", which is not the time field " + definition.timeField());
        }
        JsonNode bounds = only.getValue();
        requireOnly(
                bounds,
                "range",
                Set.of(
                        "gte",
                        "gt",
                        "lte",
                        "lt",
                        "from",
                        "to",
                        "include_lower",
                        "include_upper",
                        "format",
                        "time_zone",
                        "boost"));
        JsonNode lowerBound = null;
        JsonNode upperBound = null;
        boolean includeLower = true;
        boolean includeUpper = true;
        for (Map.Entry<String, JsonNode> entry : bounds.properties()) {
            JsonNode value = entry.getValue().isNull() ? null : entry.getValue();
            switch (entry.getKey()) {
                case "from" -> lowerBound = value;
                case "to" -> upperBound = value;
                case "gt", "gte" -> {
                    lowerBound = value;
                    includeLower = entry.getKey().equals("gte");
                }
                case "lt", "lte" -> {
                    upperBound = value;
                    includeUpper = entry.getKey().equals("lte");
                }
                case "include_lower" -> includeLower = entry.getValue().asBoolean(true);
                case "include_upper" -> includeUpper = entry.getValue().asBoolean(true);
                default -> {
                    // format, time_zone, boost: read below or no effect
                }
            }
        }
        ZoneId zone = zone(bounds.get("time_zone"));
        DateFormat format = format(bounds.get("format"), lowerBound, upperBound);
        if (lowerBound != null) {
            long lower = evaluate(lowerBound, !includeLower, zone, format) + (includeLower ? 0 : 1);
            Instant at = Instant.ofEpochMilli(lower);
            from = from == null || at.isAfter(from) ? at : from;
        }
        if (upperBound != null) {
            long upper = evaluate(upperBound, includeUpper, zone, format) + (includeUpper ? 1 : 0);
            Instant at = Instant.ofEpochMilli(upper);
            to = to == null || at.isBefore(to) ? at : to;
        }
    }

    /** Without {@code format}, a JSON number on either side reads both as epoch_millis, as in Elasticsearch. */
    private static DateFormat format(JsonNode format, JsonNode lower, JsonNode upper) {
        String text = format == null || format.isNull()
                ? (isNumber(lower) || isNumber(upper) ? "epoch_millis" : MAPPING_FORMAT)
                : format.asText();
        try {
            return DateFormats.forPattern(text).orElseThrow(() -> new NotRewritable("a time bound in format " + text));
        } catch (IllegalArgumentException e) {
            throw new NotRewritable("a time bound in format " + text);
        }
    }

    private static boolean isNumber(JsonNode bound) {
        return bound != null && bound.isIntegralNumber();
    }

    /**
     * One bound in epoch millis. An epoch value with a {@code time_zone} is read differently by Elasticsearch
     * versions (shifted up to 8.19, not after); such a bound is rewritten only where both readings agree.
     */
    private long evaluate(JsonNode bound, boolean roundUp, ZoneId zone, DateFormat format) {
        String text;
        if (bound.isIntegralNumber()) {
            text = bound.bigIntegerValue().toString();
        } else if (bound.isTextual()) {
            text = bound.textValue();
        } else {
            throw new NotRewritable("a time bound that is not a string or integer: " + bound);
        }
        try {
            long shifted = DateMath.evaluate(text, nowMillis, roundUp, zone, format, false);
            if (zone != null && shifted != DateMath.evaluate(text, nowMillis, roundUp, zone, format, true)) {
                throw new NotRewritable("an epoch time bound with a time_zone (" + text + ")");
            }
            return shifted;
        } catch (IllegalArgumentException e) {
            throw new NotRewritable("a time bound Elasticsearch cannot read: " + text);
        }
    }

    private static ZoneId zone(JsonNode zone) {
        if (zone == null || zone.isNull()) {
            return null;
        }
        try {
            return ZoneId.of(zone.asText());
        } catch (DateTimeException e) {
            throw new NotRewritable("a range time_zone " + zone);
        }
    }

    private static List<JsonNode> clauses(JsonNode node) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (node.isArray()) {
            List<JsonNode> list = new ArrayList<>();
            node.forEach(list::add);
            return list;
        }
        return List.of(node);
    }

    private static boolean minimumShouldMatchIsOne(JsonNode msm) {
        return msm == null || msm.asText().equals("1");
    }

    static void requireOnly(JsonNode object, String what, Set<String> allowed) {
        if (object == null || !object.isObject()) {
            throw new NotRewritable("a malformed " + what);
        }
        Iterator<String> names = object.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw new NotRewritable(what + " with " + name);
            }
        }
    }
}
