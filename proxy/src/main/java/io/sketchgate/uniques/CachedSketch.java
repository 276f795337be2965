package io.sketchgate.uniques;

import io.sketchgate.hll.HllSketch;
import io.sketchgate.hll.StoredSketch;
import io.sketchgate.hll.Union;
import java.util.Optional;

/**
 * A stored bucket's sketch as {@link SketchCache} holds it: decoded, or, for a sparse one, its checked stored bytes
 * (a quarter of the registers or less), which a union folds as they are instead of decoding them on every use; for
 * a granule kept as an exact set, its values' minutes when the document has them.
 */
record CachedSketch(HllSketch decoded, StoredSketch stored, Optional<ValueMinutes> minutes) {

    static CachedSketch of(HllSketch sketch) {
        return new CachedSketch(sketch, null, Optional.empty());
    }

    static CachedSketch of(StoredSketch stored) {
        return new CachedSketch(null, stored, Optional.empty());
    }

    /** A stored granule's exact sketch with its values' minutes. */
    static CachedSketch of(HllSketch sketch, ValueMinutes minutes) {
        return new CachedSketch(sketch, null, Optional.of(minutes));
    }

    void addTo(Union union) {
        if (decoded != null) {
            union.add(decoded);
        } else {
            union.add(stored);
        }
    }

    /** Bytes held: the decoded sketch's, or the stored form's, and the values' minutes. */
    long memoryBytes() {
        long sketch = decoded != null ? decoded.memoryBytes() : 16L + stored.length();
        return sketch + minutes.map(ValueMinutes::memoryBytes).orElse(0L);
    }
}
