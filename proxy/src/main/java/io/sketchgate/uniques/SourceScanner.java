package io.sketchgate.uniques;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sketchgate.config.UniqueCountDefinition;
import io.sketchgate.hll.SketchHash;
import org.apache.http.entity.ContentType;
import org.apache.http.nio.entity.NStringEntity;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.Response;
import org.elasticsearch.client.RestClient;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;

/**
 * Reads the source's (granule, dimension values, unique value, event count) rows for a time range with one
 * composite aggregation, paged by {@code after_key}: sources time bucket ({@code date_histogram}, fixed
 * interval = the granularity, UTC), each dimension and the unique field, all {@code missing_bucket: true}.
 *
 * <p>Rows come sorted by granule first, so a consumer completes granules in order and needs to hold only the
 * current granule. One page ({@code pageSize} rows) is in memory at a time.
 */
final class SourceScanner {

    /** One composite bucket. {@code hasValue} is false for events without the unique field. */
    interface RowConsumer {
        void row(long granuleStartMillis, String[] dimensionValues, boolean hasValue, long valueHash, long events)
                throws IOException;
    }

    private static final String FILTER = "aggregations.rows.after_key,aggregations.rows.buckets.key,"
            + "aggregations.rows.buckets.doc_count";

    private final RestClient client;
    private final UniqueCountDefinition definition;
    private final int pageSize;
    private final ObjectMapper json = new ObjectMapper();
    private long requests;

    SourceScanner(RestClient client, UniqueCountDefinition definition, int pageSize) {
        this.client = client;
        this.definition = definition;
        this.pageSize = pageSize;
    }

    /** Every row of events with a time in {@code [from, to)}, in composite order. */
    void scan(Instant from, Instant to, RowConsumer consumer) throws IOException {
        List<String> dimensions = definition.dimensions();
        JsonNode after = null;
        while (true) {
            JsonNode answer = search(query(from, to, after));
            JsonNode rows = answer.path("aggregations").path("rows");
            JsonNode buckets = rows.path("buckets");
            for (JsonNode bucket : buckets) {
                JsonNode key = bucket.path("key");
                String[] values = new String[dimensions.size()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = DimensionSubsets.value(definition, i, key.path("d" + i));
                }
                JsonNode unique = key.path("u");
                boolean hasValue = !unique.isNull() && !unique.isMissingNode();
                consumer.row(key.path("t").asLong(), values, hasValue, hasValue ? hash(unique) : 0,
                        bucket.path("doc_count").asLong());
            }
            after = rows.path("after_key");
            if (buckets.size() < pageSize || after.isMissingNode() || after.isNull()) {
                return;
            }
        }
    }

    /** Search requests made so far. */
    long requests() {
        return requests;
    }

    /** The unique value through the same hash the sketches and any client use: 42 and "42" are one value. */
    static long hash(JsonNode value) {
        if (value.isIntegralNumber() && value.canConvertToLong()) {
            return SketchHash.hash(value.asLong());
        }
        if (value.isNumber()) {
            return SketchHash.hash(value.asDouble());
        }
        return SketchHash.hash(value.asText());
    }

    private ObjectNode query(Instant from, Instant to, JsonNode after) {
        ObjectNode body = json.createObjectNode();
        body.put("size", 0);
        body.put("track_total_hits", false);
        ObjectNode range = body.putObject("query").putObject("range").putObject(definition.timeField());
        range.put("gte", from.toEpochMilli());
        range.put("lt", to.toEpochMilli());
        range.put("format", "epoch_millis");
        ObjectNode composite = body.putObject("aggs").putObject("rows").putObject("composite");
        composite.put("size", pageSize);
        ArrayNode sources = composite.putArray("sources");
        ObjectNode histogram = sources.addObject().putObject("t").putObject("date_histogram");
        histogram.put("field", definition.timeField());
        histogram.put("fixed_interval", definition.granularity().toMillis() + "ms");
        for (int i = 0; i < definition.dimensions().size(); i++) {
            ObjectNode terms = sources.addObject().putObject("d" + i).putObject("terms");
            terms.put("field", definition.dimensions().get(i));
            terms.put("missing_bucket", true);
        }
        ObjectNode unique = sources.addObject().putObject("u").putObject("terms");
        unique.put("field", definition.uniqueField());
        unique.put("missing_bucket", true);
        if (after != null) {
            composite.set("after", after);
        }
        return body;
    }

    private JsonNode search(ObjectNode body) throws IOException {
        Request request = new Request("POST", "/" + definition.source() + "/_search");
        request.addParameter("filter_path", FILTER);
        request.setEntity(new NStringEntity(json.writeValueAsString(body), ContentType.APPLICATION_JSON));
        requests++;
        Response response = client.performRequest(request);
        try (InputStream in = response.getEntity().getContent()) {
            return json.readTree(in);
        }
    }
}
