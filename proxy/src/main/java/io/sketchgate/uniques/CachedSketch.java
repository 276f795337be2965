package io.sketchgate.uniques;

import io.sketchgate.hll.HllSketch;
import io.sketchgate.hll.StoredSketch;
import io.sketchgate.hll.Union;
import java.util.Objects;
import java.util.Optional;

/**
 * A stored bucket's sketch as {@link SketchCache} holds it: decoded, or, for a sparse one, its checked stored bytes
 * (a quarter of the registers or less), which a union folds as they are instead of decoding them on every use; for
 * a stored granule, what lets a cut of it be counted without the source ({@link GranuleCuts}) when the document
 * keeps it.
 *
 * <p>It also remembers its own estimate and bounds once asked: a row answered by one stored bucket (a day of a daily
 * chart, a country's day) is that bucket's count, and without the memo every such row would unpack 2^p registers
 * and run the estimator again on every question that shows that day.
 */
final class CachedSketch {
    private final HllSketch decoded;
    private final StoredSketch stored;
    private final Optional<GranuleCuts> cuts;
    /** The count alone at {@link Estimate#precision}, or null until first asked; benign race, immutable value. */
    private Estimate estimate;
    /** The last period in which the cache told its policy of a hit on this sketch; benign race. */
    private int touchedIn = Integer.MIN_VALUE;
    /**
     * The document slot that last took this sketch ({@link SketchSlot}), which the cache empties when it removes the
     * sketch; null if none.
     */
    private volatile SketchSlot heldIn;

    private CachedSketch(HllSketch decoded, StoredSketch stored, Optional<GranuleCuts> cuts) {
        this.decoded = decoded;
        this.stored = stored;
        this.cuts = Objects.requireNonNull(cuts, "cuts");
    }

    static CachedSketch of(HllSketch sketch) {
        return new CachedSketch(Objects.requireNonNull(sketch, "sketch"), null, Optional.empty());
    }

    static CachedSketch of(StoredSketch stored) {
        return new CachedSketch(null, Objects.requireNonNull(stored, "stored"), Optional.empty());
    }

    /** A stored granule's exact sketch with its values' minutes. */
    static CachedSketch of(HllSketch sketch, ValueMinutes minutes) {
        return new CachedSketch(Objects.requireNonNull(sketch, "sketch"), null, Optional.of(minutes));
    }

    /** This sketch, held as it is, with what counts its cuts. */
    CachedSketch withCuts(GranuleCuts granuleCuts) {
        return new CachedSketch(decoded, stored, Optional.of(granuleCuts));
    }

    /** The decoded sketch, or null when it is held in its {@link #stored} form. */
    HllSketch decoded() {
        return decoded;
    }

    /** The checked stored form, or null when the sketch is held {@link #decoded}. */
    StoredSketch stored() {
        return stored;
    }

    Optional<GranuleCuts> cuts() {
        return cuts;
    }

    void addTo(Union union) {
        if (decoded != null) {
            union.add(decoded);
        } else {
            union.add(stored);
        }
    }

    /**
     * This sketch's count alone, as a union of precision {@code precision} holding only it would give it, with its
     * bounds at {@code sigmas} standard errors; computed once per precision and bounds asked.
     */
    Estimate estimate(int precision, int sigmas) {
        Estimate known = estimate;
        if (known != null && known.precision() == precision && known.sigmas() == sigmas) {
            return known;
        }
        Union alone = new Union(precision);
        addTo(alone);
        Estimate computed = alone.isExact()
                ? new Estimate(precision, sigmas, alone.estimate(), alone.estimate(), alone.estimate(), true)
                : new Estimate(
                        precision, sigmas, alone.estimate(), alone.lowerBound(sigmas), alone.upperBound(sigmas), false);
        estimate = computed;
        return computed;
    }

    /**
     * Whether this is the first hit in {@code period}, remembering that it is no longer: the cache tells Caffeine of
     * one hit a period, as every Caffeine read writes to its old entry nodes (see {@link SketchCache}).
     */
    boolean firstTouchIn(int period) {
        if (touchedIn == period) {
            return false;
        }
        touchedIn = period;
        return true;
    }

    /** Records that {@code slot} now holds this sketch, to be emptied when the cache removes it. */
    void heldIn(SketchSlot slot) {
        heldIn = slot;
    }

    /** The slot that last took this sketch, or null. */
    SketchSlot heldIn() {
        return heldIn;
    }

    /** Bytes held: the decoded sketch's, or the stored form's, and its cuts'. */
    long memoryBytes() {
        long sketch = decoded != null ? decoded.memoryBytes() : 16L + stored.length();
        return sketch + cuts.map(GranuleCuts::memoryBytes).orElse(0L) + Estimate.BYTES;
    }

    /** A sketch's count alone: the estimate and its bounds, or an exact count. */
    record Estimate(int precision, int sigmas, long uv, long lower, long upper, boolean exact) {
        /** The memo's heap: header, two ints, three longs, a boolean, padding. */
        static final long BYTES = 48;
    }
}
