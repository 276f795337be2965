package io.sketchgate.uniques;

import io.sketchgate.hll.Union;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Unions of aligned runs of stored granules — whole groups of four granules from a group boundary, 00:00–04:00 UTC,
 * 04:00–24:00 and so on at a 1h granularity — made on first use and kept in the {@link SketchCache}, weighed like any
 * sketch.
 *
 * <p>A slice cut inside a day (a daily chart from 08:09) is covered by that day's granules, one union input per
 * granule and split value; each exact input costs a hash per value, so at 30M events (some 20,000 events an hour) a
 * question split by country merged hundreds of thousands of values on its two cut days. A block's union of more values than the exact limit is
 * a register array, folded in one pass whatever it holds; one at most at the limit is its exact set. Either way a
 * union over blocks equals the union over their granules bit for bit (register maxima and set unions do not depend on
 * grouping), so answers are unchanged: only fewer, cheaper inputs.
 *
 * <p>A block is keyed by its documents' cache keys ({@link SketchCache.BlockKey}): a granule rewritten with other
 * events makes another key, and the old block ages out of the cache unused.
 */
final class GranuleBlocks {
    /** Granules per group: a day of 1h granules has six groups; a cut day is one block and at most three loose granules. */
    static final int GRANULES = 4;

    private GranuleBlocks() {}

    /**
     * The end (exclusive) of the block of {@code pieces} starting at {@code at}: when the pieces there are consecutive
     * stored granules and the first starts at a block boundary, the end of the longest run of whole groups of {@code
     * GRANULES} such granules (04:00–24:00 of a day cut at 03:10 is one block, not five), else {@code at}. A cut day
     * ends in one of a few such runs (five a day at a 1h granularity), so one cached union per run and value serves
     * every question cutting that day near there, in place of up to five block unions.
     */
    static int blockEnd(List<SliceCover.Piece> pieces, int at, Duration granularity) {
        long granule = granularity.toMillis();
        if (at >= pieces.size()
                || !(pieces.get(at) instanceof SliceCover.Stored first)
                || first.level() != Level.GRANULE
                || Math.floorMod(first.start().toEpochMilli(), granule * GRANULES) != 0) {
            return at;
        }
        int end = at;
        while (wholeGroup(pieces, end, first.start().toEpochMilli() + (end - at) * granule, granule)) {
            end += GRANULES;
        }
        return end;
    }

    /** Whether {@code GRANULES} consecutive stored granules start at {@code from}, the first at {@code startMillis}. */
    private static boolean wholeGroup(List<SliceCover.Piece> pieces, int from, long startMillis, long granule) {
        if (from + GRANULES > pieces.size()) {
            return false;
        }
        for (int k = 0; k < GRANULES; k++) {
            if (!(pieces.get(from + k) instanceof SliceCover.Stored next)
                    || next.level() != Level.GRANULE
                    || next.start().toEpochMilli() != startMillis + k * granule) {
                return false;
            }
        }
        return true;
    }

    /**
     * The union of {@code documents}' sketches (one combination's granules of a block, in time order), from the
     * cache or made now and cached; null when a sketch is missing (deleted since the catalogue saw it) or there is
     * one document only (a value with events in one granule of the block: that granule as it is, with its stored
     * count, which is exact when its document says so, and no copy of its sketch in the cache); then the caller adds
     * the granules one by one. A run of several groups is made from its groups' own unions, cached too: a run new to
     * the cache then costs a fold per group already made, not a merge of every granule again.
     */
    static CachedSketch union(
            SketchCache cache,
            String index,
            String version,
            int precision,
            Duration granularity,
            List<StoredBuckets.Document> documents,
            Map<String, CachedSketch> sketches) {
        if (documents.size() < 2) {
            return null;
        }
        List<SketchCache.Key> parts = new ArrayList<>(documents.size());
        String canonicalIndex = SketchCache.canonical(index);
        String canonicalVersion = SketchCache.canonical(version);
        for (StoredBuckets.Document document : documents) {
            parts.add(SketchCache.key(canonicalIndex, canonicalVersion, document));
        }
        SketchCache.BlockKey key = new SketchCache.BlockKey(parts);
        CachedSketch cached = cache.block(key);
        if (cached != null) {
            return cached;
        }
        List<List<StoredBuckets.Document>> groups = groups(documents, granularity);
        Union union = UnionPool.borrow(precision); // given back: the cached block is a copy (toSketch)
        try {
            for (List<StoredBuckets.Document> group : groups) {
                CachedSketch groupUnion = groups.size() > 1
                        ? union(cache, index, version, precision, granularity, group, sketches)
                        : null;
                if (groupUnion != null) {
                    groupUnion.addTo(union);
                    continue;
                }
                for (StoredBuckets.Document document : group) {
                    CachedSketch sketch = sketches.get(document.id());
                    if (sketch == null) {
                        return null;
                    }
                    sketch.addTo(union);
                }
            }
            CachedSketch made = CachedSketch.of(union.toSketch());
            cache.putBlock(key, made);
            return made;
        } finally {
            UnionPool.giveBack(union);
        }
    }

    /** The documents by group of {@link #GRANULES} granules (aligned as {@link #blockEnd} aligns them), in order. */
    private static List<List<StoredBuckets.Document>> groups(
            List<StoredBuckets.Document> documents, Duration granularity) {
        long groupMillis = granularity.toMillis() * GRANULES;
        List<List<StoredBuckets.Document>> groups = new ArrayList<>();
        long current = Long.MIN_VALUE;
        for (StoredBuckets.Document document : documents) {
            long group = Math.floorDiv(document.start().toEpochMilli(), groupMillis);
            if (group != current) {
                groups.add(new ArrayList<>(GRANULES));
                current = group;
            }
            groups.get(groups.size() - 1).add(document);
        }
        return groups;
    }
}
