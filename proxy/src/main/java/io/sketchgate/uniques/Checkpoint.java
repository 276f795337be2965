package io.sketchgate.uniques;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where a definition's precompute job got to, stored as {@code checkpoint-<name>} in {@link JobStore#INDEX}.
 * Invariant: every document whose bucket ends at or before {@code position} and starts at or after
 * {@code readFrom} has been written (bulk acknowledged) before the checkpoint says so.
 *
 * @param from       the requested range's start
 * @param to         the requested range's end
 * @param readFrom   the start of the range actually read: {@code from} widened to the calendar buckets it touches
 * @param readTo     the end of the range actually read, likewise widened (never past the closed horizon)
 * @param position   the end of the last granule whose documents, and every calendar bucket ending there, are written
 * @param status     {@code running}, {@code completed} or {@code failed}
 */
record Checkpoint(
        String definition,
        String definitionVersion,
        Instant from,
        Instant to,
        Instant readFrom,
        Instant readTo,
        Instant position,
        String status,
        long bucketsWritten,
        double bucketsPerSecond,
        Optional<String> lastError,
        Instant updatedAt) {

    static final String RUNNING = "running";
    static final String COMPLETED = "completed";
    static final String FAILED = "failed";

    boolean sameJob(String version, Instant from, Instant to, Instant readFrom, Instant readTo) {
        return definitionVersion.equals(version)
                && this.from.equals(from)
                && this.to.equals(to)
                && this.readFrom.equals(readFrom)
                && this.readTo.equals(readTo);
    }

    /** Share of the read range done, 0..1. */
    double progress() {
        long total = readTo.toEpochMilli() - readFrom.toEpochMilli();
        return total <= 0 ? 1 : (position.toEpochMilli() - readFrom.toEpochMilli()) / (double) total;
    }

    Map<String, Object> toSource() {
        Map<String, Object> source = new LinkedHashMap<>();
        source.put("type", "checkpoint");
        source.put("definition", definition);
        source.put("definition_version", definitionVersion);
        source.put("from", from.toString());
        source.put("to", to.toString());
        source.put("read_from", readFrom.toString());
        source.put("read_to", readTo.toString());
        source.put("position", position.toString());
        source.put("status", status);
        source.put("progress", Math.round(progress() * 10_000) / 10_000.0);
        source.put("buckets_written", bucketsWritten);
        source.put("buckets_per_second", Math.round(bucketsPerSecond * 10) / 10.0);
        source.put("last_error", lastError.orElse(null));
        source.put("updated_at", updatedAt.toString());
        return source;
    }

    static Checkpoint fromSource(JsonNode source) {
        return new Checkpoint(
                source.path("definition").asText(),
                source.path("definition_version").asText(),
                Instant.parse(source.path("from").asText()),
                Instant.parse(source.path("to").asText()),
                Instant.parse(source.path("read_from").asText()),
                Instant.parse(source.path("read_to").asText()),
                Instant.parse(source.path("position").asText()),
                source.path("status").asText(),
                source.path("buckets_written").asLong(),
                source.path("buckets_per_second").asDouble(),
                source.path("last_error").isTextual()
                        ? Optional.of(source.path("last_error").asText())
                        : Optional.empty(),
                Instant.parse(source.path("updated_at").asText()));
    }
}
