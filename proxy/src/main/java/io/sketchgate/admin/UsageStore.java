package io.sketchgate.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.http.entity.ContentType;
import org.apache.http.nio.entity.NStringEntity;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.Response;
import org.elasticsearch.client.ResponseException;
import org.elasticsearch.client.RestClient;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The hidden usage index: one document per user and hour, id {@code <hour>|<user>} (deterministic, so every
 * flush of the same hour lands on the same document).
 *
 * <p>A flush <em>adds</em> its counts to the stored document with a scripted upsert rather than overwriting it:
 * what an earlier run of the proxy stored for the hour is kept after a restart, and proxies sharing the cluster
 * add up instead of overwriting each other. Only items Elasticsearch confirms are taken as written; the others
 * are returned and go out again with the next flush.
 */
final class UsageStore {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String[] COUNT_FIELDS = {"requests", "queue_waits", "queue_wait_ms", "es_time_ms", "bytes_in",
            "bytes_out"};
    private static final String ADD_SCRIPT = String.join("\n",
            "def s = ctx._source;",
            "if (s.user == null) { s.user = params.user; s.hour = params.hour; }",
            "for (e in params.counts.entrySet()) {",
            "  def v = s[e.getKey()]; s[e.getKey()] = (v == null ? 0L : ((Number) v).longValue()) + e.getValue();",
            "}",
            "if (s.rejections == null) { s.rejections = [:]; }",
            "for (e in params.rejections.entrySet()) {",
            "  def v = s.rejections[e.getKey()];",
            "  s.rejections[e.getKey()] = (v == null ? 0L : ((Number) v).longValue()) + e.getValue();",
            "}",
            "if (params.roles.size() > 0) { s.roles = params.roles; }",
            "s.updated = params.now;");
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

    /** Adds each delta to its document; returns those Elasticsearch did not confirm. */
    List<UsageDelta> add(List<UsageDelta> deltas, boolean refresh) throws IOException {
        if (deltas.isEmpty()) {
            return List.of();
        }
        ensureIndex();
        StringBuilder bulk = new StringBuilder();
        String now = Instant.now().toString();
        for (UsageDelta delta : deltas) {
            bulk.append(JSON.writeValueAsString(Map.of("update", Map.of("_index", index, "_id", id(delta),
                    "retry_on_conflict", 5)))).append('\n');
            bulk.append(JSON.writeValueAsString(update(delta, now))).append('\n');
        }
        Request request = new Request("POST", "/_bulk");
        if (refresh) {
            request.addParameter("refresh", "true");
        }
        request.setEntity(new NStringEntity(bulk.toString(), ContentType.create("application/x-ndjson", StandardCharsets.UTF_8)));
        JsonNode answer = perform(request);
        List<UsageDelta> failed = new ArrayList<>();
        JsonNode items = answer.path("items");
        for (int i = 0; i < deltas.size(); i++) {
            JsonNode item = items.path(i).path("update");
            int status = item.path("status").asInt(0);
            if (status < 200 || status >= 300) {
                failed.add(deltas.get(i));
            }
        }
        return failed;
    }

    /** A search of the usage index; an index not created yet has no usage. */
    JsonNode search(ObjectNode body) throws IOException {
        Request request = new Request("POST", "/" + index + "/_search");
        request.addParameter("ignore_unavailable", "true");
        request.addParameter("allow_no_indices", "true");
        request.setEntity(new NStringEntity(JSON.writeValueAsString(body), ContentType.APPLICATION_JSON));
        return perform(request);
    }

    /** The reason codes of rejections stored so far (fields {@code rejections.*}). */
    List<String> rejectionCodes() throws IOException {
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

    private Map<String, Object> update(UsageDelta delta, String now) {
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("requests", delta.requests());
        counts.put("queue_waits", delta.queueWaits());
        counts.put("queue_wait_ms", delta.queueWaitMillis());
        counts.put("es_time_ms", delta.esTimeMillis());
        counts.put("bytes_in", delta.bytesIn());
        counts.put("bytes_out", delta.bytesOut());
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("user", delta.user());
        params.put("hour", delta.hour().toString());
        params.put("counts", counts);
        params.put("rejections", delta.rejections());
        params.put("roles", delta.roles().stream().sorted().toList());
        params.put("now", now);
        return Map.of("scripted_upsert", true, "upsert", Map.of(),
                "script", Map.of("lang", "painless", "source", ADD_SCRIPT, "params", params));
    }

    /** {@code <hour>|<user>}, or the user's SHA-256 when the name would make the id too long for Elasticsearch. */
    static String id(UsageDelta delta) {
        String id = delta.hour() + "|" + delta.user();
        if (id.getBytes(StandardCharsets.UTF_8).length <= 400) {
            return id;
        }
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(delta.user().getBytes(StandardCharsets.UTF_8));
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
