package io.sketchgate.uniques;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sketchgate.config.Durations;
import io.sketchgate.config.UniqueCountDefinition;
import io.sketchgate.es.EsJson;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Reads a definition version's bucket documents for {@link BucketCatalogue}: all of them, or those written
 * ({@code computed_at}) since an instant, paged with {@code search_after} on the fields that identify a document,
 * {@code _source} without the sketch, which {@link SketchCache} serves decoded.
 */
final class StoredBuckets {
    static final int PAGE_SIZE = 2_000;
    private static final List<String> SOURCE_FIELDS = List.of(
            "level",
            "time_zone",
            "start",
            "dimensions",
            "uv",
            "pv",
            "exact",
            "watermark",
            "pv_by_minute",
            "event_millis");

    /**
     * One document, without its sketch; {@code seqNo}/{@code primaryTerm} tell a rewritten document apart;
     * {@code pvByMinute}: a fine granule's or a granule's page views per {@link UniqueCountDefinition#FINE_PV_STEP},
     * {@link PageViewSteps#NONE} for any other; {@code eventMillis}: a root-subset fine granule's events'
     * milliseconds, {@link EventMillis#NONE} for any other; {@code sketchSlot}: its sketch while {@link SketchCache}
     * holds it.
     */
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
            boolean exact,
            Instant watermark,
            PageViewSteps pvByMinute,
            EventMillis eventMillis,
            SketchSlot sketchSlot) {
        /**
         * Heap the catalogue holds for this document, estimated from above: the record, its id and dimension values,
         * two instants and the catalogue's map entry (about 300 bytes, from a heap histogram of the demo's catalogue
         * when each document had its own copies; the values a read now shares between documents are still counted,
         * so the gauge stays a bound), and its sketch slot, plus its page views per minute and its events'
         * milliseconds.
         */
        static final int FIXED_BYTES = 300 + SketchSlot.BYTES;

        PieceKey piece() {
            return new PieceKey(level, zone, start);
        }

        /** This document holding no events' milliseconds, and the same sketch slot. */
        Document withoutEventMillis() {
            return new Document(
                    id,
                    seqNo,
                    primaryTerm,
                    level,
                    zone,
                    start,
                    dimensionValues,
                    uv,
                    pv,
                    exact,
                    watermark,
                    pvByMinute,
                    EventMillis.NONE,
                    sketchSlot);
        }

        long memoryBytes() {
            return FIXED_BYTES + 2L * id.length() + pvByMinute.memoryBytes() + eventMillis.memoryBytes();
        }
    }

    /** What identifies a stored piece among the documents: level label, zone label, start. */
    record PieceKey(String level, String zone, Instant start) {
        // written out: a question looks up hundreds of these, and the record's generated methods (method handles)
        // were a tenth of a daily chart's time in the catalogue's map
        @Override
        public boolean equals(Object other) {
            return other instanceof PieceKey key
                    && start.equals(key.start)
                    && level.equals(key.level)
                    && zone.equals(key.zone);
        }

        @Override
        public int hashCode() {
            return 31 * (31 * level.hashCode() + zone.hashCode()) + start.hashCode();
        }
    }

    private final EsJson es;
    private final UniqueCountDefinition definition;
    /** The levels of the documents that may keep their events' milliseconds: granules and fine granules. */
    private final String granuleLevel;

    private final String fineLevel;
    /**
     * One instance of each equal value this read meets: its documents repeat a few levels, zones and dimension
     * values, each piece's start and most watermarks, and the catalogue keeps every document while it runs. Each
     * copy was one or two more objects in the old generation, whose object count the parallel collector's young
     * pauses grow with (docs/scaling.md, "JVM and GC"): about eleven a document, of some 40 (a heap histogram at 30M
     * events, before).
     */
    private final Map<Object, Object> canonical = new HashMap<>();

    private long requests;

    StoredBuckets(EsJson es, UniqueCountDefinition definition) {
        this.es = es;
        this.definition = definition;
        this.granuleLevel = Durations.format(definition.granularity());
        this.fineLevel = Level.FINE.label(granuleLevel);
    }

    /** Every document of the current version, or only those written at or after {@code writtenSince}. */
    void read(Optional<Instant> writtenSince, Consumer<Document> each) throws IOException {
        ObjectNode body = query(writtenSince);
        while (true) {
            requests++;
            EsJson.Answer answer = es.call(
                    "POST",
                    "/" + UvIndex.name(definition) + "/_search",
                    body,
                    Map.of(
                            "filter_path",
                            "hits.hits._id,hits.hits._seq_no,hits.hits._primary_term,hits.hits._source,"
                                    + "hits.hits.sort"));
            if (answer.status() == 404) {
                return; // nothing precomputed yet
            }
            if (!answer.ok()) {
                throw new IOException(
                        "cannot read the documents of " + UvIndex.name(definition) + ": " + answer.describe());
            }
            JsonNode hits = answer.body().path("hits").path("hits");
            for (JsonNode hit : hits) {
                each.accept(document(hit));
            }
            if (hits.size() < PAGE_SIZE) {
                return;
            }
            body.set("search_after", hits.get(hits.size() - 1).path("sort"));
        }
    }

    @SuppressWarnings("unchecked") // a value maps to itself
    private <T> T canonical(T value) {
        return (T) canonical.computeIfAbsent(value, v -> v);
    }

    long requests() {
        return requests;
    }

    private ObjectNode query(Optional<Instant> writtenSince) {
        ObjectNode body = EsJson.JSON.createObjectNode();
        body.put("size", PAGE_SIZE);
        body.put("track_total_hits", false);
        body.put("seq_no_primary_term", true);
        ArrayNode source = body.putArray("_source");
        SOURCE_FIELDS.forEach(source::add);
        ArrayNode filter = body.putObject("query").putObject("bool").putArray("filter");
        filter.addObject().putObject("term").put("definition_version", definition.version());
        writtenSince.ifPresent(since ->
                filter.addObject().putObject("range").putObject("computed_at").put("gte", since.toString()));
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
            values.add(canonical(source.path("dimensions").path(dimension).asText()));
        }
        return new Document(
                hit.path("_id").asText(),
                hit.path("_seq_no").asLong(),
                hit.path("_primary_term").asLong(),
                canonical(source.path("level").asText()),
                canonical(source.path("time_zone").asText()),
                canonical(Instant.parse(source.path("start").asText())),
                canonical(List.copyOf(values)),
                source.path("uv").asLong(),
                source.path("pv").asLong(),
                source.path("exact").asBoolean(),
                canonical(Instant.parse(source.path("watermark").asText())),
                steps(source.path("pv_by_minute")),
                eventMillis(source),
                new SketchSlot());
    }

    /**
     * A fine granule's or a granule's events' milliseconds, when it keeps them and they agree with its page views;
     * the span of the document's level.
     */
    private EventMillis eventMillis(JsonNode source) {
        JsonNode field = source.path("event_millis");
        if (!field.isTextual() || definition.fineTier().isEmpty()) {
            return EventMillis.NONE;
        }
        String level = source.path("level").asText();
        long span;
        if (level.equals(fineLevel)) {
            span = definition.fineTier().get().toMillis();
        } else if (level.equals(granuleLevel)) {
            span = definition.granularity().toMillis();
        } else {
            return EventMillis.NONE;
        }
        return EventMillis.decode(field.asText(), source.path("pv").asLong(), span);
    }

    private static PageViewSteps steps(JsonNode array) {
        if (!array.isArray() || array.isEmpty()) {
            return PageViewSteps.NONE;
        }
        long[] steps = new long[array.size()];
        for (int i = 0; i < steps.length; i++) {
            JsonNode step = array.get(i);
            if (!step.canConvertToExactIntegral() || step.asLong() < 0) {
                return PageViewSteps.NONE; // unreadable: the cut is counted instead, never guessed
            }
            steps[i] = step.asLong();
        }
        return PageViewSteps.of(steps);
    }
}
