package io.sketchgate.uniques;

import io.sketchgate.config.UniqueCountDefinition;
import io.sketchgate.hll.HllSketch;
import io.sketchgate.hll.StepRegisters;
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
    private static final long STEP = UniqueCountDefinition.FINE_PV_STEP.toMillis();

    private final int precision;
    private final int maxExact;
    /** Null once over {@link #maxExact}. */
    private LongHashSet hashes = new LongHashSet();
    /** Non-null exactly when {@link #hashes} is null. */
    private HllSketch sketch;

    private long pageViews;
    /**
     * A granule's values' first and last milliseconds ({@link ValueSpanRecorder}); null when not kept or too many
     * values.
     */
    private ValueSpanRecorder spans;
    /** Whether, past the minutes' limit, the registers are kept per minute instead ({@link StepRegisters}). */
    private boolean keepsStepRegisters;
    /** Non-null once {@link #spans} gave way to them. */
    private StepRegisters steps;

    BucketAccumulator(int precision, int maxExact) {
        this.precision = precision;
        this.maxExact = maxExact;
    }

    /** An accumulator of a granule that keeps its values' first and last events while its sketch stays exact. */
    static BucketAccumulator withMinutes(int precision, int maxExact) {
        return withMinutes(precision, maxExact, false);
    }

    /**
     * An accumulator of a granule that keeps its values' first and last events while its sketch stays exact, and, with
     * {@code stepRegisters}, its registers per minute once it has more values than that.
     */
    static BucketAccumulator withMinutes(int precision, int maxExact, boolean stepRegisters) {
        BucketAccumulator accumulator = new BucketAccumulator(precision, maxExact);
        accumulator.spans = new ValueSpanRecorder();
        accumulator.keepsStepRegisters = stepRegisters;
        return accumulator;
    }

    /** A value with an event {@code offsetMillis} after the granule's start. */
    void addHash(long hash, long offsetMillis) {
        addHash(hash);
        if (steps != null) {
            addStep(hash, offsetMillis);
        } else if (spans != null && !spans.record(hash, offsetMillis)) {
            if (keepsStepRegisters) { // a value's first and last events are all the prefixes and suffixes need
                steps = StepRegisters.create(precision);
                spans.forEach((value, first, last) -> {
                    addStep(value, first);
                    addStep(value, last);
                });
            }
            spans = null; // stored with registers: no values to keep the events of
        }
    }

    /** An event into the step registers: its minute, and its millisecond within it as the minute's sub-step. */
    private void addStep(long hash, long offsetMillis) {
        steps.add(hash, (int) (offsetMillis / STEP), (int) (offsetMillis % STEP));
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
        spans = null; // offsets in different granules mean nothing together
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
        if (spans == null || !sketch.isExact()) {
            return Optional.empty();
        }
        return Optional.of(spans.encodeMinutes(sketch.exactHashes()));
    }

    /**
     * {@code value_millis} beside {@link #valueMinutes}: the milliseconds within those minutes, four bytes per
     * value, base64; empty exactly when {@link #valueMinutes} is.
     */
    Optional<String> valueMillis(HllSketch sketch) {
        if (spans == null || !sketch.isExact()) {
            return Optional.empty();
        }
        return Optional.of(spans.encodeMillis(sketch.exactHashes()));
    }

    /**
     * {@code step_registers} for the stored {@code sketch} ({@link StepRegisters}) and, beside them, {@code
     * step_millis} (the millisecond within its minute of each of their events, in their order): both serialized in one
     * pass; empty unless they were kept and the sketch has registers.
     */
    Optional<StepRegisters.Serialized> stepRegisters(HllSketch sketch) {
        if (steps == null || sketch.isExact()) {
            return Optional.empty();
        }
        return Optional.of(steps.serializeWithSubSteps());
    }

    /** Bytes of value hashes held, for the memory bound. */
    long memoryBytes() {
        long values = hashes != null ? hashes.memoryBytes() : 1L << precision;
        return values + (spans != null ? spans.memoryBytes() : 0) + (steps != null ? steps.memoryBytes() : 0);
    }

    private void toSketchOnly() {
        sketch = HllSketch.create(precision);
        hashes.forEach(sketch::addHash);
        hashes = null;
    }
}
