package io.sketchgate.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Narrows a search to a time window (policy {@code on_exceed: clamp}) by wrapping its query:
 * <pre>
 * {"bool": {"filter": [{"range": {field: {"gte": from, "lte": to, "format": "strict_date_optional_time"}}}],
 *           "must":   [original query, or match_all]}}
 * </pre>
 * This only ever adds a required clause, so the result matches a subset of what the original matched; the original
 * query keeps its scoring in {@code must}. All other sections of the body are kept. The window usually comes from
 * {@link TimeSpan#latest} of the requested span.
 */
public final class SearchClamp {
    private static final DateTimeFormatter ISO_MILLIS = DateTimeFormatter.ofPattern(
                    "uuuu-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    /** Four-digit years only: that is what strict_date_optional_time reads back unambiguously. */
    private static final long MIN_ISO_MILLIS =
            Instant.parse("0000-01-01T00:00:00Z").toEpochMilli();

    private static final long MAX_ISO_MILLIS =
            Instant.parse("9999-12-31T23:59:59.999Z").toEpochMilli();

    private SearchClamp() {}

    /**
     * @throws TimeSpanException when the body has sections that the added filter would not limit (see
     *         {@link TimeSpanExtractor#requiredSpanOfSearch}), or its {@code query} is not an object
     */
    public static ClampedSearch clamp(ObjectNode searchBody, String timeField, TimeSpan window) {
        Objects.requireNonNull(searchBody, "searchBody");
        Objects.requireNonNull(timeField, "timeField");
        Objects.requireNonNull(window, "window");
        if (TimeSpanExtractor.reachesBeyondQuery(searchBody, timeField)) {
            throw new TimeSpanException(
                    TimeSpanException.Type.ILLEGAL_ARGUMENT_EXCEPTION,
                    "body: cannot clamp this search to a time window: it has sections (knn, retriever, suggest, "
                            + "global or join aggregations, join inner_hits or a runtime field named [" + timeField
                            + "]) that a filter on the query does not limit");
        }
        JsonNode original = searchBody.get("query");
        if (original != null && !original.isNull() && !original.isObject()) {
            throw new TimeSpanException(
                    TimeSpanException.Type.PARSING_EXCEPTION,
                    "query: a query must be an object, was " + original.getNodeType());
        }

        JsonNodeFactory json = JsonNodeFactory.instance;
        ObjectNode body = searchBody.deepCopy();
        ArrayNode filter = json.arrayNode();
        Optional<String> from = Optional.empty();
        Optional<String> to = Optional.empty();
        if (window.isEmpty()) {
            filter.addObject().putObject("match_none");
        } else if (!window.isUnbounded()) {
            ObjectNode range = json.objectNode();
            boolean iso = isoRepresentable(window);
            if (window.hasLowerBound()) {
                from = Optional.of(ISO_MILLIS.format(Instant.ofEpochMilli(window.fromMillis())));
                putBound(range, "gte", window.fromMillis(), from.get(), iso);
            }
            if (window.hasUpperBound()) {
                to = Optional.of(ISO_MILLIS.format(Instant.ofEpochMilli(window.toMillis())));
                putBound(range, "lte", window.toMillis(), to.get(), iso);
            }
            range.put("format", iso ? "strict_date_optional_time" : "epoch_millis");
            filter.addObject().putObject("range").set(timeField, range);
        }
        ObjectNode bool = json.objectNode();
        bool.set("filter", filter);
        bool.putArray("must")
                .add(
                        original == null || original.isNull()
                                ? json.objectNode().set("match_all", json.objectNode())
                                : original.deepCopy());
        body.set("query", json.objectNode().set("bool", bool));
        return new ClampedSearch(body, window, from, to);
    }

    private static void putBound(ObjectNode range, String name, long millis, String isoText, boolean iso) {
        if (iso) {
            range.put(name, isoText);
        } else {
            range.put(name, millis); // outside years 0000-9999 an ISO string would not read back
        }
    }

    private static boolean isoRepresentable(TimeSpan window) {
        return (!window.hasLowerBound() || inIsoRange(window.fromMillis()))
                && (!window.hasUpperBound() || inIsoRange(window.toMillis()));
    }

    private static boolean inIsoRange(long millis) {
        return millis >= MIN_ISO_MILLIS && millis <= MAX_ISO_MILLIS;
    }
}
