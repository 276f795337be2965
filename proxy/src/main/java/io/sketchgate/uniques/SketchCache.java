package io.sketchgate.uniques;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.stats.CacheStats;
import io.sketchgate.es.EsJson;
import io.sketchgate.hll.HllSketch;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Decoded sketches of stored (closed, so immutable) bucket documents, shared by every query. Keyed by index, id,
 * {@code _seq_no} and {@code _primary_term}: a recomputed bucket is a new key, so nothing is ever stale. Bounded
 * by bytes (a dense sketch weighs its 2^p registers, an exact one 8 bytes a hash); misses are read with
 * {@code _mget} of just the {@code sketch} field, so a warm cache also saves the transfer. Sketches are only
 * read after decoding (unions read their inputs), so sharing them between threads is safe.
 */
public final class SketchCache {
    /** Default bound: 64 MB holds ~6,000 dense p = 14 sketches and many more small exact ones. */
    public static final long DEFAULT_MAX_BYTES = 64L << 20;

    private static final int MGET_BATCH = 500;
    private static final int ENTRY_OVERHEAD = 96;

    record Key(String index, String id, long seqNo, long primaryTerm) {}

    private final Cache<Key, HllSketch> cache;

    public SketchCache(long maxBytes) {
        this.cache = Caffeine.newBuilder()
                .maximumWeight(maxBytes)
                .weigher((Key key, HllSketch sketch) -> weight(sketch))
                .recordStats()
                .build();
    }

    /** Hits, misses, evictions (by count and weight) since start. */
    public CacheStats stats() {
        return cache.stats();
    }

    /** The Caffeine cache itself, for its statistics in the metrics (built with {@code recordStats()}). */
    public Cache<?, ?> statistics() {
        return cache;
    }

    /** Roughly the bytes held. */
    public long weightedSize() {
        return cache.policy().eviction().map(e -> e.weightedSize().orElse(0)).orElse(0L);
    }

    /** The decoded sketch of each document, reading the missing ones; {@code hits} counts those served cached. */
    Map<String, HllSketch> sketches(EsJson es, String index, List<StoredBuckets.Document> documents, long[] hits)
            throws IOException {
        Map<String, HllSketch> found = new HashMap<>();
        List<StoredBuckets.Document> missing = new ArrayList<>();
        for (StoredBuckets.Document document : documents) {
            HllSketch cached = cache.getIfPresent(key(index, document));
            if (cached != null) {
                found.put(document.id(), cached);
                hits[0]++;
            } else {
                missing.add(document);
            }
        }
        for (int from = 0; from < missing.size(); from += MGET_BATCH) {
            List<StoredBuckets.Document> batch = missing.subList(from, Math.min(missing.size(), from + MGET_BATCH));
            List<String> ids = batch.stream().map(StoredBuckets.Document::id).toList();
            JsonNode docs = es.require(
                            "POST",
                            "/" + index + "/_mget",
                            Map.of("ids", ids),
                            Map.of(
                                    "_source",
                                    "sketch",
                                    "filter_path",
                                    "docs._id,docs._seq_no,docs._primary_term,docs._source,docs.found"))
                    .path("docs");
            for (JsonNode doc : docs) {
                if (!doc.path("found").asBoolean()) {
                    continue; // deleted since the search (a stale definition version): counts as no events
                }
                HllSketch sketch =
                        HllSketch.fromBase64(doc.path("_source").path("sketch").asText());
                // cached under the version read, which may be newer than the search's if it was just rewritten
                cache.put(
                        new Key(
                                index,
                                doc.path("_id").asText(),
                                doc.path("_seq_no").asLong(),
                                doc.path("_primary_term").asLong()),
                        sketch);
                found.put(doc.path("_id").asText(), sketch);
            }
        }
        return found;
    }

    private static Key key(String index, StoredBuckets.Document document) {
        return new Key(index, document.id(), document.seqNo(), document.primaryTerm());
    }

    private static int weight(HllSketch sketch) {
        long bytes = sketch.isExact() ? 8L * sketch.estimate() : 1L << sketch.precision();
        return (int) Math.min(Integer.MAX_VALUE, bytes + ENTRY_OVERHEAD);
    }
}
