package io.sketchgate.uniques;

/**
 * The cached sketch a catalogue document last found in {@link SketchCache}, held by the document, so that a question
 * reaches it without the cache's map. A question looks up about a thousand documents, and each look-up in a map of
 * some 140,000 entries is a few cache misses (table, node, key): a tenth of a split question's engine time in a
 * profile at 30M events.
 *
 * <p>It holds a sketch only while the cache does: the cache empties the slot when Caffeine removes the sketch (see
 * {@link SketchCache}), so memory stays bounded by the cache's weight. Reads take no lock; a read racing a removal
 * may still return the sketch, which is harmless: a cached sketch is a function of its document's key and never
 * changes.
 */
final class SketchSlot {
    /** Heap of a slot and its memo, for the catalogue's estimate of what it holds. */
    static final int BYTES = 48;

    /** What the slot holds, published whole: the sketch and the index and version it was found under. */
    private record Memo(String index, String version, CachedSketch sketch) {}

    private volatile Memo memo;

    /**
     * The sketch held for this document in {@code index} at {@code version} (the cache's canonical instances), or
     * null.
     */
    CachedSketch get(String index, String version) {
        Memo held = memo;
        return held != null && held.index == index && held.version == version ? held.sketch : null;
    }

    /** Holds {@code sketch}, found in the cache for this document under {@code index} and {@code version}. */
    synchronized void hold(String index, String version, CachedSketch sketch) {
        memo = new Memo(index, version, sketch);
    }

    /** Empties the slot if it holds {@code sketch} (which the cache no longer does). */
    synchronized void release(CachedSketch sketch) {
        Memo held = memo;
        if (held != null && held.sketch == sketch) {
            memo = null;
        }
    }

    boolean isEmpty() {
        return memo == null;
    }

    @Override
    public String toString() {
        return memo == null ? "SketchSlot[empty]" : "SketchSlot[held]";
    }
}
