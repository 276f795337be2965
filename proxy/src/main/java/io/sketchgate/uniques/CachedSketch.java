package io.sketchgate.uniques;

import io.sketchgate.hll.HllSketch;
import io.sketchgate.hll.StoredSketch;
import io.sketchgate.hll.Union;

/**
 * A stored bucket's sketch as {@link SketchCache} holds it: decoded, or, for a sparse one, its checked stored bytes
 * (a quarter of the registers or less), which a union folds as they are instead of decoding them on every use.
 */
record CachedSketch(HllSketch decoded, StoredSketch stored) {

    static CachedSketch of(HllSketch sketch) {
        return new CachedSketch(sketch, null);
    }

    static CachedSketch of(StoredSketch stored) {
        return new CachedSketch(null, stored);
    }

    void addTo(Union union) {
        if (decoded != null) {
            union.add(decoded);
        } else {
            union.add(stored);
        }
    }

    /** Bytes held: the decoded sketch's, or the stored form's. */
    long memoryBytes() {
        return decoded != null ? decoded.memoryBytes() : 16L + stored.length();
    }
}
