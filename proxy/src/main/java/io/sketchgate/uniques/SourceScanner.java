package io.sketchgate.uniques;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sketchgate.config.UniqueCountDefinition;
import io.sketchgate.es.EsJson;
import io.sketchgate.hll.SketchHash;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.elasticsearch.client.RestClient;

/**
 * Reads the source's (granule, dimension values, unique value, event count) rows for a time range with one
 * composite aggregation, paged by {@code after_key}: sources time bucket ({@code date_histogram}, fixed
 * interval = the granularity, UTC), each dimension and the unique field, all {@code missing_bucket: true}.
 *
 * <p>Rows come sorted by granule first, so a consumer completes granules in order and needs to hold only the
 * current granule. One page ({@code pageSize} rows) is in memory at a time.
 *
 * <p>The batch job reads every dimension; the query engine ({@link SourceSlices}) reads only the dimensions a
 * question needs, only events passing its filters, and for page views alone drops the unique field, so the
 * same hashing serves both and fewer rows come back.
 */
final class SourceScanner {

    /** One composite bucket. {@code hasValue} is false for events without the unique field. */
    interface RowConsumer {
        void row(long granuleStartMillis, String[] dimensionValues, boolean hasValue, long valueHash, long events)
                throws IOException;
    }

    private static final String FILTER = "_shards.skipped,aggregations.rows.after_key,aggregations.rows.buckets.key,"
            + "aggregations.rows.buckets.doc_count";
    /**
     * Time-based source indices: always let ES drop the shards whose time range misses the ranges before searching
     * (by default it only pre-filters above 128 shards).
     */
    private static final Map<String, String> PARAMETERS = Map.of("filter_path", FILTER, "pre_filter_shard_size", "1");

    private final RestClient client;
    private final UniqueCountDefinition definition;
    /** The dimensions read, in the order of {@link RowConsumer}'s values. */
    private final List<String> dimensions;
    /** Per dimension, the values an event must have one of ({@link BucketKey#MISSING}: no value). */
    private final Map<String, Set<String>> filters;

    private final boolean readUniques;
    /** The rows' time bucket: the granularity, or the fine tier for the batch job. */
    private final Duration interval;

    private final int pageSize;
    private static final ObjectMapper JSON = new ObjectMapper(); // thread-safe; one per scanner cost a question ~50 µs
    private long requests;
    private final AtomicLong sent;
    private long skippedShards;

    /**
     * The batch job's scanner: every dimension, rows per {@code interval} (a minute when the definition has a fine
     * tier, so its granules and their page views per minute are read in the same pass as the granules they tile).
     */
    SourceScanner(RestClient client, UniqueCountDefinition definition, Duration interval, int pageSize) {
        this(client, definition, definition.dimensions(), Map.of(), true, interval, pageSize, new AtomicLong());
    }

    /**
     * @param dimensions  the dimensions to group by, a subset of the definition's
     * @param filters     only events whose dimension values pass these
     * @param readUniques false to count events only (rows then have no value)
     * @param sent        counts every search this scanner sends (a question's requests, with its other reads)
     */
    SourceScanner(
            RestClient client,
            UniqueCountDefinition definition,
            List<String> dimensions,
            Map<String, Set<String>> filters,
            boolean readUniques,
            int pageSize,
            AtomicLong sent) {
        this(client, definition, dimensions, filters, readUniques, definition.granularity(), pageSize, sent);
    }

    private SourceScanner(
            RestClient client,
            UniqueCountDefinition definition,
            List<String> dimensions,
            Map<String, Set<String>> filters,
            boolean readUniques,
            Duration interval,
            int pageSize,
            AtomicLong sent) {
        this.sent = sent;
        this.interval = interval;
        this.client = client;
        this.definition = definition;
        this.dimensions = List.copyOf(dimensions);
        this.filters = Map.copyOf(filters);
        this.readUniques = readUniques;
        this.pageSize = pageSize;
    }

    /** Every row of events with a time in {@code [from, to)}, in composite order. */
    void scan(Instant from, Instant to, RowConsumer consumer) throws IOException {
        scan(List.<Instant[]>of(new Instant[] {from, to}), consumer);
    }

    /** Every row of events with a time in any of the {@code [from, to)} ranges, in composite order: one search. */
    void scan(List<Instant[]> ranges, RowConsumer consumer) throws IOException {
        JsonNode after = null;
        do {
            after = consume(search(query(ranges, after)), consumer);
        } while (after != null);
    }

    /**
     * As {@link #scan(List, RowConsumer)} without blocking the calling thread: each page is sent when the one before
     * it has been read, {@code consumer} runs on the client's I/O thread, and the future completes after the last
     * page (with an {@link java.io.UncheckedIOException} when a page fails). What the consumer built may be read once
     * the future is complete.
     */
    CompletableFuture<Void> scanAsync(List<Instant[]> ranges, RowConsumer consumer) {
        return scanAsync(ranges, null, consumer);
    }

