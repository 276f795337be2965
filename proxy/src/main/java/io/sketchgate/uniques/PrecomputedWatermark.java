package io.sketchgate.uniques;

import com.fasterxml.jackson.databind.JsonNode;
import io.sketchgate.config.UniqueCountDefinition;
import io.sketchgate.es.EsJson;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * How far a definition's granules are precomputed without a gap: the document {@code watermark-<name>} in
 * {@link JobStore#INDEX} ({@code precomputed_through}, {@code definition_version}), moved forward by the
 * scheduler and by API recomputes whose range starts at or before it.
 *
 * <p>A completed checkpoint counts too, so a range precomputed with the {@code precompute} command is seen: when
 * it starts at or before the watermark (or there is none yet), its end is the watermark. Either is ignored when
 * written for another definition version, whose documents are stale.
 */
final class PrecomputedWatermark {
    private static final int ATTEMPTS = 5;
    private final JobStore store;

    PrecomputedWatermark(JobStore store) {
        this.store = store;
    }

    Optional<Instant> read(UniqueCountDefinition definition) throws IOException {
        Optional<Instant> stored = stored(definition).flatMap(Stored::through);
        Optional<Checkpoint> checkpoint = store.checkpoint(definition.name())
                .filter(c -> c.status().equals(Checkpoint.COMPLETED)
                        && c.definitionVersion().equals(definition.version()));
        if (checkpoint.isPresent()
                && (stored.isEmpty() || !checkpoint.get().readFrom().isAfter(stored.get()))) {
            Instant end = checkpoint.get().readTo();
            return Optional.of(stored.filter(s -> s.isAfter(end)).orElse(end));
        }
        return stored;
    }

    /** Records that {@code [readFrom, readTo)} is precomputed; moves the watermark only if that leaves no gap. */
    void advance(UniqueCountDefinition definition, Instant readFrom, Instant readTo) throws IOException {
        store.ensureIndex();
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Optional<Stored> current = stored(definition);
            EsJson.Answer written;
            Optional<Instant> through = current.flatMap(Stored::through);
            if (through.isPresent() && (readFrom.isAfter(through.get()) || !readTo.isAfter(through.get()))) {
                return;
            }
            if (current.isEmpty()) {
                written = store.es().call("PUT", path("_create", definition), source(definition, readTo), Map.of());
            } else {
                written = store.es()
                        .call(
                                "PUT",
                                path("_doc", definition),
                                source(definition, readTo),
                                Map.of(
                                        "if_seq_no", Long.toString(current.get().seqNo()),
                                        "if_primary_term",
                                                Long.toString(current.get().primaryTerm())));
            }
            if (written.ok()) {
                return;
            }
            if (written.status() != 409) {
                throw new IOException("cannot write the watermark of " + definition.name() + ": " + written.describe());
            }
        }
        throw new IOException("cannot write the watermark of " + definition.name() + ": " + ATTEMPTS
                + " conflicting writes in a row");
    }

    /** @param through empty when written for another definition version (it is then overwritten) */
    private record Stored(Optional<Instant> through, long seqNo, long primaryTerm) {}

    private Optional<Stored> stored(UniqueCountDefinition definition) throws IOException {
        EsJson.Answer answer = store.es().call("GET", path("_doc", definition), null);
        if (answer.status() == 404) {
            return Optional.empty();
        }
        if (!answer.ok()) {
            throw new IOException("cannot read the watermark of " + definition.name() + ": " + answer.describe());
        }
        JsonNode source = answer.body().path("_source");
        Optional<Instant> through = source.path("definition_version").asText().equals(definition.version())
                ? Optional.of(Instant.parse(source.path("precomputed_through").asText()))
                : Optional.empty();
        return Optional.of(new Stored(
                through,
                answer.body().path("_seq_no").asLong(),
                answer.body().path("_primary_term").asLong()));
    }

    private static Map<String, Object> source(UniqueCountDefinition definition, Instant through) {
        Map<String, Object> source = new LinkedHashMap<>();
        source.put("type", "watermark");
        source.put("definition", definition.name());
        source.put("definition_version", definition.version());
        source.put("precomputed_through", through.toString());
        source.put("updated_at", Instant.now().toString());
        return source;
    }

    private static String path(String endpoint, UniqueCountDefinition definition) {
        return "/" + JobStore.INDEX + "/" + endpoint + "/watermark-" + definition.name();
    }
}
