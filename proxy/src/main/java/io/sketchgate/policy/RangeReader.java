package io.sketchgate.policy;

import com.fasterxml.jackson.databind.JsonNode;
import io.sketchgate.esapi.DateFormat;
import io.sketchgate.esapi.DateFormats;
import io.sketchgate.esapi.DateMath;
import io.sketchgate.esapi.EpochDateFormat;
import io.sketchgate.esapi.SearchOutline;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Turns the body of a {@code range} on the time field into the span of milliseconds it admits, following
 * Elasticsearch's {@code RangeQueryBuilder} (parameters read in order, later ones win) and
 * {@code DateFieldMapper.dateRangeQuery}:
 * <pre>
 *   from = parse(lower, roundUp = !includeLower); if exclusive: from + 1
 *   to   = parse(upper, roundUp =  includeUpper); if exclusive: to - 1
 * </pre>
 * The +1 and -1 wrap around at the ends of {@code long} exactly as in Elasticsearch, where {@code gt} at
 * {@link Long#MAX_VALUE} becomes "no lower bound".
 *
 * <p>Without {@code format}, a JSON number on either side switches both sides to {@code epoch_millis}, as
 * Elasticsearch does; otherwise the field's mapping format applies.
 */
final class RangeReader {
    /** Joda-era short zone names Elasticsearch still accepts (deprecated) and maps to regions. */
    private static final Map<String, String> SHORT_ZONES = Map.of(
            "EST",
            "America/New_York",
            "EDT",
            "America/New_York",
            "CST",
            "America/Chicago",
            "CDT",
            "America/Chicago",
            "MST",
            "America/Denver",
            "MDT",
            "America/Denver",
            "PST",
            "America/Los_Angeles",
            "PDT",
            "America/Los_Angeles");

    private final DateFormat mappingFormat;
    private final DateFormat epochMillis = EpochDateFormat.millis();

    RangeReader(DateFormat mappingFormat) {
        this.mappingFormat = mappingFormat;
    }

    private record Bound(String text, boolean number) {}

    TimeSpan read(JsonNode body, String path, long nowMillis) {
        if (!body.isObject()) {
            throw new TimeSpanException(
                    TimeSpanException.Type.PARSING_EXCEPTION,
                    path + ": [range] query malformed, the field must hold an object, was " + body.getNodeType());
        }
        Bound lower = null;
        Bound upper = null;
        boolean includeLower = true;
        boolean includeUpper = true;
        String timeZoneText = null;
        String formatText = null;
        for (Map.Entry<String, JsonNode> entry : body.properties()) {
            String key = entry.getKey();
            JsonNode value = entry.getValue();
            String at = path + "." + key;
            switch (key) {
                case "from" -> lower = bound(value, at);
                case "to" -> upper = bound(value, at);
                case "gt" -> {
                    lower = bound(value, at);
                    includeLower = false;
                }
                case "gte" -> {
                    lower = bound(value, at);
                    includeLower = true;
                }
                case "lt" -> {
                    upper = bound(value, at);
                    includeUpper = false;
                }
                case "lte" -> {
                    upper = bound(value, at);
                    includeUpper = true;
                }
                case "include_lower" -> includeLower = bool(value, at);
                case "include_upper" -> includeUpper = bool(value, at);
                case "time_zone" -> timeZoneText = text(value, at);
                case "format" -> formatText = text(value, at);
                case "relation" -> checkRelation(value, at);
                case "boost", "_name" -> {
                    // no effect on what matches
                }
                default ->
                    throw new TimeSpanException(
                            TimeSpanException.Type.PARSING_EXCEPTION,
                            at + ": [range] query does not support [" + key + "]");
            }
        }
        return span(lower, upper, includeLower, includeUpper, timeZoneText, formatText, path, nowMillis);
    }

    /**
     * {@link #read} for a range as the streaming pass saw it ({@link SearchOutline.Param}): the same parameters in
     * the same order give the same span and the same exceptions. Values the tree would have to describe in a message
     * (a {@code null} format, a {@code "yes"} include_lower) raise {@link NotFast}, so the caller asks the tree.
     */
    TimeSpan read(List<SearchOutline.Param> params, String path, long nowMillis) throws NotFast {
        Bound lower = null;
        Bound upper = null;
        boolean includeLower = true;
        boolean includeUpper = true;
        String timeZoneText = null;
        String formatText = null;
        for (SearchOutline.Param param : params) {
            switch (param.key()) {
                case "from" -> lower = bound(param);
                case "to" -> upper = bound(param);
                case "gt" -> {
                    lower = bound(param);
                    includeLower = false;
                }
                case "gte" -> {
                    lower = bound(param);
                    includeLower = true;
                }
                case "lt" -> {
                    upper = bound(param);
                    includeUpper = false;
                }
                case "lte" -> {
                    upper = bound(param);
                    includeUpper = true;
                }
                case "include_lower" -> includeLower = bool(param);
                case "include_upper" -> includeUpper = bool(param);
                case "time_zone" -> timeZoneText = text(param);
                case "format" -> formatText = text(param);
                case "relation" -> checkRelation(text(param));
                case "boost", "_name" -> {
                    // no effect on what matches
                }
                default -> throw NotFast.INSTANCE;
            }
        }
        return span(lower, upper, includeLower, includeUpper, timeZoneText, formatText, path, nowMillis);
    }

    /** A range value only the tree reader can judge (and word the error for). */
    static final class NotFast extends Exception {
        static final NotFast INSTANCE = new NotFast();

        private NotFast() {
            super(null, null, false, false);
        }
    }

    private static Bound bound(SearchOutline.Param param) throws NotFast {
        return switch (param.kind()) {
            case STRING, BOOLEAN -> new Bound(param.text(), false);
            case INTEGER -> new Bound(param.text(), true);
            case NULL -> null;
            case OTHER -> throw NotFast.INSTANCE;
        };
    }

    private static boolean bool(SearchOutline.Param param) throws NotFast {
        if ((param.kind() == SearchOutline.Kind.BOOLEAN || param.kind() == SearchOutline.Kind.STRING)
                && (param.text().equals("true") || param.text().equals("false"))) {
            return Boolean.parseBoolean(param.text());
        }
        throw NotFast.INSTANCE;
    }

    private static String text(SearchOutline.Param param) throws NotFast {
        if (param.kind() != SearchOutline.Kind.STRING) {
            throw NotFast.INSTANCE;
        }
        return param.text();
    }

    private static void checkRelation(String relation) throws NotFast {
        String lower = relation.toLowerCase(Locale.ROOT);
        if (!lower.equals("intersects") && !lower.equals("within") && !lower.equals("contains")) {
            throw NotFast.INSTANCE;
        }
    }

    private TimeSpan span(
            Bound lower,
            Bound upper,
            boolean includeLower,
            boolean includeUpper,
            String timeZoneText,
            String formatText,
            String path,
            long nowMillis) {
        if (lower == null && upper == null) {
            return TimeSpan.unbounded(); // an exists query: no time bound
        }
        ZoneId zone = timeZoneText == null ? null : zone(timeZoneText, path + ".time_zone");
        Optional<DateFormat> format = format(formatText, lower, upper, path + ".format");
        if (format.isEmpty()) {
            return TimeSpan.unbounded();
        }
        long from = Long.MIN_VALUE;
        if (lower != null) {
            from = evaluate(lower, !includeLower, zone, format.get(), nowMillis, false, path);
            if (!includeLower) {
                from++; // wraps like Elasticsearch's ++l
            }
        }
        long to = Long.MAX_VALUE;
        if (upper != null) {
            to = evaluate(upper, includeUpper, zone, format.get(), nowMillis, true, path);
            if (!includeUpper) {
                to--;
            }
        }
        return TimeSpan.ofMillis(from, to);
    }

    private Optional<DateFormat> format(String formatText, Bound lower, Bound upper, String at) {
        if (formatText != null) {
            try {
                return DateFormats.forPattern(formatText);
            } catch (IllegalArgumentException e) {
                throw new TimeSpanException(
                        TimeSpanException.Type.ILLEGAL_ARGUMENT_EXCEPTION, at + ": " + e.getMessage(), e);
            }
        }
        boolean number = (lower != null && lower.number()) || (upper != null && upper.number());
        return Optional.of(number ? epochMillis : mappingFormat);
    }

    /** With a time zone, evaluates both Elasticsearch behaviours for epoch values and keeps the wider bound. */
    private static long evaluate(
            Bound bound, boolean roundUp, ZoneId zone, DateFormat format, long nowMillis, boolean upper, String path) {
        try {
            long shifted = DateMath.evaluate(bound.text(), nowMillis, roundUp, zone, format, false);
            if (zone == null) {
                return shifted;
            }
            long unshifted = DateMath.evaluate(bound.text(), nowMillis, roundUp, zone, format, true);
            return upper ? Math.max(shifted, unshifted) : Math.min(shifted, unshifted);
        } catch (IllegalArgumentException e) {
            throw new TimeSpanException(TimeSpanException.Type.PARSE_EXCEPTION, path + ": " + e.getMessage(), e);
        }
    }

    private static Bound bound(JsonNode value, String at) {
        if (value.isNull()) {
            return null;
        }
        if (value.isTextual()) {
            return new Bound(value.textValue(), false);
        }
        if (value.isIntegralNumber()) {
            return new Bound(value.bigIntegerValue().toString(), true);
        }
        if (value.isNumber()) {
            // Elasticsearch reads JSON fractions as doubles and parses their Java string form
            return new Bound(Double.toString(value.doubleValue()), true);
        }
        if (value.isBoolean()) {
            return new Bound(Boolean.toString(value.booleanValue()), false);
        }
        throw new TimeSpanException(
                TimeSpanException.Type.PARSING_EXCEPTION,
                at + ": [range] bound must be a string, number or null, was " + value.getNodeType());
    }

    private static boolean bool(JsonNode value, String at) {
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        if (value.isTextual()
                && (value.textValue().equals("true") || value.textValue().equals("false"))) {
            return Boolean.parseBoolean(value.textValue());
        }
        throw new TimeSpanException(
                TimeSpanException.Type.PARSING_EXCEPTION, at + ": must be true or false, was " + value);
    }

    private static String text(JsonNode value, String at) {
        if (value.isValueNode() && !value.isNull()) {
            return value.asText();
        }
        throw new TimeSpanException(
                TimeSpanException.Type.PARSING_EXCEPTION, at + ": must be a string, was " + value.getNodeType());
    }

    private static void checkRelation(JsonNode value, String at) {
        String relation = text(value, at).toLowerCase(Locale.ROOT);
        if (!relation.equals("intersects") && !relation.equals("within") && !relation.equals("contains")) {
            throw new TimeSpanException(
                    TimeSpanException.Type.ILLEGAL_ARGUMENT_EXCEPTION,
                    at + ": relation [" + value.asText() + "] is not supported on a date field");
        }
    }

    static ZoneId zone(String text, String at) {
        try {
            String region = SHORT_ZONES.get(text);
            return region != null ? ZoneId.of(region) : ZoneId.of(text).normalized();
        } catch (DateTimeException e) {
            throw new TimeSpanException(
                    TimeSpanException.Type.ILLEGAL_ARGUMENT_EXCEPTION, at + ": unknown time zone [" + text + "]", e);
        }
    }
}