    private CompletableFuture<Void> scanAsync(List<Instant[]> ranges, JsonNode after, RowConsumer consumer) {
        return searchAsync(query(ranges, after)).thenCompose(answer -> {
            JsonNode next;
            try {
                next = consume(answer, consumer);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return next == null ? CompletableFuture.completedFuture(null) : scanAsync(ranges, next, consumer);
        });
    }

    /** One page's rows into {@code consumer}; the key to read the next page after, or null after the last page. */
    private JsonNode consume(JsonNode answer, RowConsumer consumer) throws IOException {
        skippedShards += answer.path("_shards").path("skipped").asLong();
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
            consumer.row(
                    key.path("t").asLong(),
                    values,
                    hasValue,
                    hasValue ? hash(unique) : 0,
                    bucket.path("doc_count").asLong());
        }
        JsonNode after = rows.path("after_key");
        return buckets.size() < pageSize || after.isMissingNode() || after.isNull() ? null : after;
    }

    /** Shards Elasticsearch skipped without searching them, as outside the time range, so far. */
    long skippedShards() {
        return skippedShards;
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

    private ObjectNode query(List<Instant[]> ranges, JsonNode after) {
        ObjectNode body = JSON.createObjectNode();
        body.put("size", 0);
        body.put("track_total_hits", false);
        ObjectNode bool = body.putObject("query").putObject("bool");
        ArrayNode filter = bool.putArray("filter");
        if (ranges.size() == 1) {
            range(filter.addObject(), ranges.get(0));
        } else {
            ObjectNode any = filter.addObject().putObject("bool");
            ArrayNode should = any.putArray("should");
            ranges.forEach(r -> range(should.addObject(), r));
            any.put("minimum_should_match", 1);
        }
        filters.forEach((dimension, values) -> filter.add(dimensionFilter(dimension, values)));
        ObjectNode composite = body.putObject("aggs").putObject("rows").putObject("composite");
        composite.put("size", pageSize);
        ArrayNode sources = composite.putArray("sources");
        ObjectNode histogram = sources.addObject().putObject("t").putObject("date_histogram");
        histogram.put("field", definition.timeField());
        histogram.put("fixed_interval", interval.toMillis() + "ms");
        for (int i = 0; i < dimensions.size(); i++) {
            ObjectNode terms = sources.addObject().putObject("d" + i).putObject("terms");
            terms.put("field", dimensions.get(i));
            terms.put("missing_bucket", true);
        }
        if (readUniques) {
            ObjectNode unique = sources.addObject().putObject("u").putObject("terms");
            unique.put("field", definition.uniqueField());
            unique.put("missing_bucket", true);
        }
        if (after != null) {
            composite.set("after", after);
        }
        return body;
    }

    private void range(ObjectNode clause, Instant[] fromTo) {
        ObjectNode range = clause.putObject("range").putObject(definition.timeField());
        range.put("gte", fromTo[0].toEpochMilli());
        range.put("lt", fromTo[1].toEpochMilli());
        range.put("format", "epoch_millis");
    }

    /** One of {@code values}, where {@link BucketKey#MISSING} matches events without the dimension. */
    private ObjectNode dimensionFilter(String dimension, Set<String> values) {
        ObjectNode clause = JSON.createObjectNode();
        ArrayNode should = clause.putObject("bool").putArray("should");
        List<String> present = values.stream()
                .filter(v -> !v.equals(BucketKey.MISSING))
                .sorted()
                .toList();
        if (!present.isEmpty()) {
            ArrayNode terms = should.addObject().putObject("terms").putArray(dimension);
            present.forEach(terms::add);
        }
        if (values.contains(BucketKey.MISSING)) {
            should.addObject()
                    .putObject("bool")
                    .putArray("must_not")
                    .addObject()
                    .putObject("exists")
                    .put("field", dimension);
        }
        return clause;
    }

    private JsonNode search(ObjectNode body) throws IOException {
        requests++;
        return rows(new EsJson(client, sent).call("POST", path(), JSON.writeValueAsString(body), PARAMETERS));
    }

    private CompletableFuture<JsonNode> searchAsync(ObjectNode body) {
        String text;
        try {
            text = JSON.writeValueAsString(body);
        } catch (IOException e) {
            return CompletableFuture.failedFuture(new UncheckedIOException(e));
        }
        requests++;
        return new EsJson(client, sent)
                .callAsync("POST", path(), text, PARAMETERS)
                .thenApply(answer -> {
                    try {
                        return rows(answer);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
    }

    private String path() {
        return "/" + definition.source() + "/_search";
    }

    /** A page's answer; a refused search (4xx) fails the read as a 5xx does. */
    private JsonNode rows(EsJson.Answer answer) throws IOException {
        if (!answer.ok()) {
            throw new IOException("cannot read the events of " + definition.source() + ": " + answer.describe());
        }
        return answer.body();
    }
}
