package io.sketchgate.rewrite;

import com.fasterxml.jackson.databind.JsonNode;
import io.sketchgate.config.UniqueCountDefinition;
import io.sketchgate.rewrite.AggNode.Bucketing;
import io.sketchgate.rewrite.AggNode.Cardinality;
import io.sketchgate.rewrite.AggNode.DateHistogram;
import io.sketchgate.rewrite.AggNode.EventCount;
import io.sketchgate.rewrite.AggNode.Filter;
import io.sketchgate.rewrite.AggNode.Filters;
import io.sketchgate.rewrite.AggNode.Metric;
import io.sketchgate.rewrite.AggNode.Named;
import io.sketchgate.rewrite.AggNode.Terms;
import io.sketchgate.rewrite.AggNode.TermsOrder;
import io.sketchgate.rewrite.HistogramRounding.CalendarUnit;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code aggs} into {@link AggNode}s when every aggregation is one a unique-count answer can give exactly
 * as Elasticsearch would: {@code date_histogram} on the time field, {@code terms} on a dimension,
 * {@code filter}/{@code filters} on dimensions, {@code cardinality} of the unique field and {@code value_count}
 * of the time field. At most one histogram and two {@code terms} per path (a question splits by at most two
 * dimensions); everything else throws {@link NotRewritable}.
 */
final class AggReader {
    private static final Pattern FIXED = Pattern.compile("(\\d+)(ms|s|m|h|d)");
    private static final Set<String> WRAPPER_KEYS = Set.of("aggs", "aggregations", "meta");

    private final UniqueCountDefinition definition;

    private AggReader(UniqueCountDefinition definition) {
        this.definition = definition;
    }

    static List<Named> read(JsonNode aggs, UniqueCountDefinition definition) {
        if (aggs == null || aggs.isNull() || aggs.isEmpty()) {
            throw new NotRewritable("no aggregations");
        }
        List<Named> roots = new AggReader(definition).level(aggs, 0, 0, List.of());
        if (roots.stream().noneMatch(AggReader::countsUniques)) {
            throw new NotRewritable("no cardinality of " + definition.uniqueField() + " to answer");
        }
        return roots;
    }

    private static boolean countsUniques(Named named) {
        return named.node() instanceof Cardinality
                || named.node() instanceof Bucketing b && b.children().stream().anyMatch(AggReader::countsUniques);
    }

    private List<Named> level(JsonNode aggs, int histograms, int termsDepth, List<String> splitDims) {
        if (!aggs.isObject()) {
            throw new NotRewritable("aggs that are not an object");
        }
        List<Named> result = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> entries = aggs.fields();
        while (entries.hasNext()) {
            Map.Entry<String, JsonNode> entry = entries.next();
            result.add(one(entry.getKey(), entry.getValue(), histograms, termsDepth, splitDims));
        }
        return result;
    }

    private Named one(String name, JsonNode wrapper, int histograms, int termsDepth, List<String> splitDims) {
        if (!wrapper.isObject()) {
            throw new NotRewritable("aggregation " + name + " is not an object");
        }
        String type = null;
        Iterator<String> keys = wrapper.fieldNames();
        while (keys.hasNext()) {
            String key = keys.next();
            if (!WRAPPER_KEYS.contains(key)) {
                if (type != null) {
                    throw new NotRewritable("aggregation " + name + " has two types");
                }
                type = key;
            }
        }
        if (type == null) {
            throw new NotRewritable("aggregation " + name + " has no type");
        }
        JsonNode body = wrapper.get(type);
        JsonNode subs = wrapper.has("aggs") ? wrapper.get("aggs") : wrapper.get("aggregations");
        Optional<JsonNode> meta = Optional.ofNullable(wrapper.get("meta")).filter(JsonNode::isObject);
        AggNode node = switch (type) {
            case "cardinality" -> cardinality(name, body, subs);
            case "value_count" -> valueCount(name, body, subs);
            case "date_histogram" -> {
                if (histograms > 0) {
                    throw new NotRewritable("a date_histogram inside another (" + name + ")");
                }
                yield dateHistogram(name, body, children(subs, histograms + 1, termsDepth, splitDims));
            }
            case "terms" -> {
                String field = body.path("field").asText("");
                if (splitDims.contains(field)) {
                    throw new NotRewritable("terms on " + field + " inside terms on the same field");
                }
                List<String> deeper = new ArrayList<>(splitDims);
                deeper.add(field);
                if (deeper.size() > 2) {
                    throw new NotRewritable("more than two nested terms aggregations (" + name + ")");
                }
                yield terms(name, body, children(subs, histograms, termsDepth + 1, deeper));
            }
            case "filter" ->
                new Filter(QueryReader.readFilter(body, definition), children(subs, histograms, termsDepth, splitDims));
            case "filters" -> filters(name, body, children(subs, histograms, termsDepth, splitDims));
            default -> throw new NotRewritable("a " + type + " aggregation (" + name + ")");
        };
        return new Named(name, node, meta);
    }

    private List<Named> children(JsonNode subs, int histograms, int termsDepth, List<String> splitDims) {
        return subs == null || subs.isNull() ? List.of() : level(subs, histograms, termsDepth, splitDims);
    }

