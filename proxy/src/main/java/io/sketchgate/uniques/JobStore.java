package io.sketchgate.uniques;

import io.sketchgate.es.EsJson;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;

/**
 * The hidden index {@code sketchgate-jobs}: one checkpoint ({@code checkpoint-<definition>}) and one lease
 * ({@code lease-<definition>}) document per definition. Reads are realtime GETs by id, so no refresh is needed.
 */
final class JobStore {
    static final String INDEX = "sketchgate-jobs";
    private static final Map<String, Object> BODY = EsJson.hiddenIndexKeepingUnmapped(Map.of(
            "type", Map.of("type", "keyword"),
            "definition", Map.of("type", "keyword"),
            "status", Map.of("type", "keyword"),
            "owner", Map.of("type", "keyword"),
            "expires_at", Map.of("type", "date", "format", "epoch_millis"),
            "updated_at", Map.of("type", "date")));

    private final EsJson es;

    JobStore(EsJson es) {
        this.es = es;
    }

    void ensureIndex() throws IOException {
        es.createIndexIfAbsent(INDEX, BODY);
    }

    Optional<Checkpoint> checkpoint(String definition) throws IOException {
        EsJson.Answer answer = es.call("GET", "/" + INDEX + "/_doc/checkpoint-" + definition, null);
        if (answer.status() == 404) {
            return Optional.empty();
        }
        if (!answer.ok()) {
            throw new IOException("cannot read the checkpoint of " + definition + ": " + answer.describe());
        }
        return Optional.of(Checkpoint.fromSource(answer.body().path("_source")));
    }

    void save(Checkpoint checkpoint) throws IOException {
        es.require("PUT", "/" + INDEX + "/_doc/checkpoint-" + checkpoint.definition(), checkpoint.toSource(), Map.of());
    }

    EsJson es() {
        return es;
    }
}
