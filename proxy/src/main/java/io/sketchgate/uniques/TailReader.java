package io.sketchgate.uniques;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sketchgate.config.UniqueCountDefinition;
import io.sketchgate.es.EsJson;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Reads the events of a time window for the tailer: a search sorted on the time field, paged by
 * {@code search_after}, returning only doc values (no {@code _source}).
 *
 * <p>The tiebreaker is not a document id (that needs a point in time, or {@code _id} field data, which 8.x turns
 * off) but the unique field and the dimensions themselves: two events that tie on every sort key add the same
 * value to the same sketches, so skipping one of them at a page boundary loses nothing. Only events that have the
 * unique field are read: the others add nothing to a distinct count, and PV is never summed from these events
 * (an overlapping sweep reads some twice; {@link TailPageViews} counts them instead).
 */
final class TailReader {
    /** One value of one event: called once per unique value and combination of dimension values. */
    interface EventSink {
        void event(long timeMillis, String[] dimensionValues, long valueHash);
    }

    /** @param newest the newest event time read, or {@code Long.MIN_VALUE} when none was */
    record Sweep(long hits, long newest, long requests) {}

    private static final String FILTER = "hits.hits.sort,hits.hits.fields";
    private final EsJson es;
    private final UniqueCountDefinition definition;
    private final int pageSize;

    TailReader(EsJson es, UniqueCountDefinition definition, int pageSize) {
        this.es = es;
        this.definition = definition;
        this.pageSize = pageSize;
    }

    /** Every event with a time in {@code [from, to)} that has the unique field, oldest first. */
    Sweep sweep(Instant from, Instant to, EventSink sink) throws IOException {
        long hits = 0;
        long newest = Long.MIN_VALUE;
        long requests = 0;
        JsonNode after = null;
        while (true) {
            requests++;
            EsJson.Answer answer = es.call(
                    "POST",
                    "/" + definition.source() + "/_search",
                    query(from, to, after),
                    Map.of("filter_path", FILTER, "ignore_unavailable", "true", "allow_no_indices", "true"));
            if (!answer.ok()) {
                throw new IOException("tailing " + definition.source() + " failed: " + answer.describe());
            }
            JsonNode page = answer.body().path("hits").path("hits");
            for (JsonNode hit : page) {
                long time = hit.path("sort").path(0).asLong();
                newest = Math.max(newest, time);
                emit(time, hit.path("fields"), sink);
            }
            hits += page.size();
            if (page.size() < pageSize) {
                return new Sweep(hits, newest, requests);
            }
            after = page.get(page.size() - 1).path("sort");
        }
    }

    /** Multi-valued fields count every value, as the composite aggregation of the batch job does. */
    private void emit(long time, JsonNode fields, EventSink sink) {
        List<String> dimensions = definition.dimensions();
        JsonNode[] dimensionValues = new JsonNode[dimensions.size()];
        for (int i = 0; i < dimensionValues.length; i++) {
            dimensionValues[i] = fields.path(dimensions.get(i));
        }
        String[] values = new String[dimensions.size()];
        for (JsonNode unique : fields.path(definition.uniqueField())) {
            combine(time, dimensionValues, 0, values, SourceScanner.hash(unique), sink);
        }
    }

    private void combine(long time, JsonNode[] dimensionValues, int index, String[] values, long hash, EventSink sink) {
        if (index == values.length) {
            sink.event(time, values.clone(), hash);
            return;
        }
        JsonNode these = dimensionValues[index];
        if (!these.isArray() || these.isEmpty()) {
            values[index] = BucketKey.MISSING;
            combine(time, dimensionValues, index + 1, values, hash, sink);
            return;
        }
        for (JsonNode value : these) {
            values[index] = DimensionSubsets.value(definition, index, value);
            combine(time, dimensionValues, index + 1, values, hash, sink);
        }
    }

    private ObjectNode query(Instant from, Instant to, JsonNode after) {
        ObjectNode body = EsJson.JSON.createObjectNode();
        body.put("size", pageSize);
        body.put("track_total_hits", false);
        body.put("_source", false);
        ArrayNode filter = body.putObject("query").putObject("bool").putArray("filter");
        ObjectNode range = filter.addObject().putObject("range").putObject(definition.timeField());
        range.put("gte", from.toEpochMilli());
        range.put("lt", to.toEpochMilli());
        range.put("format", "epoch_millis");
        filter.addObject().putObject("exists").put("field", definition.uniqueField());
        ArrayNode sort = body.putArray("sort");
        // numeric_type: date and date_nanos indices of one source sort (and page) alike, in millis
        sort.addObject().putObject(definition.timeField()).put("order", "asc").put("numeric_type", "date");
        sort.addObject().putObject(definition.uniqueField()).put("order", "asc");
        for (String dimension : definition.dimensions()) {
            // a value rather than null for events without the dimension keeps search_after free of nulls
            sort.addObject().putObject(dimension).put("order", "asc").put("missing", BucketKey.MISSING);
        }
        ArrayNode docValues = body.putArray("docvalue_fields");
        docValues.add(definition.uniqueField());
        definition.dimensions().forEach(docValues::add);
        if (after != null) {
            body.set("search_after", after);
        }
        return body;
    }
}