    private Metric cardinality(String name, JsonNode body, JsonNode subs) {
        noSubs(name, subs);
        QueryReader.requireOnly(body, "cardinality " + name, Set.of("field", "precision_threshold", "execution_hint"));
        if (!definition.uniqueField().equals(body.path("field").asText())) {
            throw new NotRewritable("a cardinality of " + body.path("field").asText() + ", not of the unique field "
                    + definition.uniqueField());
        }
        return new Cardinality();
    }

    private Metric valueCount(String name, JsonNode body, JsonNode subs) {
        noSubs(name, subs);
        QueryReader.requireOnly(body, "value_count " + name, Set.of("field"));
        if (!definition.timeField().equals(body.path("field").asText())) {
            // only the time field is on every counted event; other fields' value counts are not the PV
            throw new NotRewritable("a value_count of " + body.path("field").asText() + ", not of the time field");
        }
        return new EventCount();
    }

    private static void noSubs(String name, JsonNode subs) {
        if (subs != null && !subs.isEmpty()) {
            throw new NotRewritable("sub-aggregations under metric " + name);
        }
    }

    private DateHistogram dateHistogram(String name, JsonNode body, List<Named> children) {
        QueryReader.requireOnly(
                body,
                "date_histogram " + name,
                Set.of(
                        "field",
                        "fixed_interval",
                        "calendar_interval",
                        "time_zone",
                        "min_doc_count",
                        "extended_bounds",
                        "hard_bounds",
                        "format",
                        "offset",
                        "order",
                        "keyed"));
        if (!definition.timeField().equals(body.path("field").asText())) {
            throw new NotRewritable("a date_histogram on " + body.path("field").asText() + ", not on the time field");
        }
        if (body.path("keyed").asBoolean(false)) {
            throw new NotRewritable("a keyed date_histogram");
        }
        JsonNode order = body.get("order");
        if (order != null
                && !(order.isObject()
                        && order.size() == 1
                        && order.path("_key").asText().equals("asc"))) {
            throw new NotRewritable("a date_histogram ordered other than by _key asc");
        }
        ZoneId zone = ZoneOffset.UTC;
        if (body.hasNonNull("time_zone")) {
            try {
                zone = ZoneId.of(body.get("time_zone").asText());
            } catch (DateTimeException e) {
                throw new NotRewritable("a date_histogram time_zone " + body.get("time_zone"));
            }
        }
        long offset =
                body.hasNonNull("offset") ? signedDuration(body.get("offset").asText()) : 0;
        HistogramRounding rounding;
        if (body.hasNonNull("fixed_interval") == body.hasNonNull("calendar_interval")) {
            throw new NotRewritable("a date_histogram needs exactly one of fixed_interval and calendar_interval");
        }
        if (body.hasNonNull("fixed_interval")) {
            Duration interval =
                    Duration.ofMillis(duration(body.get("fixed_interval").asText()));
            if (interval.compareTo(definition.granularity()) < 0) {
                throw new NotRewritable(
                        "an interval of " + body.get("fixed_interval").asText() + ", finer than the granularity "
                                + definition.granularity());
            }
            if (interval.toMillis() % definition.granularity().toMillis() != 0) {
                throw new NotRewritable(
                        "an interval of " + body.get("fixed_interval").asText()
                                + " that is not a multiple of the granularity " + definition.granularity());
            }
            rounding = HistogramRounding.fixed(interval, zone, offset);
        } else {
            CalendarUnit unit = calendarUnit(body.get("calendar_interval").asText());
            if (unit.shortest.compareTo(definition.granularity()) < 0) {
                throw new NotRewritable("a calendar_interval of "
                        + body.get("calendar_interval").asText() + ", finer than the granularity "
                        + definition.granularity());
            }
            rounding = HistogramRounding.calendar(unit, zone, offset);
        }
        KeyFormat format = KeyFormat.DEFAULT;
        if (body.hasNonNull("format")) {
            format = KeyFormat.of(body.get("format").asText())
                    .orElseThrow(() -> new NotRewritable("a date_histogram format " + body.get("format")));
        }
        long minDocCount = body.path("min_doc_count").asLong(0);
        return new DateHistogram(
                rounding,
                format,
                minDocCount,
                bounds(body.get("extended_bounds"), "extended_bounds"),
                bounds(body.get("hard_bounds"), "hard_bounds"),
                children);
    }

    private static Optional<long[]> bounds(JsonNode bounds, String what) {
        if (bounds == null || bounds.isNull()) {
            return Optional.empty();
        }
        QueryReader.requireOnly(bounds, what, Set.of("min", "max"));
        long min = bounds.hasNonNull("min") ? epochMillis(bounds.get("min"), what) : Long.MIN_VALUE;
        long max = bounds.hasNonNull("max") ? epochMillis(bounds.get("max"), what) : Long.MAX_VALUE;
        return Optional.of(new long[] {min, max});
    }

    private static long epochMillis(JsonNode value, String what) {
        if (value.isIntegralNumber() || value.isTextual() && value.asText().matches("-?\\d+")) {
            return value.asLong();
        }
        throw new NotRewritable(what + " that are not epoch milliseconds: " + value);
    }

