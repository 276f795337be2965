package io.sketchgate.uniques;

import com.fasterxml.jackson.databind.JsonNode;
import io.sketchgate.config.UniqueCountDefinition;
import io.sketchgate.es.EsJson;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Reads how far a definition's documents reach: the earliest start of any stored bucket and the newest
 * {@code watermark} of the current definition version (one aggregation-only search), narrowed by the checkpoint of a job still writing
 * that range, whose documents are complete only up to its {@code position}.
 *
 * <p>The same search tells the documents' generation: how many there are and when the newest was written. A
 * job that adds, rewrites (a recompute stamps a new {@code computed_at}) or deletes documents changes it, so an
 * answer cached under one generation is never served once the stored documents changed.
 */
final class CoverageReader {
    // The earliest start of any level, not of granules: a job writes a calendar bucket only when it read all of
    // it, so a zone's day or month starting before the first event (data from 09-01T00:00Z, the Seoul day from
    // 08-31T15:00Z) is covered, and its one exact document answers it rather than a union of granules.
    /** The coverage and the generation of the documents it was read from. */
    record Read(Coverage coverage, String generation) {
        static final Read NOTHING = new Read(Coverage.NOTHING, "none");
    }

    private final EsJson es;

    CoverageReader(EsJson es) {
        this.es = es;
    }

    Read read(UniqueCountDefinition definition) throws IOException {
        Map<String, Object> body = Map.of(
                "size",
                0,
                "track_total_hits",
                true,
                "query",
                Map.of("term", Map.of("definition_version", definition.version())),
                "aggs",
                Map.of(
                        "through", Map.of("max", Map.of("field", "watermark")),
                        "written", Map.of("max", Map.of("field", "computed_at")),
                        "first", Map.of("min", Map.of("field", "start"))));
        EsJson.Answer answer = es.call(
                "POST",
                "/" + UvIndex.name(definition) + "/_search",
                body,
                Map.of("filter_path", "aggregations,hits.total"));
        if (answer.status() == 404) {
            return Read.NOTHING; // nothing precomputed yet
        }
        if (!answer.ok()) {
            throw new IOException("cannot read the coverage of " + UvIndex.name(definition) + ": " + answer.describe());
        }
        JsonNode aggregations = answer.body().path("aggregations");
        Optional<Instant> throughWritten = millis(aggregations.path("through"));
        Optional<Instant> first = millis(aggregations.path("first"));
        if (throughWritten.isEmpty() || first.isEmpty()) {
            return Read.NOTHING;
        }
        Optional<Instant> through = narrowedByRunningJob(definition, throughWritten.get());
        String generation =
                answer.body().path("hits").path("total").path("value").asLong() + "@"
                        + millis(aggregations.path("written"))
                                .map(Instant::toEpochMilli)
                                .orElse(0L) + "~"
                        + through.get().toEpochMilli();
        return new Read(new Coverage(first, through, Optional.empty()), generation);
    }

    /** A job that has not finished wrote its range's documents (all with its watermark) only up to its position. */
    private Optional<Instant> narrowedByRunningJob(UniqueCountDefinition definition, Instant through)
            throws IOException {
        Optional<Checkpoint> checkpoint = new JobStore(es).checkpoint(definition.name());
        if (checkpoint.isPresent()
                && !checkpoint.get().status().equals(Checkpoint.COMPLETED)
                && checkpoint.get().definitionVersion().equals(definition.version())
                && checkpoint.get().readTo().equals(through)) {
            Instant position = checkpoint.get().position();
            return Optional.of(position.isBefore(through) ? position : through);
        }
        return Optional.of(through);
    }

    private static Optional<Instant> millis(JsonNode aggregation) {
        JsonNode value = aggregation.path("value");
        return value.isNumber() ? Optional.of(Instant.ofEpochMilli(value.asLong())) : Optional.empty();
    }
}
