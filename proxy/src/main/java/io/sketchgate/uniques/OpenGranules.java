package io.sketchgate.uniques;

import io.sketchgate.config.UniqueCountDefinition;
import io.sketchgate.hll.HllSketch;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The tailer's sketches: per open granule, one {@link HllSketch} (the definition's precision, the default exact
 * limit, like the stored ones) per combination of dimension values ({@link DimensionSubsets}). Owned by the
 * tailer's thread; readers get {@link #snapshot} copies.
 *
 * <h2>Memory bound</h2>
 * A sketch holds at most 1,024 exact hashes (an open-addressing {@code long[]} of at most 2,048 slots, 16 KB)
 * and then 2^p one-byte registers (16 KB at p = 14). So the tailer holds at most {@code max_sketches ×
 * max(16 KB, 2^p B)} (160 MB at the default 10,000 and p ≤ 14), and at most {@code max_open_granules} granules.
 * When either limit would be passed, the oldest granule is <em>evicted</em>: its sketches are freed and it is
 * neither returned nor filled again (a query reads that granule from the source), so every granule returned is
 * complete. Granules before the floor (precomputed, or older than the tailer has read) are simply dropped.
 */
final class OpenGranules {
    private final UniqueCountDefinition definition;
    private final long granule;
    private final int subsets;
    private final NavigableMap<Long, Map<List<String>, HllSketch>> granules = new TreeMap<>();
    private final Set<Long> evicted = new TreeSet<>();
    private final Set<Long> changed = new HashSet<>();
    private long floor;
    private int sketches;

    OpenGranules(UniqueCountDefinition definition, Instant floor) {
        this.definition = definition;
        this.granule = definition.granularity().toMillis();
        this.subsets = DimensionSubsets.count(definition);
        this.floor = floor.toEpochMilli();
    }

    /** Adds one value of an event to every dimension subset of its granule, unless that granule is not held. */
    void add(long timeMillis, String[] values, long hash) {
        long start = Math.floorDiv(timeMillis, granule) * granule;
        if (start < floor || evicted.contains(start)) {
            return;
        }
        Map<List<String>, HllSketch> sketchesOf = granules.get(start);
        if (sketchesOf == null) {
            sketchesOf = new HashMap<>();
            granules.put(start, sketchesOf);
            if (granules.size() > definition.realtime().maxOpenGranules() && evictOldest() == start) {
                return;
            }
        }
        for (int mask = 0; mask < subsets; mask++) {
            List<String> key = DimensionSubsets.key(values, mask);
            HllSketch sketch = sketchesOf.get(key);
            if (sketch == null) {
                sketch = HllSketch.create(definition.precision());
                sketchesOf.put(key, sketch);
                sketches++;
            }
            sketch.addHash(hash);
        }
        changed.add(start);
        while (sketches > definition.realtime().maxSketches() && !granules.isEmpty()) {
            if (evictOldest() == start) {
                return;
            }
        }
    }

    /** Puts back a granule read from the persisted state. */
    void restore(long start, Map<List<String>, HllSketch> restored) {
        if (start < floor || evicted.contains(start)) {
            return;
        }
        Map<List<String>, HllSketch> previous = granules.put(start, new HashMap<>(restored));
        sketches += restored.size() - (previous == null ? 0 : previous.size());
        changed.add(start);
    }

    void restoreEvicted(long start) {
        if (start >= floor) {
            evicted.add(start);
            Map<List<String>, HllSketch> dropped = granules.remove(start);
            sketches -= dropped == null ? 0 : dropped.size();
        }
    }

    /** Drops every granule that starts before {@code newFloor}: precomputed, or no longer held. */
    void raiseFloor(Instant newFloor) {
        long millis = newFloor.toEpochMilli();
        if (millis <= floor) {
            return;
        }
        floor = millis;
        NavigableMap<Long, Map<List<String>, HllSketch>> below = granules.headMap(millis, false);
        below.values().forEach(m -> sketches -= m.size());
        below.keySet().forEach(changed::remove);
        below.clear();
        evicted.removeIf(start -> start < millis);
    }

    private long evictOldest() {
        Map.Entry<Long, Map<List<String>, HllSketch>> oldest = granules.pollFirstEntry();
        sketches -= oldest.getValue().size();
        evicted.add(oldest.getKey());
        changed.remove(oldest.getKey());
        return oldest.getKey();
    }

    Instant floor() {
        return Instant.ofEpochMilli(floor);
    }

    int granuleCount() {
        return granules.size();
    }

    int sketchCount() {
        return sketches;
    }

    Set<Long> evicted() {
        return Set.copyOf(evicted);
    }

    Set<Long> starts() {
        return Set.copyOf(granules.keySet());
    }

    /** Estimated bytes of the sketches: 16 bytes per exact hash slot, else 2^p registers. */
    long memoryBytes() {
        long bytes = 0;
        for (Map<List<String>, HllSketch> sketchesOf : granules.values()) {
            for (HllSketch sketch : sketchesOf.values()) {
                bytes += 64 + (sketch.isExact() ? 16 * sketch.estimate() : 1L << sketch.precision());
            }
        }
        return bytes;
    }

    /**
     * Copies of the granules changed since the last call, keyed by start; {@code previous} supplies the others.
     * The copies are never written to again, so any thread may read them.
     */
    Map<Long, RealtimeSketches.Granule> snapshot(Map<Long, RealtimeSketches.Granule> previous) {
        Map<Long, RealtimeSketches.Granule> next = new TreeMap<>();
        for (Map.Entry<Long, Map<List<String>, HllSketch>> entry : granules.entrySet()) {
            RealtimeSketches.Granule old = previous.get(entry.getKey());
            if (old != null && !changed.contains(entry.getKey())) {
                next.put(entry.getKey(), old);
                continue;
            }
            Map<List<String>, HllSketch> copies = new HashMap<>();
            entry.getValue().forEach((key, sketch) -> copies.put(key, sketch.copy()));
            next.put(entry.getKey(), new RealtimeSketches.Granule(Instant.ofEpochMilli(entry.getKey()), copies));
        }
        changed.clear();
        return next;
    }
}
