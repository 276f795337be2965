package io.sketchgate.uniques;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.sketchgate.api.ApiRequest;
import io.sketchgate.config.EdgeReads;
import io.sketchgate.config.UniqueCountDefinition;
import io.sketchgate.config.UniqueCountsConfig;
import io.sketchgate.es.EsJson;
import io.sketchgate.esapi.DateMath;
import io.sketchgate.http.ProxyException;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One UV API request, read from the query string ({@code GET}) or a JSON body with the same fields ({@code POST};
 * {@code filter} may also be an object of dimension to value or list of values, {@code split} a list), and
 * checked: every problem is collected and answered as one ES-shaped 400 naming the fix.
 */
record UvRequest(
        UniqueCountDefinition definition,
        Instant from,
        Instant to,
        String interval,
        ZoneId zone,
        List<UvInterval.Bucket> buckets,
        Map<String, Set<String>> filters,
        List<String> split,
        Format format,
        EdgeReads edges) {

    static final int MAX_BUCKETS = 10_000;
    /** Longer split lists are refused without being repeated back. */
    private static final int MAX_ECHOED_SPLIT = 10;

    private static final Set<String> PARAMETERS =
            Set.of("from", "to", "interval", "time_zone", "split", "format", "edges", "pretty");

    enum Format {
        JSON,
        CSV
    }

    UvQuestion question() {
        return new UvQuestion(
                definition,
                from,
                to,
                buckets.stream().map(UvInterval.Bucket::slice).toList(),
                filters,
                split,
                UvQuestion.Measure.UV_AND_PV,
                UvQuestion.RowSelection.ALL,
                edges);
    }

    static UvRequest parse(ApiRequest request, UniqueCountsConfig config, Instant now) {
        if (request.segments().size() != 2 || request.segments().get(1).isEmpty()) {
            throw badRequest(
                    "name a definition: " + "/_sketchgate/uv/{definition}; known definitions: " + names(config));
        }
        String name = request.segments().get(1);
        UniqueCountDefinition definition = config.definition(name)
                .orElseThrow(() -> badRequest(
                        "\"" + name + "\" is not a unique-count definition; known definitions: " + names(config)));
        Map<String, List<String>> fields = fields(request);
        List<String> problems = new ArrayList<>();
        for (String key : fields.keySet()) {
            if (!PARAMETERS.contains(key) && !key.startsWith("filter.")) {
                problems.add("unknown parameter \"" + key + "\"; the UV API takes from, to, interval, time_zone,"
                        + " filter.<dimension>, split, format and edges");
            }
        }
        ZoneId zone = ZoneOffset.UTC;
        String zoneText = last(fields, "time_zone", "UTC");
        try {
            zone = ZoneId.of(zoneText);
        } catch (DateTimeException e) {
            problems.add("time_zone \"" + zoneText + "\" is not a time zone; use a region id like Asia/Seoul, an offset"
                    + " like +09:00, or UTC");
        }
        Instant from = date(fields, "from", null, now, zone, problems);
        Instant to = date(fields, "to", "now", now, zone, problems);
        if (from != null && to != null && !from.isBefore(to)) {
            problems.add("from " + from + " must be before to " + to + "; the range is [from, to)");
        }
        String intervalText = last(fields, "interval", "all");
        UvInterval interval = UvInterval.parse(intervalText, definition, problems);
        Map<String, Set<String>> filters = new LinkedHashMap<>();
        fields.forEach((key, values) -> {
            if (key.startsWith("filter.")) {
                String dimension = key.substring("filter.".length());
                Set<String> allowed = new LinkedHashSet<>();
                values.forEach(v -> splitList(v).forEach(allowed::add));
                if (!definition.dimensions().contains(dimension)) {
                    problems.add(QuestionChecks.unknownDimension(definition, "filter", dimension));
                } else if (allowed.isEmpty()) {
                    problems.add(key + " has no values; name one or more, comma-separated, or leave it out");
                } else {
                    filters.put(dimension, allowed);
                }
            }
        });
        List<String> split = new ArrayList<>();
        fields.getOrDefault("split", List.of()).forEach(v -> splitList(v).forEach(split::add));
        // A long list is answered with the limit alone: echoing every name (or a problem per unknown one) would bury
        // the one thing to fix under kilobytes of the caller's own input.
        boolean echo = split.size() <= MAX_ECHOED_SPLIT;
        if (echo) {
            for (String dimension : split) {
                if (!definition.dimensions().contains(dimension)) {
                    problems.add(QuestionChecks.unknownDimension(definition, "split", dimension));
                }
            }
        }
        if (split.size() > QuestionChecks.MAX_SPLIT) {
            problems.add("split names " + split.size() + " dimensions" + (echo ? " " + split : "") + "; at most "
                    + QuestionChecks.MAX_SPLIT + " are allowed: split by two and filter by the others");
        }
        if (echo && new LinkedHashSet<>(split).size() != split.size()) {
            problems.add("split names a dimension twice: " + split);
        }
        Format format = null;
        String formatText = last(fields, "format", "json");
        try {
            format = Format.valueOf(formatText.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            problems.add("format \"" + formatText + "\" is not supported; use json or csv");
        }
        String edgesText = last(fields, "edges", EdgeReads.DEFAULT.configName());
        EdgeReads edges = EdgeReads.parse(edgesText).orElse(null);
        if (edges == null) {
            problems.add("edges \"" + edgesText + "\" is not supported; use fine (the default: edges from the stored"
                    + " fine tier, bounded inside a fine granule) or exact (edges read from the source)");
        }
        List<UvInterval.Bucket> buckets = List.of();
        if (problems.isEmpty()) {
            buckets = interval.buckets(from, to, zone, MAX_BUCKETS, problems);
        }
        if (!problems.isEmpty()) {
            throw badRequest(String.join("; ", problems));
        }
        return new UvRequest(
                definition, from, to, intervalText, zone, buckets, filters, List.copyOf(split), format, edges);
    }

    static ProxyException badRequest(String reason) {
        return new ProxyException(HttpResponseStatus.BAD_REQUEST, "illegal_argument_exception", reason);
    }

    private static List<String> names(UniqueCountsConfig config) {
        return config.definitions().stream().map(UniqueCountDefinition::name).toList();
    }

    /** Query-string parameters, then the JSON body's fields over them. */
    private static Map<String, List<String>> fields(ApiRequest request) {
        Map<String, List<String>> fields = new LinkedHashMap<>(request.parameters());
        if (!request.hasBody()) {
            return fields;
        }
        JsonNode body;
        try {
            body = EsJson.JSON.readTree(request.body());
        } catch (IOException e) {
            String why = e instanceof com.fasterxml.jackson.core.JsonProcessingException json
                    ? io.sketchgate.http.JsonErrors.describe(json)
                    : "unreadable";
            throw new ProxyException(
                    HttpResponseStatus.BAD_REQUEST,
                    "parsing_exception",
                    "the body is not valid JSON (" + why + "); send an object"
                            + " like {\"from\":\"now-7d\",\"interval\":\"1d\",\"split\":[\"country\"]}");
        }
        if (body == null || !body.isObject()) {
            throw badRequest("the body must be a JSON object like {\"from\":\"now-7d\",\"interval\":\"1d\"}");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (field.getKey().equals("filter") && field.getValue().isObject()) {
                field.getValue()
                        .fields()
                        .forEachRemaining(f -> fields.put("filter." + f.getKey(), texts(f.getValue())));
            } else if (field.getKey().equals("filter")) {
                throw badRequest("filter must be an object of dimension to values, like"
                        + " {\"filter\":{\"country\":[\"KR\",\"JP\"],\"device\":\"mobile\"}}; was "
                        + kind(field.getValue()));
            } else {
                fields.put(field.getKey(), texts(field.getValue()));
            }
        }
        return fields;
    }

    private static String kind(JsonNode value) {
        return switch (value.getNodeType()) {
            case ARRAY -> "an array";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            default -> "null";
        };
    }

    private static List<String> texts(JsonNode value) {
        List<String> texts = new ArrayList<>();
        if (value.isArray()) {
            value.forEach(v -> texts.add(v.asText()));
        } else {
            texts.add(value.asText());
        }
        return texts.isEmpty() ? List.of("") : texts;
    }

    private static List<String> splitList(String text) {
        List<String> values = new ArrayList<>();
        for (String value : text.split(",")) {
            if (!value.isBlank()) {
                values.add(value.trim());
            }
        }
        return values;
    }

    private static String last(Map<String, List<String>> fields, String key, String fallback) {
        List<String> values = fields.get(key);
        return values == null || values.isEmpty() ? fallback : values.get(values.size() - 1);
    }

    private static Instant date(
            Map<String, List<String>> fields,
            String key,
            String fallback,
            Instant now,
            ZoneId zone,
            List<String> problems) {
        String text = last(fields, key, fallback);
        if (text == null || text.isBlank()) {
            problems.add(key + " is required: an ISO-8601 date like 2026-09-01T00:00:00Z or date math like now-7d/d");
            return null;
        }
        try {
            return DateMath.evaluate(text, now, false, zone);
        } catch (IllegalArgumentException | DateTimeException e) {
            problems.add(key + " \"" + text + "\" is not a date (" + e.getMessage() + "); use an ISO-8601 date like"
                    + " 2026-09-01T00:00:00Z or date math like now-7d/d");
            return null;
        }
    }
}
