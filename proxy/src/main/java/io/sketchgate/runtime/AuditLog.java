package io.sketchgate.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sketchgate.es.EsJson;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The hidden audit index ({@code runtime_limits.audit_index}, default {@code sketchgate-audit}): one document per
 * change made through the admin API — who (user and roles), when, from where (the client's address), what (method,
 * path, the role or user changed) and the entry before and after. Written with {@code refresh=wait_for} before
 * the change is acknowledged.
 */
public final class AuditLog {
    private static final Map<String, Object> INDEX = EsJson.hiddenIndex(Map.ofEntries(
            Map.entry("@timestamp", Map.of("type", "date")),
            Map.entry("user", Map.of("type", "keyword")),
            Map.entry("roles", Map.of("type", "keyword")),
            Map.entry("remote_address", Map.of("type", "keyword")),
            Map.entry("method", Map.of("type", "keyword")),
            Map.entry("path", Map.of("type", "keyword")),
            Map.entry("kind", Map.of("type", "keyword")),
            Map.entry("name", Map.of("type", "keyword")),
            Map.entry("before", Map.of("type", "object", "enabled", false)),
            Map.entry("after", Map.of("type", "object", "enabled", false))));
    public static final int MAX_SIZE = 10_000;

    private final EsJson es;
    private final String index;

    AuditLog(EsJson es, String index) {
        this.es = es;
        this.index = index;
    }

    public void ensureIndex() throws IOException {
        es.createIndexIfAbsent(index, INDEX);
    }

    /**
     * One change. {@code before} and {@code after} are {@code {source, version, settings}} objects, null when
     * the entry did not exist.
     */
    public record Entry(
            String timestamp,
            String user,
            List<String> roles,
            String remoteAddress,
            String method,
            String path,
            EntryKey key,
            JsonNode before,
            JsonNode after) {}

    public void append(Entry entry) throws IOException {
        ObjectNode doc = EsJson.JSON.createObjectNode();
        doc.put("@timestamp", entry.timestamp());
        doc.put("user", entry.user());
        ArrayNode roles = doc.putArray("roles");
        entry.roles().forEach(roles::add);
        doc.put("remote_address", entry.remoteAddress());
        doc.put("method", entry.method());
        doc.put("path", entry.path());
        doc.put("kind", entry.key().kind().wireName());
        doc.put("name", entry.key().name());
        doc.set("before", entry.before());
        doc.set("after", entry.after());
        es.require("POST", "/" + index + "/_doc", doc, Map.of("refresh", "wait_for"));
    }

    /** A search's outcome: the total matching and the newest {@code size} of them, newest first. */
    public record Page(long total, List<JsonNode> entries) {}

    /**
     * Entries between {@code from} and {@code to} (Elasticsearch dates or date math, like {@code now-1d}), of
     * {@code user}; each filter optional.
     *
     * @throws BadQueryException when Elasticsearch refuses a date
     */
    public Page search(Optional<String> from, Optional<String> to, Optional<String> user, int size)
            throws IOException, BadQueryException {
        List<Object> filters = new ArrayList<>();
        if (from.isPresent() || to.isPresent()) {
            Map<String, Object> range = new LinkedHashMap<>();
            from.ifPresent(f -> range.put("gte", f));
            to.ifPresent(t -> range.put("lte", t));
            filters.add(Map.of("range", Map.of("@timestamp", range)));
        }
        user.ifPresent(u -> filters.add(Map.of("term", Map.of("user", u))));
        Map<String, Object> body = Map.of(
                "size",
                size,
                "track_total_hits",
                true,
                "sort",
                List.of(Map.of("@timestamp", "desc")),
                "query",
                Map.of("bool", Map.of("filter", filters)));
        EsJson.Answer answer = es.call("POST", "/" + index + "/_search", body, Map.of());
        if (answer.status() == 404 && answer.errorType().equals("index_not_found_exception")) {
            return new Page(0, List.of());
        }
        if (answer.status() == 400) {
            JsonNode cause = answer.body().path("error").path("root_cause").path(0);
            throw new BadQueryException(cause.path("reason").asText(answer.describe()));
        }
        if (!answer.ok()) {
            throw new IOException("searching " + index + " failed: " + answer.describe());
        }
        List<JsonNode> entries = new ArrayList<>();
        for (JsonNode hit : answer.body().path("hits").path("hits")) {
            entries.add(hit.path("_source"));
        }
        return new Page(answer.body().path("hits").path("total").path("value").asLong(), entries);
    }

    /** Elasticsearch refused the search's parameters (a date it cannot parse). */
    public static final class BadQueryException extends Exception {
        private static final long serialVersionUID = 1L;

        BadQueryException(String reason) {
            super(reason);
        }
    }
}
