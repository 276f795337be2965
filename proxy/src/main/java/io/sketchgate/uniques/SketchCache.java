package io.sketchgate.uniques;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.stats.CacheStats;
import io.sketchgate.caches.Caches;
import io.sketchgate.es.EsJson;
import io.sketchgate.hll.HllSketch;
import io.sketchgate.hll.StoredSketch;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Decoded sketches of stored (closed) bucket documents, and the unions of aligned runs of granules made from them
 * ({@link GranuleBlocks}), shared by every query, in one Caffeine cache bounded by the
 * bytes the sketches really hold ({@link HllSketch#memoryBytes()}: a decoded exact set is its sorted array, 8
 * bytes a value, so a bucket of 40 users weighs about 400 bytes; a dense p = 14 sketch 16 KB), least recently
 * used first out.
 *
 * <p>Keyed by index, definition version, id, UV, PV and exactness, not by {@code _seq_no}: the scheduler rewrites
 * the buckets of the month so far on every run, and those rewritten documents must keep their cached sketches.
 * A closed bucket's sketch is a function of its events, and its PV counts every event (with or without the
 * unique field), so a document rewritten with the same UV and PV holds the same sketch; a late event changes
 * PV, hence the key. (A source rewritten in place with as many events and as many users in a closed bucket would
 * defeat this; Sketchgate assumes append-only sources, as its precompute does.)
 *
 * <p>A sketch with registers whose stored form is sparse is kept as those bytes ({@link #compact}), which unions
 * fold without decoding them.
 *
 * <p>Hits are read from a plain map of what the cache holds ({@link #resident}), not from Caffeine: a Caffeine read
 * reorders its entry's node in the access order, a write to an old object on every lookup, and with a gigabyte of
 * cached sketches each young collection then scanned those dirtied cards (ParallelGC young pauses of about 20 ms
 * instead of 3 in a model of 126,000 entries read 2,000 at a time; lookups twice as fast; telling Caffeine of one
 * hit in eight still left 15 ms). Caffeine still decides what stays: it is told of an entry's first hit in each
 * {@link #TOUCH_PERIOD_NANOS} (a least-recently-used order to the minute, a frequency in minutes used), and its
 * removals leave the map. A catalogue document also keeps the sketch it last found ({@link SketchSlot}), so that its
 * next look-up reads no map at all; removals empty that slot too.
 *
 * <p>Misses are read with one {@code _mget} of the {@code sketch} field (plus UV, PV and version, to cache each
 * sketch under what was actually read). Sketches are only read after decoding (unions read their inputs), so
 * sharing them between threads is safe.
 */
public final class SketchCache {
    /**
     * Default bound: 256 MB holds ~16,000 dense p = 14 sketches, or ~600,000 exact ones of 50 values; at the 30M-event
     * scale (60 days) the root subset's fine and hourly sketches alone took more than half of the former 64 MB, so
     * warming stopped early and unaligned questions each made an {@code _mget}.
     */
    public static final long DEFAULT_MAX_BYTES = 256L << 20;

    /** The map entries (Caffeine's and {@link #resident}'s), key and node around each sketch. */
    private static final int ENTRY_OVERHEAD = 200;
    /** A block's key holds a key per granule (record and list slot; their strings are the catalogue's). */
    private static final int BLOCK_PART_BYTES = 56;

    /**
     * A stored document's sketch. Equality and hash written out: a question looks up a thousand of these, and a
     * record's generated ones (method-handle chains) took 6 % of a split question's time in a profile.
     */
    record Key(String index, String version, String id, long uv, long pv, boolean exact) {
        @Override
        public boolean equals(Object other) {
            return other instanceof Key key
                    && uv == key.uv
                    && pv == key.pv
                    && exact == key.exact
                    && id.equals(key.id)
                    && version.equals(key.version)
                    && index.equals(key.index);
        }

        @Override
        public int hashCode() {
            int hash = id.hashCode();
            hash = 31 * hash + Long.hashCode(uv);
            hash = 31 * hash + Long.hashCode(pv);
            return 31 * hash + (exact ? 1 : 0); // index and version: the same for most keys
        }
    }

    /**
     * The union of some stored documents' sketches ({@link GranuleBlocks}), by their keys in time order: a document
     * rewritten with other events has another key, so a block is never served over documents it did not merge.
     */
    record BlockKey(List<Key> parts) {}

    private static final Map<String, String> CANONICAL = new ConcurrentHashMap<>();

    /** Caffeine is told of an entry's first hit in each minute. */
    static final long TOUCH_PERIOD_NANOS = 60_000_000_000L;

    /**
     * Decoded sketches by {@link Key}, or the checked stored form of a sparse one ({@link #compact}); blocks. It
     * bounds and evicts; lookups read {@link #resident}.
     */
    private final Cache<Object, CachedSketch> cache;
    /** Exactly what {@link #cache} holds (written before it, emptied by its removals), read without writes. */
    private final Map<Object, CachedSketch> resident = new ConcurrentHashMap<>();

    private final long maxBytes;
    private long mgets;
    private final LongAdder blocksMade = new LongAdder();
    private final BatchedStatsCounter statistics = new BatchedStatsCounter();

    public SketchCache(long maxBytes) {
        this.maxBytes = maxBytes;
        this.cache = Caches.newBuilder()
                .maximumWeight(maxBytes)
                .weigher((Object key, CachedSketch value) -> weight(key, value))
                .recordStats(() -> statistics)
                // any cause: evicted, replaced (the old value), invalidated; the value names which entry went
                .removalListener((Object key, CachedSketch value, RemovalCause cause) -> removed(key, value))
                .build();
    }

    public long maxBytes() {
        return maxBytes;
    }

    /** Hits, misses, evictions (by count and weight) since start. */
    public CacheStats stats() {
        return cache.stats();
    }

    /** The Caffeine cache itself, for its statistics in the metrics (hits and misses as {@link BatchedStatsCounter}). */
    public Cache<?, ?> statistics() {
        return cache;
    }

    /** Roughly the bytes held. */
    public long weightedSize() {
        return cache.policy().eviction().map(e -> e.weightedSize().orElse(0)).orElse(0L);
    }

    /** {@code _mget} requests made since start. */
    synchronized long mgets() {
        return mgets;
    }

    /** What the cache holds of some documents' sketches, looked up once: found by document id, and the missing. */
    record Lookup(Map<String, CachedSketch> found, List<StoredBuckets.Document> missing) {
        boolean complete() {
            return missing.isEmpty();
        }
    }

    /**
     * One instance per distinct index name or definition version, so that comparing a key with a cached one finds
     * both the same instance (callers build these strings anew per question) instead of reading two cold strings:
     * a lookup is a few cache misses, and a top-5 chart makes about 2,000 of them.
     */
    static String canonical(String name) {
        String held = CANONICAL.putIfAbsent(name, name);
        return held == null ? name : held;
    }

    /** The cached sketches of {@code documents}, in one pass; {@code hits} counts those found. */
    Lookup lookup(String index, String version, List<StoredBuckets.Document> documents, long[] hits) {
        index = canonical(index);
        version = canonical(version);
        Map<String, CachedSketch> found = new HashMap<>();
        List<StoredBuckets.Document> missing = new ArrayList<>();
        int foundCount = 0;
        int minute = touchMinute();
        for (StoredBuckets.Document document : documents) {
            SketchSlot slot = document.sketchSlot();
            CachedSketch cached = slot.get(index, version);
            Key key = null;
            if (cached == null) {
                key = key(index, version, document);
                cached = resident.get(key);
                if (cached != null) {
                    hold(slot, index, version, key, cached);
                }
            }
            if (cached != null) {
                found.put(document.id(), cached);
                foundCount++;
                if (cached.firstTouchIn(minute)) {
                    cache.getIfPresent(
                            key != null ? key : key(index, version, document)); // for the eviction policy only
                }
            } else {
                missing.add(document);
            }
        }
        statistics.record(foundCount, missing.size());
        hits[0] += foundCount;
        return new Lookup(found, missing);
    }

    /**
     * The decoded sketch of each document by id, the missing ones read with one {@code _mget}; {@code hits}
     * counts those served cached.
     */
    Map<String, CachedSketch> sketches(
            EsJson es, String index, String version, List<StoredBuckets.Document> documents, long[] hits)
            throws IOException {
        return sketches(es, index, version, lookup(index, version, documents, hits));
    }

    /** {@code cached}'s sketches, and its missing ones read with one {@code _mget}. */
    Map<String, CachedSketch> sketches(EsJson es, String index, String version, Lookup cached) throws IOException {
        if (cached.complete()) {
            return cached.found();
        }
        index = canonical(index);
        version = canonical(version);
        Map<String, CachedSketch> found = new HashMap<>(cached.found());
        List<String> missing =
                cached.missing().stream().map(StoredBuckets.Document::id).toList();
        // keyed by the catalogue's own id strings, which later lookups pass: equal by identity, no string read
        Map<String, String> catalogueIds = new HashMap<>();
        missing.forEach(id -> catalogueIds.put(id, id));
        synchronized (this) {
            mgets++;
        }
        JsonNode docs = es.require(
                        "POST",
                        "/" + index + "/_mget",
                        Map.of("ids", missing),
                        Map.of(
                                "_source",
                                "sketch,value_minutes,value_millis,step_registers,step_millis,uv,pv,exact,definition_version",
                                "filter_path",
                                "docs._id,docs._source,docs.found"))
                .path("docs");
        for (JsonNode doc : docs) {
            JsonNode source = doc.path("_source");
            if (!doc.path("found").asBoolean()
                    || !source.path("definition_version").asText().equals(version)) {
                continue; // deleted or replaced by another version since the catalogue saw it: no events of ours
            }
            byte[] bytes = Base64.getDecoder().decode(source.path("sketch").asText());
            HllSketch decoded = HllSketch.deserialize(bytes);
            Optional<ValueMinutes> minutes =
                    ValueMinutes.of(decoded, source.path("value_minutes"), source.path("value_millis"));
            CachedSketch sketch;
            if (minutes.isPresent()) {
                sketch = CachedSketch.of(decoded, minutes.get());
            } else {
                CachedSketch held = compact(decoded, bytes);
                sketch = StepCuts.of(decoded, source.path("step_registers"), source.path("step_millis"))
                        .map(held::withCuts)
                        .orElse(held);
            }
            // cached under what was read, which may be newer than the catalogue's if it was just rewritten
            String id = doc.path("_id").asText();
            put(
                    new Key(
                            index,
                            version,
                            catalogueIds.getOrDefault(id, id),
                            source.path("uv").asLong(),
                            source.path("pv").asLong(),
                            source.path("exact").asBoolean()),
                    sketch);
            found.put(id, sketch);
        }
        return found;
    }

    /** The union of {@code parts}' sketches if cached. */
    CachedSketch block(BlockKey parts) {
        CachedSketch union = resident.get(parts);
        statistics.record(union == null ? 0 : 1, union == null ? 1 : 0);
        if (union != null && union.firstTouchIn(touchMinute())) {
            cache.getIfPresent(parts); // for the eviction policy only
        }
        return union;
    }

    void putBlock(BlockKey parts, CachedSketch union) {
        put(parts, union);
        blocksMade.increment();
    }

    /**
     * Lets {@code slot} hold {@code sketch}, found in the map under {@code key}. Caffeine may remove it meanwhile: then
     * either the removal sees the slot that holds it ({@link #removed}) or this sees the removal in the map, and
     * empties the slot (volatile writes then reads on both sides, so one of them sees the other's write).
     */
    private void hold(SketchSlot slot, String index, String version, Key key, CachedSketch sketch) {
        slot.hold(index, version, sketch);
        sketch.heldIn(slot);
        if (resident.get(key) != sketch) {
            slot.release(sketch);
        }
    }

    /**
     * Caffeine removed {@code sketch} (evicted, replaced or invalidated): lookups no longer find it, in the map or in
     * the document slot that last took it. (Another slot that took it before keeps it until its document leaves the
     * catalogue: two catalogue documents with one key are an old and a re-read copy, and the old one is dropped.)
     */
    private void removed(Object key, CachedSketch sketch) {
        resident.remove(key, sketch);
        SketchSlot slot = sketch.heldIn();
        if (slot != null) {
            slot.release(sketch);
        }
    }

    /** Caches {@code sketch} under {@code key}: in the map first, so that a removal by Caffeine always follows it. */
    void put(Object key, CachedSketch sketch) {
        resident.put(key, sketch);
        cache.put(key, sketch);
    }

    private static int touchMinute() {
        return (int) (System.nanoTime() / TOUCH_PERIOD_NANOS);
    }

    /** Entries lookups can find (what Caffeine holds, once its removals have run). */
    int residentCount() {
        return resident.size();
    }

    /** Block unions made (and cached) since start. */
    long blocksMade() {
        return blocksMade.sum();
    }

    static Key key(String index, String version, StoredBuckets.Document document) {
        return new Key(index, version, document.id(), document.uv(), document.pv(), document.exact());
    }

    /**
     * What is cached for a sketch: the decoded sketch, unless it has registers and its stored (sparse) form is
     * under a quarter of them — a sketch just past its exact limit has ~1,100 of 16,384 registers set at p = 14,
     * 3 KB stored against 16 KB decoded. Such a sketch is folded into unions from those bytes, entry by entry.
     */
    static CachedSketch compact(HllSketch sketch, byte[] stored) {
        return !sketch.isExact() && stored.length * 4L < sketch.memoryBytes()
                ? CachedSketch.of(StoredSketch.of(stored))
                : CachedSketch.of(sketch);
    }

    private static int weight(Object key, CachedSketch cached) {
        long keys =
                key instanceof BlockKey block ? BLOCK_PART_BYTES * block.parts().size() : 0;
        return (int) Math.min(Integer.MAX_VALUE, cached.memoryBytes() + ENTRY_OVERHEAD + keys);
    }
}
