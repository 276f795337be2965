package io.sketchgate.uniques;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sketchgate.config.UniqueCountDefinition;
import io.sketchgate.es.EsJson;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads the documents of the stored pieces of a question in one search (paged with {@code search_after} when
 * there are more than a page): pieces grouped by level and zone into {@code terms} on {@code start}, the
 * dimension values the question needs ({@link DimensionSelection#storedConstraints()}), the current definition
 * version, and {@code _source} without the sketch, which {@link SketchCache} serves decoded.
 */
final class StoredBuckets {
    static final int PAGE_SIZE = 2_000;
    private static final List<String> SOURCE_FIELDS =
            List.of("level", "time_zone", "start", "dimensions", "uv", "pv", "exact");

    /** One document, without its sketch; {@code seqNo}/{@code primaryTerm} tell a rewritten document apart. */
    record Document(
            String id,
            long seqNo,
            long primaryTerm,
            String level,
            String zone,
            Instant start,
            List<String> dimensionValues,
            long uv,
            long pv,
            boolean exact) {
        PieceKey piece() {
            return new PieceKey(level, zone, start);
        }
    }

    /** What identifies a stored piece among the documents: level label, zone label, start. */
    record PieceKey(String level, String zone, Instant start) {}

    private final EsJson es;
    private final UniqueCountDefinition definition;
    private long requests;

    StoredBuckets(EsJson es, UniqueCountDefinition definition) {
        this.es = es;
        this.definition = definition;
    }

    /** Every matching document of the pieces. */
    List<Document> read(Collection<SliceCover.Stored> pieces, DimensionSelection selection) throws IOException {
        if (pieces.isEmpty()) {
            return List.of();
        }
        ObjectNode body = query(pieces, selection);
        List<Document> documents = new ArrayList<>();
        while (true) {
            requests++;
            // request_cache: ES caches only size-0 searches unless asked; its shard cache is dropped on refresh,
            // so a rewritten bucket is never served stale, and a dashboard's repeated question skips the search
            JsonNode hits = es.require(
                            "POST",
                            "/" + UvIndex.name(definition) + "/_search",
                            body,
                            Map.of(
                                    "request_cache",
                                    "true",
                                    "filter_path",
                                    "hits.hits._id,hits.hits._seq_no,hits.hits._primary_term,hits.hits._source,"
                                            + "hits.hits.sort"))
                    .path("hits")
                    .path("hits");
            for (JsonNode hit : hits) {
                documents.add(document(hit));
            }
            if (hits.size() < PAGE_SIZE) {
                return documents;
            }
            body.set("search_after", hits.get(hits.size() - 1).path("sort"));
        }
    }

    long requests() {
        return requests;
    }

    private ObjectNode query(Collection<SliceCover.Stored> pieces, DimensionSelection selection) {
        ObjectNode body = EsJson.JSON.createObjectNode();
        body.put("size", PAGE_SIZE);
        body.put("track_total_hits", false);
        body.put("seq_no_primary_term", true);
        ArrayNode source = body.putArray("_source");
        SOURCE_FIELDS.forEach(source::add);
        ArrayNode filter = body.putObject("query").putObject("bool").putArray("filter");
        filter.addObject().putObject("term").put("definition_version", definition.version());
        selection.storedConstraints().forEach((dimension, constraint) -> {
            String field = "dimensions." + dimension;
            if (constraint.anyButAll()) {
                filter.addObject()
                        .putObject("bool")
                        .putArray("must_not")
                        .addObject()
                        .putObject("term")
                        .put(field, BucketKey.ALL);
            } else {
                ArrayNode values = filter.addObject().putObject("terms").putArray(field);
                new TreeSet<>(constraint.values()).forEach(values::add);
            }
        });
        Map<List<String>, Set<String>> startsByLevel = new LinkedHashMap<>();
        for (SliceCover.Stored piece : pieces) {
            startsByLevel
                    .computeIfAbsent(List.of(piece.levelLabel(definition), piece.zoneLabel()), k -> new TreeSet<>())
                    .add(piece.start().toString());
        }
        ObjectNode any = filter.addObject().putObject("bool");
        any.put("minimum_should_match", 1);
        ArrayNode should = any.putArray("should");
        startsByLevel.forEach((levelAndZone, starts) -> {
            ArrayNode clauses = should.addObject().putObject("bool").putArray("filter");
            clauses.addObject().putObject("term").put("level", levelAndZone.get(0));
            clauses.addObject().putObject("term").put("time_zone", levelAndZone.get(1));
            ArrayNode values = clauses.addObject().putObject("terms").putArray("start");
            starts.forEach(values::add);
        });
        // level, zone, start and the dimension values identify a document: a total order for search_after
        ArrayNode sort = body.putArray("sort");
        sort.addObject().put("start", "asc");
        sort.addObject().put("level", "asc");
        sort.addObject().put("time_zone", "asc");
        for (String dimension : definition.dimensions()) {
            sort.addObject().put("dimensions." + dimension, "asc");
        }
        return body;
    }

    private Document document(JsonNode hit) {
        JsonNode source = hit.path("_source");
        List<String> values = new ArrayList<>();
        for (String dimension : definition.dimensions()) {
            values.add(source.path("dimensions").path(dimension).asText());
        }
        return new Document(
                hit.path("_id").asText(),
                hit.path("_seq_no").asLong(),
                hit.path("_primary_term").asLong(),
                source.path("level").asText(),
                source.path("time_zone").asText(),
                Instant.parse(source.path("start").asText()),
                List.copyOf(values),
                source.path("uv").asLong(),
                source.path("pv").asLong(),
                source.path("exact").asBoolean());
    }
}
