package io.sketchgate.uniques;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sketchgate.config.UniqueCountDefinition;
import io.sketchgate.es.EsJson;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The events of the sub-fine-granule remainders ({@link SliceCover.Partial}) of every cover of a question that their
 * granule's per-minute page views do not give ({@link FinePageViews}: cuts off the minute), in ONE
 * {@code _msearch} request: per cover one {@code size: 0} search with {@code track_total_hits}, its remainders as
 * ranges of one {@code should}; no aggregation, no values read. The fine tier bounds UV without the source; page
 * views stay exact through this count.
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
        List<Integer> asked = new ArrayList<>();
        StringBuilder body = new StringBuilder();
        try {
            for (int i = 0; i < covers.size(); i++) {
                List<SliceCover.Partial> partials = covers.get(i);
                if (!partials.isEmpty()) {
                    asked.add(i);
                    body.append(EsJson.JSON.writeValueAsString(Map.of("index", definition.source())))
                            .append('\n')
                            .append(EsJson.JSON.writeValueAsString(search(partials)))
                            .append('\n');
                }
            }
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (asked.isEmpty()) {
            return CompletableFuture.completedFuture(counts);
        }
        synchronized (this) {
            requests++;
        }
        // the remainders are minutes wide: let Elasticsearch drop every shard whose time range misses them before the
        // query phase (by default it pre-filters only above 128 shards), as SourceScanner does
        return es.callAsync(
                        "POST",
                        "/_msearch",
                        body.toString(),
                        Map.of("filter_path", "responses", "pre_filter_shard_size", "1"))
                .thenApply(answer -> {
                    if (!answer.ok()) {
                        throw new java.io.UncheckedIOException(
                                new IOException("cannot count the events at the edges in " + definition.source() + ": "
                                        + answer.describe()));
                    }
                    JsonNode responses = answer.body().path("responses");
                    for (int j = 0; j < asked.size(); j++) {
                        JsonNode response = responses.path(j);
                        if (response.has("error")) {
                            throw new java.io.UncheckedIOException(
                                    new IOException("cannot count the events at the edges in " + definition.source()
                                            + ": " + response.path("error")));
                        }
                        counts[asked.get(j)] = response.path("hits")
                                .path("total")
                                .path("value")
                                .asLong();
                    }
                    return counts;
                });
    }

    /** Requests made so far (at most one per question). */
    synchronized long requests() {
        return requests;
    }

    private ObjectNode search(List<SliceCover.Partial> partials) {
        ObjectNode search = EsJson.JSON.createObjectNode();
        search.put("size", 0);
        search.put("track_total_hits", true);
        ObjectNode bool = search.putObject("query").putObject("bool");
        ArrayNode should = bool.putArray("should");
        for (SliceCover.Partial partial : partials) {
            ObjectNode range = should.addObject().putObject("range").putObject(definition.timeField());
            range.put("gte", partial.start().toEpochMilli());
            range.put("lt", partial.end().toEpochMilli());
            range.put("format", "epoch_millis");
        }
        bool.put("minimum_should_match", 1);
        return search;
    }
}
