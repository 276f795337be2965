package io.sketchgate.telemetry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.http.entity.ContentType;
import org.apache.http.nio.entity.NStringEntity;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.Response;
import org.elasticsearch.client.ResponseException;
import org.elasticsearch.client.RestClient;

/**
 * The hidden usage index: one document per user and hour, id {@code <hour>|<user>} (deterministic, so every
 * flush of the same hour lands on the same document).
 *
 * <p>A flush <em>adds</em> its counts to what is stored: it reads the hour's documents, writes the sums back
 * with optimistic concurrency ({@code if_seq_no}/{@code if_primary_term}, or {@code create} for a new hour) and,
 * when another writer got there first (409), reads and adds again. So what an earlier run of the proxy stored is
 * kept after a restart, and proxies sharing the cluster add up instead of overwriting each other. No script is
 * involved (Elasticsearch's minimal distributions have no Painless). Only items Elasticsearch confirms count as
 * written; the rest are returned and go out with the next flush.
 */
public final class UsageStore {
    private static final ObjectMapper JSON = new ObjectMapper();
    public static final String[] COUNT_FIELDS = {
        "requests", "queue_waits", "queue_wait_ms", "es_time_ms", "bytes_in", "bytes_out"
    };
    private static final int ATTEMPTS = 3;
    private static final String MAPPING = """
            {"settings": {"index": {"hidden": true, "number_of_shards": 1, "auto_expand_replicas": "0-1"}},
             "mappings": {
               "dynamic": "strict",
               "dynamic_templates": [{"rejection_counts": {"path_match": "rejections.*", "mapping": {"type": "long"}}}],
               "properties": {
                 "user": {"type": "keyword"}, "roles": {"type": "keyword"},
                 "hour": {"type": "date"}, "updated": {"type": "date"},
                 "requests": {"type": "long"}, "queue_waits": {"type": "long"}, "queue_wait_ms": {"type": "long"},
                 "es_time_ms": {"type": "long"}, "bytes_in": {"type": "long"}, "bytes_out": {"type": "long"},
                 "rejections": {"type": "object", "dynamic": true}}}}""";

    private final RestClient client;
    private final String index;
    private volatile boolean indexReady;

    UsageStore(RestClient client, String index) {
        this.client = client;
        this.index = index;
    }

    String index() {
        return index;
    }

    /** What a flush could not write, and Elasticsearch's reason for the first of them. */
    record Unwritten(List<UsageDelta> deltas, String firstError) {}

    /** Adds each delta to its document; returns those Elasticsearch did not confirm. */
    Unwritten add(List<UsageDelta> deltas, boolean refresh) throws IOException {
        if (deltas.isEmpty()) {
            return new Unwritten(List.of(), "");
        }
        ensureIndex();
        List<UsageDelta> pending = deltas;
        String firstError = "";
        for (int attempt = 1; attempt <= ATTEMPTS && !pending.isEmpty(); attempt++) {
            Map<String, JsonNode> stored = read(pending);
            StringBuilder bulk = new StringBuilder();
            for (UsageDelta delta : pending) {
                String id = id(delta);
                JsonNode current = stored.get(id);
                Map<String, Object> action = new LinkedHashMap<>();
                action.put("_index", index);
                action.put("_id", id);
                if (current == null) {
                    bulk.append(JSON.writeValueAsString(Map.of("create", action)))
                            .append('\n');
                } else {
                    action.put("if_seq_no", current.path("_seq_no").asLong());
                    action.put("if_primary_term", current.path("_primary_term").asLong());
                    bulk.append(JSON.writeValueAsString(Map.of("index", action)))
                            .append('\n');
                }
                bulk.append(JSON.writeValueAsString(sum(delta, current == null ? null : current.path("_source"))))
                        .append('\n');
            }
            Request request = new Request("POST", "/_bulk");
            if (refresh) {
                request.addParameter("refresh", "true");
            }
            request.setEntity(new NStringEntity(
                    bulk.toString(), ContentType.create("application/x-ndjson", StandardCharsets.UTF_8)));
            JsonNode items = perform(request).path("items");
            List<UsageDelta> conflicted = new ArrayList<>();
            List<UsageDelta> failed = new ArrayList<>();
            for (int i = 0; i < pending.size(); i++) {
                JsonNode item = items.path(i);
                JsonNode result = item.has("create") ? item.path("create") : item.path("index");
                int status = result.path("status").asInt(0);
                if (status == 409) {
                    conflicted.add(pending.get(i)); // another writer: read its sum and add again
                } else if (status < 200 || status >= 300) {
                    failed.add(pending.get(i));
                    if (firstError.isEmpty()) {
                        firstError = status + " " + result.path("error");
                    }
                }
            }
            if (!failed.isEmpty()) {
                failed.addAll(conflicted);
                return new Unwritten(failed, firstError);
            }
            pending = conflicted;
        }
        return new Unwritten(pending, pending.isEmpty() ? "" : "409 version conflict " + ATTEMPTS + " times");
    }

