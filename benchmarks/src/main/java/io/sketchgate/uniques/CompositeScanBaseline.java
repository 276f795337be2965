package io.sketchgate.uniques;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sketchgate.config.UniqueCountDefinition;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.http.entity.ContentType;
import org.apache.http.nio.entity.NStringEntity;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.RestClient;

/**
 * The baseline of the precompute cost: Elasticsearch reading the same data once with one composite aggregation
 * ({@code date_histogram} at the granularity, optionally the dimensions, then the unique field), paged by
 * {@code after_key} to the end, with the job's page size. The request cache is off: every page is a real read.
 */
final class CompositeScanBaseline {

    record Scan(Duration took, long pages, long rows) {}

    private final RestClient client;
    private final UniqueCountDefinition definition;
    private final int pageSize;
    private final ObjectMapper json = new ObjectMapper();

    CompositeScanBaseline(RestClient client, UniqueCountDefinition definition, int pageSize) {
        this.client = client;
        this.definition = definition;
        this.pageSize = pageSize;
    }

    /** Reads {@code [from, to)} to the last page, grouping by granule, {@code dimensions} and the unique field. */
    Scan scan(Instant from, Instant to, List<String> dimensions) throws IOException {
        long started = System.nanoTime();
        long pages = 0;
        long rows = 0;
        JsonNode after = null;
        while (true) {
            JsonNode composite = search(body(from, to, dimensions, after))
                    .path("aggregations")
                    .path("rows");
            pages++;
            int size = composite.path("buckets").size();
            rows += size;
            after = composite.path("after_key");
            if (size < pageSize || after.isMissingNode() || after.isNull()) {
                return new Scan(Duration.ofNanos(System.nanoTime() - started), pages, rows);
            }
        }
    }

    private ObjectNode body(Instant from, Instant to, List<String> dimensions, JsonNode after) {
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
        sources.addObject()
                .putObject("t")
                .putObject("date_histogram")
                .put("field", definition.timeField())
                .put("fixed_interval", definition.granularity().toMillis() + "ms");
        for (int i = 0; i < dimensions.size(); i++) {
            sources.addObject()
                    .putObject("d" + i)
                    .putObject("terms")
                    .put("field", dimensions.get(i))
                    .put("missing_bucket", true);
        }
        sources.addObject()
                .putObject("u")
                .putObject("terms")
                .put("field", definition.uniqueField())
                .put("missing_bucket", true);
        if (after != null) {
            composite.set("after", after);
        }
        return body;
    }

    private JsonNode search(ObjectNode body) throws IOException {
        Request request = new Request("POST", "/" + definition.source() + "/_search");
        request.addParameter("request_cache", "false");
        request.addParameter(
                "filter_path",
                "aggregations.rows.after_key,aggregations.rows.buckets.key," + "aggregations.rows.buckets.doc_count");
        request.setEntity(new NStringEntity(json.writeValueAsString(body), ContentType.APPLICATION_JSON));
        try (InputStream in = client.performRequest(request).getEntity().getContent()) {
            return json.readTree(in);
        }
    }
}
