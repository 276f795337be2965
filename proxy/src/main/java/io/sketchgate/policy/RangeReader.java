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
        Params params = new Params();
        for (Map.Entry<String, JsonNode> entry : body.properties()) {
            String key = entry.getKey();
            JsonNode value = entry.getValue();
            String at = path + "." + key;
            boolean known = params.apply(key, new Value<RuntimeException>() {
                @Override
                public Bound bound() {
                    return RangeReader.bound(value, at);
                }

                @Override
                public boolean bool() {
                    return RangeReader.bool(value, at);
                }

                @Override
                public String text() {
                    return RangeReader.text(value, at);
                }

                @Override
                public void checkRelation() {
                    RangeReader.checkRelation(value, at);
                }
            });
            if (!known) {
                throw new TimeSpanException(
                        TimeSpanException.Type.PARSING_EXCEPTION,
                        at + ": [range] query does not support [" + key + "]");
            }
        }
        return params.span(this, path, nowMillis);
    }

    /**
     * {@link #read} for a range as the streaming pass saw it ({@link SearchOutline.Param}): the same parameters in
     * the same order give the same span and the same exceptions. Values the tree would have to describe in a message
     * (a {@code null} format, a {@code "yes"} include_lower) raise {@link NotFast}, so the caller asks the tree.
     */
    TimeSpan read(List<SearchOutline.Param> params, String path, long nowMillis) throws NotFast {
        Params read = new Params();
        for (SearchOutline.Param param : params) {
            boolean known = read.apply(param.key(), new Value<NotFast>() {
                @Override
                public Bound bound() throws NotFast {
                    return RangeReader.bound(param);
                }

                @Override
                public boolean bool() throws NotFast {
                    return RangeReader.bool(param);
                }

                @Override
                public String text() throws NotFast {
                    return RangeReader.text(param);
                }

                @Override
                public void checkRelation() throws NotFast {
                    RangeReader.checkRelation(RangeReader.text(param));
                }
            });
            if (!known) {
                throw NotFast.INSTANCE;
            }
        }
        return read.span(this, path, nowMillis);
    }

    /** One parameter's value, read by the tree reader or the streaming one (each with its own failures). */
    private interface Value<E extends Exception> {
        Bound bound() throws E;

        boolean bool() throws E;

        String text() throws E;

        void checkRelation() throws E;
    }

    /**
     * The parameters of one range, applied in the order they are written (a later one replaces an earlier one, as
     * Elasticsearch reads them): one set of rules for both readers, so they cannot disagree on what a key means.
     */
    private static final class Params {
        private Bound lower;
        private Bound upper;
        private boolean includeLower = true;
        private boolean includeUpper = true;
        private String timeZoneText;
        private String formatText;

        /** Applies one parameter; false for a key a range query does not take. */
        <E extends Exception> boolean apply(String key, Value<E> value) throws E {
            switch (key) {
                case "from" -> lower = value.bound();
                case "to" -> upper = value.bound();
                case "gt", "gte" -> {
                    lower = value.bound();
                    includeLower = key.equals("gte");
                }
                case "lt", "lte" -> {
                    upper = value.bound();
                    includeUpper = key.equals("lte");
                }
                case "include_lower" -> includeLower = value.bool();
                case "include_upper" -> includeUpper = value.bool();
                case "time_zone" -> timeZoneText = value.text();
                case "format" -> formatText = value.text();
                case "relation" -> value.checkRelation();
                case "boost", "_name" -> {
                    // no effect on what matches
                }
                default -> {
                    return false;
                }
            }
            return true;
        }

        TimeSpan span(RangeReader reader, String path, long nowMillis) {
            return reader.span(lower, upper, includeLower, includeUpper, timeZoneText, formatText, path, nowMillis);
        }
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
        Optional<DateFormat> format = format(formatText, lower, upper, path);
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

    /** @param path the range's, extended in a message only: this runs for every range */
    private Optional<DateFormat> format(String formatText, Bound lower, Bound upper, String path) {
        if (formatText != null) {
            try {
                return DateFormats.forPattern(formatText);
            } catch (IllegalArgumentException e) {
                throw new TimeSpanException(
                        TimeSpanException.Type.ILLEGAL_ARGUMENT_EXCEPTION, path + ".format: " + e.getMessage(), e);
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