    /** The stored documents of these deltas by id, with their sequence numbers; absent ones are left out. */
    private Map<String, JsonNode> read(List<UsageDelta> deltas) throws IOException {
        ObjectNode body = JSON.createObjectNode();
        deltas.forEach(delta -> body.withArray("ids").add(id(delta)));
        Request request = new Request("POST", "/" + index + "/_mget");
        request.setEntity(new NStringEntity(JSON.writeValueAsString(body), ContentType.APPLICATION_JSON));
        Map<String, JsonNode> found = new HashMap<>();
        for (JsonNode doc : perform(request).path("docs")) {
            if (doc.path("found").asBoolean()) {
                found.put(doc.path("_id").asText(), doc);
            }
        }
        return found;
    }

    /** The stored counts (null for none) plus the delta's, as the document to write. */
    private static Map<String, Object> sum(UsageDelta delta, JsonNode stored) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("user", delta.user());
        doc.put("hour", delta.hour().toString());
        List<String> roles = delta.roles().stream().sorted().toList();
        if (roles.isEmpty() && stored != null) {
            List<String> kept = new ArrayList<>();
            stored.path("roles").forEach(r -> kept.add(r.asText()));
            roles = kept;
        }
        doc.put("roles", roles);
        long[] added = {
            delta.requests(),
            delta.queueWaits(),
            delta.queueWaitMillis(),
            delta.esTimeMillis(),
            delta.bytesIn(),
            delta.bytesOut()
        };
        for (int i = 0; i < COUNT_FIELDS.length; i++) {
            long before = stored == null ? 0 : stored.path(COUNT_FIELDS[i]).asLong();
            doc.put(COUNT_FIELDS[i], before + added[i]);
        }
        Map<String, Long> rejections = new TreeMap<>();
        if (stored != null) {
            stored.path("rejections")
                    .fields()
                    .forEachRemaining(
                            e -> rejections.put(e.getKey(), e.getValue().asLong()));
        }
        delta.rejections().forEach((code, n) -> rejections.merge(code, n, Long::sum));
        doc.put("rejections", rejections);
        doc.put("updated", Instant.now().toString());
        return doc;
    }

    /** Makes every flushed document visible to searches. */
    void refresh() throws IOException {
        Request request = new Request("POST", "/" + index + "/_refresh");
        request.addParameter("ignore_unavailable", "true");
        request.addParameter("allow_no_indices", "true");
        perform(request);
    }

    /** A search of the usage index; an index not created yet has no usage. */
    public JsonNode search(ObjectNode body) throws IOException {
        Request request = new Request("POST", "/" + index + "/_search");
        request.addParameter("ignore_unavailable", "true");
        request.addParameter("allow_no_indices", "true");
        request.setEntity(new NStringEntity(JSON.writeValueAsString(body), ContentType.APPLICATION_JSON));
        return perform(request);
    }

    /** The reason codes of rejections stored so far (fields {@code rejections.*}). */
    public List<String> rejectionCodes() throws IOException {
        Request request = new Request("GET", "/" + index + "/_mapping/field/rejections.*");
        request.addParameter("ignore_unavailable", "true");
        request.addParameter("allow_no_indices", "true");
        JsonNode answer = perform(request);
        List<String> codes = new ArrayList<>();
        answer.forEach(indexEntry -> indexEntry.path("mappings").fieldNames().forEachRemaining(field -> {
            String code = field.substring("rejections.".length());
            if (!codes.contains(code)) {
                codes.add(code);
            }
        }));
        codes.sort(String::compareTo);
        return codes;
    }

    /** {@code <hour>|<user>}, or the user's SHA-256 when the name would make the id too long for Elasticsearch. */
    static String id(UsageDelta delta) {
        String id = delta.hour() + "|" + delta.user();
        if (id.getBytes(StandardCharsets.UTF_8).length <= 400) {
            return id;
        }
        try {
            byte[] hash =
                    MessageDigest.getInstance("SHA-256").digest(delta.user().getBytes(StandardCharsets.UTF_8));
            return delta.hour() + "|sha256:" + HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void ensureIndex() throws IOException {
        if (indexReady) {
            return;
        }
        Request create = new Request("PUT", "/" + index);
        create.setEntity(new NStringEntity(MAPPING, ContentType.APPLICATION_JSON));
        try {
            perform(create);
        } catch (ResponseException e) {
            if (!e.getMessage().contains("resource_already_exists_exception")) {
                throw e;
            }
        }
        indexReady = true;
    }

    private JsonNode perform(Request request) throws IOException {
        Response response = client.performRequest(request);
        if (response.getEntity() == null) {
            return JSON.nullNode();
        }
        try (InputStream in = response.getEntity().getContent()) {
            JsonNode read = JSON.readTree(in);
            return read == null ? JSON.nullNode() : read;
        }
    }
}
