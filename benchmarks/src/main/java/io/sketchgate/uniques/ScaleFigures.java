package io.sketchgate.uniques;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.RestClient;

/**
 * The scale section of the UV benchmark (issue 9): how big the unique-count index is next to the source it
 * summarises, and how much heap the proxy keeps once it has answered the questions.
 *
 * <p>The proxy runs inside the benchmark's JVM, so its memory is read as a difference: heap used after a full GC
 * while the proxy is up with its caches warm, minus heap used after a full GC once it is closed. What both
 * readings share (the benchmark's own data, the REST client) cancels out.
 */
final class ScaleFigures {

    /** Primary store size and document count of an index or pattern (hidden indices included). */
    record IndexSize(long bytes, long documents) {}

    record Figures(IndexSize source, IndexSize uniqueCounts, long heapWithProxy, long heapWithoutProxy) {
        /** Heap the running proxy retained (caches, pools, tailer state): never below zero. */
        long proxyRetained() {
            return Math.max(0, heapWithProxy - heapWithoutProxy);
        }

        double indexToSourceRatio() {
            return source.bytes() == 0 ? Double.NaN : (double) uniqueCounts.bytes() / source.bytes();
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

    private ScaleFigures() {}

    static IndexSize size(RestClient client, String index) throws IOException {
        // document counts are of refreshed segments only
        Request refresh = new Request("POST", "/" + index + "/_refresh");
        refresh.addParameter("expand_wildcards", "all");
        client.performRequest(refresh);
        Request request = new Request("GET", "/" + index + "/_stats/store,docs");
        request.addParameter("expand_wildcards", "all");
        request.addParameter("filter_path", "_all.primaries");
        try (InputStream in = client.performRequest(request).getEntity().getContent()) {
            JsonNode primaries = JSON.readTree(in).path("_all").path("primaries");
            return new IndexSize(
                    primaries.path("store").path("size_in_bytes").asLong(),
                    primaries.path("docs").path("count").asLong());
        }
    }

    /** Documents that have a {@code _source} field and the characters its values hold there. */
    record FieldSize(long documents, long characters) {}

    /**
     * How much of {@code index}'s {@code _source} each text field takes (base64 sketches and the like), read
     * document by document: binary fields are not indexed, so no query can pick the documents that have one.
     */
    static Map<String, FieldSize> fieldSizes(RestClient client, String index, List<String> fields) throws IOException {
        long[] documents = new long[fields.size()];
        long[] characters = new long[fields.size()];
        Request first = new Request("POST", "/" + index + "/_search");
        first.addParameter("scroll", "1m");
        first.addParameter("expand_wildcards", "all");
        first.setJsonEntity(
                "{\"size\":1000,\"_source\":" + JSON.writeValueAsString(fields) + ",\"query\":{\"match_all\":{}}}");
        JsonNode page = read(client, first);
        while (page.path("hits").path("hits").size() > 0) {
            for (JsonNode hit : page.path("hits").path("hits")) {
                for (int i = 0; i < fields.size(); i++) {
                    JsonNode value = hit.path("_source").path(fields.get(i));
                    if (value.isTextual()) {
                        documents[i]++;
                        characters[i] += value.asText().length();
                    }
                }
            }
            Request next = new Request("POST", "/_search/scroll");
            next.setJsonEntity("{\"scroll\":\"1m\",\"scroll_id\":\""
                    + page.path("_scroll_id").asText() + "\"}");
            page = read(client, next);
        }
        Map<String, FieldSize> sizes = new LinkedHashMap<>();
        for (int i = 0; i < fields.size(); i++) {
            sizes.put(fields.get(i), new FieldSize(documents[i], characters[i]));
        }
        return sizes;
    }

    private static JsonNode read(RestClient client, Request request) throws IOException {
        try (InputStream in = client.performRequest(request).getEntity().getContent()) {
            return JSON.readTree(in);
        }
    }

    /** Heap in use after full collections, so garbage is not counted. */
    static long heapAfterGc() {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            used = Math.min(used, MEMORY.getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
