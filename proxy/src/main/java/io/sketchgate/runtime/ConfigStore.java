package io.sketchgate.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sketchgate.es.EsJson;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The hidden index of run-time changes ({@code runtime_limits.index}, default {@code sketchgate-config}): one
 * document per role or user, {@code {kind, name, settings, updated_by, updated_at, updated_from}}.
 * {@code settings} is stored but not indexed ({@code enabled: false}) so that any content can be kept and
 * checked when read: a document written by hand that the config readers refuse is reported, not fatal.
 *
 * <p>Writes wait for a refresh ({@code refresh=wait_for}), so once one returns, every instance's next poll sees
 * the change; and they are acknowledged by Elasticsearch, so a proxy killed right after keeps nothing unsaved.
 */
public final class ConfigStore {
    /** Entries read per search; there may be any number of pages. */
    static final int PAGE_SIZE = 5_000;

    private static final String PIT_KEEP_ALIVE = "1m";

    private static final Map<String, Object> INDEX = EsJson.hiddenIndex(Map.of(
            "kind", Map.of("type", "keyword"),
            "name", Map.of("type", "keyword"),
            "settings", Map.of("type", "object", "enabled", false),
            "updated_by", Map.of("type", "keyword"),
            "updated_at", Map.of("type", "date"),
            "updated_from", Map.of("type", "keyword")));

    /** One stored document as read; {@code settings} not yet validated. */
    public record Stored(String id, JsonNode source, Version version) {
        Optional<EntryKey> key() {
            Optional<EntryKey.Kind> kind =
                    EntryKey.Kind.fromWire(source.path("kind").asText(""));
            String name = source.path("name").asText("");
            if (kind.isEmpty()
                    || name.isEmpty()
                    || !new EntryKey(kind.get(), name).id().equals(id)) {
                return Optional.empty();
            }
            return Optional.of(new EntryKey(kind.get(), name));
        }

        public JsonNode settings() {
            return source.path("settings");
        }
    }

    /** Another writer changed the entry first; {@code current} is what is stored now. */
    public static final class ConflictException extends Exception {
        private static final long serialVersionUID = 1L;
        private final transient Optional<Version> current;

        ConflictException(Optional<Version> current) {
            super("version conflict");
            this.current = current;
        }

        public Optional<Version> current() {
            return current;
        }
    }

    private final EsJson es;
    private final String index;

    ConfigStore(EsJson es, String index) {
        this.es = es;
        this.index = index;
    }

    String index() {
        return index;
    }

    public void ensureIndex() throws IOException {
        es.createIndexIfAbsent(index, INDEX);
    }

    /**
     * Every stored document, however many; none when the index does not exist yet. Read in pages of
     * {@value #PAGE_SIZE} over a point in time (one consistent view, sorted by {@code _shard_doc}), so a restrictive
     * entry written last is read like the first.
     */
    List<Stored> all() throws IOException {
        EsJson.Answer opened = es.call("POST", "/" + index + "/_pit", null, Map.of("keep_alive", PIT_KEEP_ALIVE));
        if (opened.status() == 404 && opened.errorType().equals("index_not_found_exception")) {
            return List.of();
        }
        if (!opened.ok()) {
            throw new IOException("reading " + index + " failed: " + opened.describe());
        }
        String pit = opened.body().path("id").asText();
        try {
            List<Stored> stored = new ArrayList<>();
            JsonNode after = null;
            while (true) {
                Map<String, Object> search = new LinkedHashMap<>();
                search.put("size", PAGE_SIZE);
                search.put("seq_no_primary_term", true);
                search.put("query", Map.of("match_all", Map.of()));
                search.put("pit", Map.of("id", pit, "keep_alive", PIT_KEEP_ALIVE));
                search.put("sort", List.of(Map.of("_shard_doc", "asc")));
                search.put("track_total_hits", false);
                if (after != null) {
                    search.put("search_after", after);
                }
                EsJson.Answer answer = es.call("POST", "/_search", search, Map.of());
                if (!answer.ok()) {
                    throw new IOException("reading " + index + " failed: " + answer.describe());
                }
                pit = answer.body().path("pit_id").asText(pit);
                JsonNode hits = answer.body().path("hits").path("hits");
                for (JsonNode hit : hits) {
                    stored.add(new Stored(
                            hit.path("_id").asText(),
                            hit.path("_source"),
                            new Version(
                                    hit.path("_seq_no").asLong(),
                                    hit.path("_primary_term").asLong())));
                    after = hit.path("sort");
                }
                if (hits.size() < PAGE_SIZE) {
                    return stored;
                }
            }
        } finally {
            es.call("DELETE", "/_pit", Map.of("id", pit), Map.of());
        }
    }

    /** The document as stored right now (a real-time get, not the last refresh). */
    public Optional<Stored> get(EntryKey key) throws IOException {
        EsJson.Answer answer = es.call("GET", "/" + index + "/_doc/" + EsJson.encode(key.id()), null, Map.of());
        if (answer.status() == 404) {
            return Optional.empty();
        }
        if (!answer.ok()) {
            throw new IOException("reading " + key.id() + " from " + index + " failed: " + answer.describe());
        }
        return Optional.of(new Stored(
                key.id(),
                answer.body().path("_source"),
                new Version(
                        answer.body().path("_seq_no").asLong(),
                        answer.body().path("_primary_term").asLong())));
    }

    /**
     * Stores {@code settings} for {@code key} if the stored version is still {@code expected} (empty: nothing
     * stored yet). Returns the new version once Elasticsearch has refreshed it.
     */
    public Version put(EntryKey key, JsonNode settings, Optional<Version> expected, String user, String from, String at)
            throws IOException, ConflictException {
        ObjectNode doc = EsJson.JSON.createObjectNode();
        doc.put("kind", key.kind().wireName());
        doc.put("name", key.name());
        doc.set("settings", settings);
        doc.put("updated_by", user);
        doc.put("updated_at", at);
        doc.put("updated_from", from);
        EsJson.Answer answer =
                es.call("PUT", "/" + index + "/_doc/" + EsJson.encode(key.id()), doc, conditions(expected));
        if (answer.status() == 409) {
            throw new ConflictException(get(key).map(Stored::version));
        }
        if (!answer.ok()) {
            throw new IOException("storing " + key.id() + " in " + index + " failed: " + answer.describe());
        }
        return new Version(
                answer.body().path("_seq_no").asLong(),
                answer.body().path("_primary_term").asLong());
    }

    /** Removes the document if it is still at {@code expected}. */
    public void delete(EntryKey key, Version expected) throws IOException, ConflictException {
        EsJson.Answer answer = es.call(
                "DELETE", "/" + index + "/_doc/" + EsJson.encode(key.id()), null, conditions(Optional.of(expected)));
        if (answer.status() == 409 || answer.status() == 404) {
            throw new ConflictException(get(key).map(Stored::version));
        }
        if (!answer.ok()) {
            throw new IOException("deleting " + key.id() + " from " + index + " failed: " + answer.describe());
        }
    }

    private static Map<String, String> conditions(Optional<Version> expected) {
        return expected.map(v -> Map.of(
                        "refresh",
                        "wait_for",
                        "if_seq_no",
                        Long.toString(v.seqNo()),
                        "if_primary_term",
                        Long.toString(v.primaryTerm())))
                .orElse(Map.of("refresh", "wait_for", "op_type", "create"));
    }
}
