package io.sketchgate.uniques;

import com.fasterxml.jackson.databind.JsonNode;
import io.sketchgate.config.UniqueCountDefinition;
import io.sketchgate.es.EsJson;
import io.sketchgate.hll.HllSketch;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The tailer's saved state, in the hidden index {@code sketchgate-realtime}, so a restarted proxy re-reads only
 * the overlap and what arrived since the last save instead of the whole lateness window.
 *
 * <p>Documents, with deterministic ids:
 * <ul>
 *   <li>{@code <name>-granule-<start epoch millis>}: one open granule, {@code sketches: [{values: [...], sketch:
 *       <base64 hll format>}]};
 *   <li>{@code <name>-state}: {@code cursor} (newest event time read, at most the poll's time), {@code floor},
 *       the {@code granules} and {@code evicted} granule starts, {@code tailed_through}, {@code definition_version}.
 * </ul>
 * A save writes the changed granule documents first and the state document only once they are acknowledged, then
 * deletes the documents of granules no longer held; so the state never names a granule older than its document.
 * A state of another definition version is ignored (the tailer starts afresh).
 */
final class TailerStore {
    static final String INDEX = "sketchgate-realtime";
    private static final Map<String, Object> BODY = EsJson.hiddenIndexKeepingUnmapped(Map.of(
            "type", Map.of("type", "keyword"),
            "definition", Map.of("type", "keyword"),
            "start", Map.of("type", "date"),
            "persisted_at", Map.of("type", "date")));

    /** What a restart resumes from. */
    record State(
            Instant cursor,
            Instant floor,
            Optional<Instant> tailedThrough,
            Set<Long> granules,
            Set<Long> evicted,
            Map<Long, Map<List<String>, HllSketch>> sketches) {}

    private final EsJson es;
    private final UniqueCountDefinition definition;
    /** The granule snapshots last written, by start: unchanged ones are not written again. */
    private Map<Long, RealtimeSketches.Granule> written = new HashMap<>();

    TailerStore(EsJson es, UniqueCountDefinition definition) {
        this.es = es;
        this.definition = definition;
    }

    Optional<State> load() throws IOException {
        EsJson.Answer answer = es.call("GET", "/" + INDEX + "/_doc/" + stateId(), null);
        if (answer.status() == 404) {
            return Optional.empty();
        }
        if (!answer.ok()) {
            throw new IOException("cannot read the tailer state of " + definition.name() + ": " + answer.describe());
        }
        JsonNode source = answer.body().path("_source");
        if (!source.path("definition_version").asText().equals(definition.version())) {
            return Optional.empty();
        }
        Set<Long> granules = longs(source.path("granules"));
        Map<Long, Map<List<String>, HllSketch>> sketches = new HashMap<>();
        if (!granules.isEmpty()) {
            List<String> ids = granules.stream().map(this::granuleId).toList();
            JsonNode docs = es.require("POST", "/" + INDEX + "/_mget", Map.of("ids", ids), Map.of())
                    .path("docs");
            for (JsonNode doc : docs) {
                if (!doc.path("found").asBoolean()) {
                    throw new IOException("the tailer state of " + definition.name() + " names granule document "
                            + doc.path("_id").asText() + ", which is missing");
                }
                JsonNode granule = doc.path("_source");
                Map<List<String>, HllSketch> bySubset = new HashMap<>();
                for (JsonNode entry : granule.path("sketches")) {
                    List<String> values = new ArrayList<>();
                    entry.path("values").forEach(v -> values.add(v.asText()));
                    bySubset.put(
                            List.copyOf(values),
                            HllSketch.fromBase64(entry.path("sketch").asText()));
                }
                sketches.put(Instant.parse(granule.path("start").asText()).toEpochMilli(), bySubset);
            }
        }
        Optional<Instant> tailedThrough = source.path("tailed_through").isTextual()
                ? Optional.of(Instant.parse(source.path("tailed_through").asText()))
                : Optional.empty();
        return Optional.of(new State(
                Instant.parse(source.path("cursor").asText()),
                Instant.parse(source.path("floor").asText()),
                tailedThrough,
                granules,
                longs(source.path("evicted")),
                sketches));
    }

    /** Remembers what {@link #load} returned as already written. */
    void loaded(Map<Long, RealtimeSketches.Granule> snapshot) {
        written = new HashMap<>(snapshot);
    }

    void save(
            Map<Long, RealtimeSketches.Granule> snapshot,
            Set<Long> evicted,
            Instant cursor,
            Instant floor,
            Optional<Instant> tailedThrough,
            Instant now)
            throws IOException {
        es.createIndexIfAbsent(INDEX, BODY);
        StringBuilder bulk = new StringBuilder();
        for (Map.Entry<Long, RealtimeSketches.Granule> entry : snapshot.entrySet()) {
            RealtimeSketches.Granule before = written.get(entry.getKey());
            // by the sketches: each poll gives a granule new page views, which are not persisted
            if (before == null || before.sketches() != entry.getValue().sketches()) {
                appendIndex(bulk, granuleId(entry.getKey()), granuleSource(entry.getValue(), now));
            }
        }
        if (bulk.length() > 0) {
            requireBulk(bulk);
        }
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("type", "state");
        state.put("definition", definition.name());
        state.put("definition_version", definition.version());
        state.put("cursor", cursor.toString());
        state.put("floor", floor.toString());
        state.put("tailed_through", tailedThrough.map(Instant::toString).orElse(null));
        state.put("granules", new TreeSet<>(snapshot.keySet()));
        state.put("evicted", new TreeSet<>(evicted));
        state.put("persisted_at", now.toString());
        es.require("PUT", "/" + INDEX + "/_doc/" + stateId(), state, Map.of());
        StringBuilder deletes = new StringBuilder();
        for (Long start : written.keySet()) {
            if (!snapshot.containsKey(start)) {
                deletes.append("{\"delete\":{\"_index\":\"")
                        .append(INDEX)
                        .append("\",\"_id\":\"")
                        .append(granuleId(start))
                        .append("\"}}\n");
            }
        }
        if (deletes.length() > 0) {
            requireBulk(deletes);
        }
        written = new HashMap<>(snapshot);
    }

    private void requireBulk(StringBuilder body) throws IOException {
        JsonNode answer = es.require("POST", "/_bulk", body.toString(), Map.of());
        if (answer.path("errors").asBoolean()) {
            for (JsonNode item : answer.path("items")) {
                JsonNode result = item.elements().next();
                if (result.path("status").asInt() >= 300
                        && result.path("status").asInt() != 404) {
                    throw new IOException("cannot save the tailer state of " + definition.name() + ": "
                            + result.path("error").path("reason").asText());
                }
            }
        }
    }

    private void appendIndex(StringBuilder bulk, String id, Map<String, Object> source) throws IOException {
        bulk.append("{\"index\":{\"_index\":\"")
                .append(INDEX)
                .append("\",\"_id\":\"")
                .append(id)
                .append("\"}}\n")
                .append(EsJson.JSON.writeValueAsString(source))
                .append('\n');
    }

    private Map<String, Object> granuleSource(RealtimeSketches.Granule granule, Instant now) {
        List<Map<String, Object>> sketches = new ArrayList<>();
        granule.sketches()
                .forEach((values, sketch) -> sketches.add(Map.of("values", values, "sketch", sketch.toBase64())));
        Map<String, Object> source = new LinkedHashMap<>();
        source.put("type", "granule");
        source.put("definition", definition.name());
        source.put("definition_version", definition.version());
        source.put("start", granule.start().toString());
        source.put("sketches", sketches);
        source.put("persisted_at", now.toString());
        return source;
    }

    private String stateId() {
        return definition.name() + "-state";
    }

    private String granuleId(long start) {
        return definition.name() + "-granule-" + start;
    }

    private static Set<Long> longs(JsonNode array) {
        Set<Long> result = new TreeSet<>();
        array.forEach(n -> result.add(n.asLong()));
        return result;
    }
}
