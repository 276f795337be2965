package io.sketchgate.uniques;

import io.sketchgate.hll.HllSketch;
import io.sketchgate.hll.StepRegisters;
import java.util.Base64;
import java.util.Optional;

/**
 * The distinct values and event count of one bucket (one level, zone, start and dimension values) while it
 * is being computed.
 *
 * <p>Exact while it holds at most {@code maxExact} distinct hashes: a {@link LongHashSet} of them, 12–24
 * bytes each. One more turns it into an {@link HllSketch} of the definition's precision (at most 2^p bytes
 * of registers in memory) and the bucket is stored with {@code exact: false} and the sketch's estimate as
 * {@code uv}. Either way the stored sketch is the same: HLL registers are a max over the hashes, independent
 * of the order they came in, and exactness depends only on the bucket's distinct count, so a resumed job
 * stores the same bytes as an uninterrupted one.
 */
final class BucketAccumulator {
    private final int precision;
    private final int maxExact;
    /** Null once over {@link #maxExact}. */
    private LongHashSet hashes = new LongHashSet();
    /** Non-null exactly when {@link #hashes} is null. */
    private HllSketch sketch;

    private long pageViews;
    /** A granule's values' first and last minutes ({@link MinuteRecorder}); null when not kept or too many values. */
    private MinuteRecorder minutes;
    /** Whether, past the minutes' limit, the registers are kept per minute instead ({@link StepRegisters}). */
    private boolean keepsStepRegisters;
    /** Non-null once {@link #minutes} gave way to them. */
    private StepRegisters steps;

    BucketAccumulator(int precision, int maxExact) {
        this.precision = precision;
        this.maxExact = maxExact;
    }

    /** An accumulator of a granule that keeps its values' minutes while its sketch stays an exact set. */
    static BucketAccumulator withMinutes(int precision, int maxExact) {
        return withMinutes(precision, maxExact, false);
    }

    /**
     * An accumulator of a granule that keeps its values' minutes while its sketch stays an exact set, and, with
     * {@code stepRegisters}, its registers per minute once it has more values than that.
     */
    static BucketAccumulator withMinutes(int precision, int maxExact, boolean stepRegisters) {
        BucketAccumulator accumulator = new BucketAccumulator(precision, maxExact);
        accumulator.minutes = new MinuteRecorder();
        accumulator.keepsStepRegisters = stepRegisters;
        return accumulator;
    }

    /** A value with an event at {@code step} (a minute of the granule). */
    void addHash(long hash, int step) {
        addHash(hash);
        if (steps != null) {
            steps.add(hash, step);
        } else if (minutes != null && !minutes.record(hash, step)) {
            if (keepsStepRegisters) { // a value's first and last minute are all the prefixes and suffixes need
                steps = StepRegisters.create(precision);
                minutes.forEach((value, first, last) -> {
                    steps.add(value, first);
                    steps.add(value, last);
                });
            }
            minutes = null; // stored with registers: no values to keep minutes of
        }
    }

    void addHash(long hash) {
        if (hashes != null) {
            if (hashes.add(hash) && hashes.size() > maxExact) {
                toSketchOnly();
            }
        } else {
            sketch.addHash(hash);
        }
    }

    void addPageViews(long count) {
        pageViews += count;
    }

    /** Adds every value and event of {@code other}, which is not modified. */
    void merge(BucketAccumulator other) {
        minutes = null; // steps of different granules mean nothing together
        steps = null;
        pageViews += other.pageViews;
        if (other.hashes != null) {
            if (hashes != null) {
                hashes.addAll(other.hashes);
                if (hashes.size() > maxExact) {
                    toSketchOnly();
                }
            } else {
                other.hashes.forEach(sketch::addHash);
            }
        } else {
            if (hashes != null) {
                toSketchOnly();
            }
            sketch.merge(other.sketch);
        }
    }

    boolean isExact() {
        return hashes != null;
    }

    long pageViews() {
        return pageViews;
    }

    /** The exact distinct count while exact, else the sketch's estimate. */
    long uniques() {
        return hashes != null ? hashes.size() : sketch.estimate();
    }

    /** The stored sketch; built from the hashes while exact. */
    HllSketch toSketch() {
        if (hashes == null) {
            return sketch.copy();
        }
        HllSketch built = HllSketch.create(precision);
        hashes.forEach(built::addHash);
        return built;
    }

    /**
     * {@code value_minutes} for the stored {@code sketch} ({@link ValueMinutes}): two bytes per value in the order
     * of its hashes, base64; empty when the minutes are not kept or the sketch has registers.
     */
    Optional<String> valueMinutes(HllSketch sketch) {
        if (minutes == null || !sketch.isExact()) {
            return Optional.empty();
        }
        return Optional.of(minutes.encode(sketch.exactHashes()));
    }

    /**
     * {@code step_registers} for the stored {@code sketch} ({@link StepRegisters}), base64; empty unless they were
     * kept and the sketch has registers.
     */
    Optional<String> stepRegisters(HllSketch sketch) {
        if (steps == null || sketch.isExact()) {
            return Optional.empty();
        }
        return Optional.of(Base64.getEncoder().encodeToString(steps.serialize()));
    }

    /** Bytes of value hashes held, for the memory bound. */
    long memoryBytes() {
        long values = hashes != null ? hashes.memoryBytes() : 1L << precision;
        return values + (minutes != null ? minutes.memoryBytes() : 0) + (steps != null ? steps.memoryBytes() : 0);
    }

    private void toSketchOnly() {
        sketch = HllSketch.create(precision);
        hashes.forEach(sketch::addHash);
        hashes = null;
    }
}
