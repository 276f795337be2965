package io.sketchgate.uniques;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One stored piece's documents in the catalogue: by their dimension values, and grouped by the dimensions they roll
 * up ({@link BucketKey#ALL}), so that a question split by country walks the 25 documents of that subset of a piece,
 * not its root, device and country-by-device documents too (104 a piece with dimensions of 25 × 3 values; walking
 * them all took about a sixth of a top-5 chart's engine time). Reads take no lock; puts come from catalogue
 * refreshes and are serialized here.
 */
final class PieceDocuments {

    /** What a put did: the document held before ({@code null}: none), and whether the new one replaced it. */
    record Put(StoredBuckets.Document before, boolean taken) {}

    private static final StoredBuckets.Document[] NONE = new StoredBuckets.Document[0];

    private final Map<List<String>, StoredBuckets.Document> byValues = new ConcurrentHashMap<>();
    /** Index: the subset's mask ({@link DimensionSubsets#mask}); replaced, never changed, by a put. */
    private volatile StoredBuckets.Document[][] bySubset;

    PieceDocuments(int dimensions) {
        StoredBuckets.Document[][] empty = new StoredBuckets.Document[1 << dimensions][];
        Arrays.fill(empty, NONE);
        this.bySubset = empty;
    }

    StoredBuckets.Document get(List<String> values) {
        return byValues.get(values);
    }

    /** The documents of subset {@code mask} ({@link DimensionSubsets#mask}); not to be changed. */
    StoredBuckets.Document[] ofSubset(int mask) {
        return bySubset[mask];
    }

    Collection<StoredBuckets.Document> all() {
        return byValues.values();
    }

    /**
     * Holds {@code document} unless a later write of the same values is held (a newer sequence number or term), or
     * the same write is (the held copy keeps the sketch it found, {@link StoredBuckets.Document#sketchSlot}).
     */
    synchronized Put put(StoredBuckets.Document document) {
        StoredBuckets.Document before = byValues.get(document.dimensionValues());
        if (before != null && document.seqNo() < before.seqNo() && document.primaryTerm() <= before.primaryTerm()) {
            return new Put(before, false);
        }
        if (before != null && document.seqNo() == before.seqNo() && document.primaryTerm() == before.primaryTerm()) {
            return new Put(before, false); // the same write read again (a refresh's overlap): keep it and its sketch
        }
        hold(before, document);
        return new Put(before, true);
    }

    /**
     * The held document of {@code values} without its events' milliseconds (the catalogue's bound on them), its
     * sketch kept; null when none is held.
     */
    synchronized StoredBuckets.Document dropEventMillis(List<String> values) {
        StoredBuckets.Document before = byValues.get(values);
        if (before == null) {
            return null;
        }
        hold(before, before.withoutEventMillis());
        return before;
    }

    private void hold(StoredBuckets.Document before, StoredBuckets.Document document) {
        byValues.put(document.dimensionValues(), document);
        int mask = DimensionSubsets.mask(document.dimensionValues());
        StoredBuckets.Document[][] groups = bySubset.clone();
        List<StoredBuckets.Document> group = new ArrayList<>(Arrays.asList(groups[mask]));
        if (before == null) {
            group.add(document);
        } else {
            group.set(group.indexOf(before), document);
        }
        groups[mask] = group.toArray(StoredBuckets.Document[]::new);
        bySubset = groups;
    }
}