    private static CalendarUnit calendarUnit(String text) {
        return switch (text) {
            case "1m", "minute" -> CalendarUnit.MINUTE;
            case "1h", "hour" -> CalendarUnit.HOUR;
            case "1d", "day" -> CalendarUnit.DAY;
            case "1w", "week" -> CalendarUnit.WEEK;
            case "1M", "month" -> CalendarUnit.MONTH;
            case "1q", "quarter" -> CalendarUnit.QUARTER;
            case "1y", "year" -> CalendarUnit.YEAR;
            default -> throw new NotRewritable("a calendar_interval of " + text);
        };
    }

    private static long duration(String text) {
        Matcher m = FIXED.matcher(text);
        if (!m.matches()) {
            throw new NotRewritable("an interval of " + text);
        }
        long amount = Long.parseLong(m.group(1));
        long unit = switch (m.group(2)) {
            case "ms" -> 1;
            case "s" -> 1000;
            case "m" -> 60_000;
            case "h" -> 3_600_000;
            default -> 86_400_000;
        };
        if (amount <= 0) {
            throw new NotRewritable("an interval of " + text);
        }
        return amount * unit;
    }

    private static long signedDuration(String text) {
        if (text.startsWith("-")) {
            return -duration(text.substring(1));
        }
        return duration(text.startsWith("+") ? text.substring(1) : text);
    }

    private Terms terms(String name, JsonNode body, List<Named> children) {
        QueryReader.requireOnly(
                body,
                "terms " + name,
                Set.of(
                        "field",
                        "size",
                        "shard_size",
                        "order",
                        "min_doc_count",
                        "shard_min_doc_count",
                        "execution_hint",
                        "collect_mode"));
        String field = body.path("field").asText();
        if (!definition.dimensions().contains(field)) {
            throw new NotRewritable("terms on " + field + ", which is not a dimension of " + definition.name());
        }
        int size = body.path("size").asInt(10);
        if (size < 1) {
            throw new NotRewritable("terms size " + size);
        }
        List<TermsOrder> order = new ArrayList<>();
        JsonNode orderNode = body.get("order");
        if (orderNode == null || orderNode.isNull()) {
            order.add(new TermsOrder("_count", false));
        } else {
            List<JsonNode> items = new ArrayList<>();
            if (orderNode.isArray()) {
                orderNode.forEach(items::add);
            } else {
                items.add(orderNode);
            }
            for (JsonNode item : items) {
                if (!item.isObject() || item.size() != 1) {
                    throw new NotRewritable("a terms order " + item);
                }
                String by = item.fieldNames().next();
                String direction = item.get(by).asText();
                if (!direction.equals("asc") && !direction.equals("desc")) {
                    throw new NotRewritable("a terms order direction " + direction);
                }
                order.add(new TermsOrder(orderTarget(by, children), direction.equals("asc")));
            }
        }
        // Elasticsearch's TermsAggregatorFactory: without shard_size, BucketUtils.suggestShardSideQueueSize (50 %
        // more plus 10); never fewer than size
        int shardSize = body.hasNonNull("shard_size")
                ? Math.max(size, body.path("shard_size").asInt())
                : (int) Math.min(Integer.MAX_VALUE, (long) (size * 1.5 + 10));
        return new Terms(
                field,
                size,
                body.path("min_doc_count").asLong(1),
                order,
                children,
                shardSize,
                body.path("shard_min_doc_count").asLong(0));
    }

    /** {@code _count}, {@code _key}, or a metric child ({@code "2"} or {@code "2.value"}). */
    private static String orderTarget(String by, List<Named> children) {
        if (by.equals("_count") || by.equals("_key")) {
            return by;
        }
        String metric = by.endsWith(".value") ? by.substring(0, by.length() - ".value".length()) : by;
        for (Named child : children) {
            if (child.name().equals(metric) && child.node() instanceof Metric) {
                return metric;
            }
        }
        throw new NotRewritable("a terms order by " + by + ", which is not a metric of the bucket");
    }

    private Filters filters(String name, JsonNode body, List<Named> children) {
        QueryReader.requireOnly(body, "filters " + name, Set.of("filters"));
        JsonNode filters = body.get("filters");
        List<Map.Entry<String, Map<String, Set<String>>>> list = new ArrayList<>();
        if (filters != null && filters.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> it = filters.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                list.add(new AbstractMap.SimpleImmutableEntry<>(
                        e.getKey(), QueryReader.readFilter(e.getValue(), definition)));
            }
            list.sort(Map.Entry.comparingByKey()); // Elasticsearch sorts keyed filters by name
            return new Filters(true, list, children);
        }
        if (filters != null && filters.isArray()) {
            int i = 0;
            for (JsonNode f : filters) {
                list.add(new AbstractMap.SimpleImmutableEntry<>(
                        Integer.toString(i++), QueryReader.readFilter(f, definition)));
            }
            return new Filters(false, list, children);
        }
        throw new NotRewritable("filters " + name + " without filters");
    }
}
