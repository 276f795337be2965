package io.sketchgate.uniques;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sketchgate.config.UniqueCountDefinition;
import io.sketchgate.es.EsJson;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The events of the sub-fine-granule remainders ({@link SliceCover.Partial}) of every cover of a question that their
 * granule's per-minute page views do not give ({@link FinePageViews}: cuts off the minute), in ONE {@code size: 0}
 * search: its query the union of every remainder's range, one {@code filter} aggregation per cover with that
 * cover's ranges; no value read. One search rather than an {@code _msearch} of one per cover: each search of an index
 * pattern pays its shards' pre-filter and query phases, and a daily chart's first day, last day and totals were three
 * (the relative-range daily chart at 5M events: the count was most of its time). The fine tier bounds UV without the
 * source; page views stay exact through this count. A shard that fails fails the count: a partial sum is refused.
 */
final class EdgeCounts {
    private final EsJson es;
    private final UniqueCountDefinition definition;
    private long requests;

    EdgeCounts(EsJson es, UniqueCountDefinition definition) {
        this.es = es;
        this.definition = definition;
    }

    /** Per cover, the event count of its remainders still to count (0 for a cover without any). */
    long[] count(List<List<SliceCover.Partial>> covers) throws IOException {
        try {
            return countAsync(covers).join();
        } catch (java.util.concurrent.CompletionException e) {
            Throwable cause = e.getCause() instanceof java.io.UncheckedIOException unchecked
                    ? unchecked.getCause()
                    : e.getCause();
            throw cause instanceof IOException io ? io : new IOException(cause);
        }
    }

    /**
     * As {@link #count}, the request sent without blocking: completes on the client's I/O thread, or at once when
     * there is nothing to count.
     */
    CompletableFuture<long[]> countAsync(List<List<SliceCover.Partial>> covers) {
        long[] counts = new long[covers.size()];
        ObjectNode search = EsJson.JSON.createObjectNode();
        search.put("size", 0);
        search.put("track_total_hits", false);
        ArrayNode every = EsJson.JSON.createArrayNode();
        ObjectNode aggs = EsJson.JSON.createObjectNode();
        for (int i = 0; i < covers.size(); i++) {
            List<SliceCover.Partial> partials = covers.get(i);
            if (!partials.isEmpty()) {
                aggs.putObject(Integer.toString(i)).set("filter", anyOf(partials));
                partials.forEach(partial -> every.add(range(partial)));
            }
        }
        if (aggs.isEmpty()) {
            return CompletableFuture.completedFuture(counts);
        }
        search.putObject("query")
                .putObject("bool")
                .put("minimum_should_match", 1)
                .set("should", every);
        search.set("aggs", aggs);
        String body;
        try {
            body = EsJson.JSON.writeValueAsString(search);
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
        synchronized (this) {
            requests++;
        }
        // the remainders are minutes wide: let Elasticsearch drop every shard whose time range misses them before the
        // query phase (by default it pre-filters only above 128 shards), as SourceScanner does
        return es.callAsync(
                        "POST",
                        "/" + definition.source() + "/_search",
                        body,
                        Map.of(
                                "filter_path", "_shards.failed,aggregations.*.doc_count",
                                "pre_filter_shard_size", "1",
                                "allow_partial_search_results", "false"))
                .thenApply(answer -> {
                    if (!answer.ok()
                            || answer.body().path("_shards").path("failed").asInt(0) > 0) {
                        throw new java.io.UncheckedIOException(
                                new IOException("cannot count the events at the edges in " + definition.source() + ": "
                                        + answer.describe()));
                    }
                    JsonNode counted = answer.body().path("aggregations");
                    aggs.fieldNames().forEachRemaining(name -> {
                        JsonNode count = counted.path(name).path("doc_count");
                        if (!count.canConvertToLong()) {
                            throw new java.io.UncheckedIOException(
                                    new IOException("cannot count the events at the edges in " + definition.source()
                                            + ": no doc_count for cover " + name + " in " + answer.describe()));
                        }
                        counts[Integer.parseInt(name)] = count.asLong();
                    });
                    return counts;
                });
    }

    /** Requests made so far (at most one per question). */
    synchronized long requests() {
        return requests;
    }

    private ObjectNode anyOf(List<SliceCover.Partial> partials) {
        ObjectNode bool = EsJson.JSON.createObjectNode();
        ObjectNode inner = bool.putObject("bool");
        ArrayNode should = inner.putArray("should");
        partials.forEach(partial -> should.add(range(partial)));
        inner.put("minimum_should_match", 1);
        return bool;
    }

    private ObjectNode range(SliceCover.Partial partial) {
        ObjectNode clause = EsJson.JSON.createObjectNode();
        ObjectNode range = clause.putObject("range").putObject(definition.timeField());
        range.put("gte", partial.start().toEpochMilli());
        range.put("lt", partial.end().toEpochMilli());
        range.put("format", "epoch_millis");
        return clause;
    }
}
