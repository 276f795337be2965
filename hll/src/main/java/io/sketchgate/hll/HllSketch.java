package io.sketchgate.hll;

import java.util.Arrays;
import java.util.Base64;

/**
 * A distinct-count sketch: an exact set of value hashes while small, HyperLogLog++ registers
 * once it outgrows its exact limit.
 *
 * <h2>Modes</h2>
 * <ul>
 *   <li><b>EXACT</b> — up to {@link #exactLimit()} distinct 64-bit hashes are kept as a set.
 *       {@link #estimate()} is the set size, {@link #isExact()} is true and both bounds equal
 *       the estimate. Exact up to 64-bit hash collisions (about n²/2⁶⁵, below 10⁻¹²).
 *   <li><b>HLL</b> — one more distinct hash turns the set into 2^p HyperLogLog++ registers
 *       (see {@link DenseRegisters}); the estimate is stream-lib's HLL++ estimator
 *       ({@link StreamLibEstimator}) with relative standard error ≈ 1.04/√(2^p): 0.81% at the
 *       default p = 14, 1.6% at p = 12, 0.41% at p = 16. Serialized, the registers are written
 *       SPARSE (a list of the non-zero ones, {@link SparseRegisters}) while that is shorter and
 *       DENSE (5 bits each) after; in memory they are one byte each either way.
 * </ul>
 * stream-lib's own sparse mode is not used: the exact set covers small cardinalities without
 * error, our sparse list of registers covers the middle with fewer bytes (measured by
 * {@code SketchSizeReport}: at p = 14, 2,048 values take 3 KB against stream-lib's 5.3 KB
 * sparse and 10 KB dense), and stream-lib's sparse code carries the merge and encoding bugs
 * listed in {@code hll/README.md}.
 *
 * <h2>Merging and precision</h2>
 * {@link #merge} takes the other sketch's values into this one without modifying it. Exact sets
 * stay exact while their union fits the limit. Sketches of different precisions merge at the
 * lower one: the higher-precision registers are folded down exactly as if the values had been
 * added at the lower precision. Merge is commutative, associative and idempotent.
 *
 * <h2>Threads</h2>
 * A sketch is mutable and not thread-safe. Reading — {@link #estimate()}, the bounds,
 * {@link #serialize()}, merging <em>from</em> it and adding it to a {@link Union} — never writes
 * to it, so a decoded sketch may be shared by any number of threads as long as nobody adds to it.
 *
 * <p>References: Flajolet, Fusy, Gandouet, Meunier, "HyperLogLog" (2007); Heule, Nunkesser,
 * Hall, "HyperLogLog in Practice" (EDBT 2013); stream-lib {@code HyperLogLogPlus} 2.9.8.
 */
public final class HllSketch {

    public static final int MIN_PRECISION = 4;
    public static final int MAX_PRECISION = 18;
    public static final int DEFAULT_PRECISION = 14;
    /**
     * Default exact-set size: at 8 bytes a hash, 1,024 hashes (8 KB) still serialize smaller than
     * the 10 KB of p = 14 registers; see {@code SketchSizeReport} and {@code hll/README.md}.
     */
    public static final int DEFAULT_EXACT_LIMIT = 1024;

    public static final int MAX_EXACT_LIMIT = 65536;

    private int precision;
    private final int exactLimit;
    /** Non-null exactly in EXACT mode. */
    private ExactSet exact;
    /** Non-null exactly once not exact: one byte per register, length 2^p. */
    private byte[] registers;

    HllSketch(int precision, int exactLimit, ExactSet exact, byte[] registers) {
        this.precision = precision;
        this.exactLimit = exactLimit;
        this.exact = exact;
        this.registers = registers;
    }

    public static HllSketch create() {
        return create(DEFAULT_PRECISION, DEFAULT_EXACT_LIMIT);
    }

    public static HllSketch create(int precision) {
        return create(precision, DEFAULT_EXACT_LIMIT);
    }

    public static HllSketch create(int precision, int exactLimit) {
        checkPrecision(precision);
        checkExactLimit(exactLimit);
        return new HllSketch(precision, exactLimit, new ExactSet(), null);
    }

    public void add(String value) {
        addHash(SketchHash.hash(value));
    }

    /**
     * The sketch of the first {@code count} of {@code ascending}: distinct hashes in ascending unsigned order, such
     * as a subset of an exact sketch's {@link #exactHashes}. Within the default exact limit they are kept in that
     * order as they are, without building a hash table; past it they make registers.
     *
     * @throws IllegalArgumentException if the hashes are not strictly ascending
     */
    public static HllSketch ofAscendingHashes(int precision, long[] ascending, int count) {
        checkPrecision(precision);
        for (int i = 1; i < count; i++) {
            if (Long.compareUnsigned(ascending[i - 1], ascending[i]) >= 0) {
                throw new IllegalArgumentException("hashes not strictly ascending at " + i);
            }
        }
        if (count <= DEFAULT_EXACT_LIMIT) {
            return new HllSketch(
                    precision, DEFAULT_EXACT_LIMIT, ExactSet.ofSorted(Arrays.copyOf(ascending, count)), null);
        }
        HllSketch sketch = create(precision);
        for (int i = 0; i < count; i++) {
            sketch.addHash(ascending[i]);
        }
        return sketch;
    }

    /** Same as {@code add(Long.toString(value))}. */
    public void add(long value) {
        addHash(SketchHash.hash(value));
    }

    /** Same as {@code add(SketchHash.canonical(value))}; integral doubles equal their long. */
    public void add(double value) {
        addHash(SketchHash.hash(value));
    }

    /** Adds a value already hashed with {@link SketchHash}; any other hash breaks merging. */
    public void addHash(long hash) {
        if (exact != null) {
            if (exact.add(hash) && exact.size() > exactLimit) {
                promote();
            }
        } else {
            DenseRegisters.update(registers, precision, hash);
        }
    }

    /** Adds every value of {@code other} to this sketch; {@code other} is not modified. */
    public void merge(HllSketch other) {
        if (other == this) {
            return;
        }
        if (other.precision < precision) {
            lowerPrecision(other.precision);
        }
        if (other.exact != null) {
            other.exact.forEach(this::addHash);
            return;
        }
        if (exact != null) {
            promote();
        }
        DenseRegisters.foldInto(registers, precision, other.registers, other.precision);
    }

    public long estimate() {
        if (exact != null) {
            return exact.size();
        }
        return StreamLibEstimator.estimate(registers, precision);
    }

    /** Lower end of the k-standard-deviation interval (k = 1, 2 or 3); the count itself if exact. */
    public long lowerBound(int k) {
        ErrorBounds.checkK(k);
        if (exact != null) {
            return exact.size();
        }
        int nonEmpty = DenseRegisters.nonZeroCount(registers, 1 << precision);
        return ErrorBounds.lower(estimate(), precision, k, nonEmpty);
    }

    /** Upper end of the k-standard-deviation interval (k = 1, 2 or 3); the count itself if exact. */
    public long upperBound(int k) {
        ErrorBounds.checkK(k);
        if (exact != null) {
            return exact.size();
        }
        return ErrorBounds.upper(estimate(), precision, k);
    }

    /** Relative standard error of {@link #estimate()}: 0 when exact, else 1.04/√(2^p). */
    public double relativeStandardError() {
        return exact != null ? 0 : ErrorBounds.relativeStandardError(precision);
    }

    /**
     * Bytes this sketch holds on the heap, object headers included: a decoded exact set is its sorted array (8
     * bytes a hash), a table 8 bytes a slot, registers one byte each (2^p).
     */
    public long memoryBytes() {
        long object = 48;
        return object + (exact != null ? exact.memoryBytes() : 16L + registers.length);
    }

    public boolean isExact() {
        return exact != null;
    }

    /**
     * The hashes of an exact sketch in ascending unsigned order, the order of its stored form (so data kept beside
     * a stored exact sketch can be aligned with its values); null once the sketch has registers.
     */
    public long[] exactHashes() {
        return exact == null ? null : exact.sortedHashes().clone();
    }

    /**
     * {@link #exactHashes()} without the copy: a decoded sketch's own array, for data kept beside a cached sketch for
     * as long as the sketch (a stored granule's values' minutes), which would otherwise hold every hash twice. The
     * caller must not modify it. Null once the sketch has registers.
     */
    public long[] exactHashesShared() {
        return exact == null ? null : exact.sortedHashes();
    }

    public boolean isEmpty() {
        return exact != null && exact.size() == 0;
    }

    public int precision() {
        return precision;
    }

    public int exactLimit() {
        return exactLimit;
    }

    public HllSketch copy() {
        return new HllSketch(
                precision,
                exactLimit,
                exact == null ? null : exact.copy(),
                registers == null ? null : registers.clone());
    }

    /** The versioned binary form described in {@code hll/FORMAT.md}. */
    public byte[] serialize() {
        if (exact != null) {
            return SketchFormat.encodeExact(precision, exactLimit, exact.sortedHashes());
        }
        return SketchFormat.encodeRegisters(precision, exactLimit, registers);
    }

    /** Standard base64 (RFC 4648, padded) of {@link #serialize()}: what the indices store. */
    public String toBase64() {
        return Base64.getEncoder().encodeToString(serialize());
    }

    /**
     * Decodes {@link #serialize()} output.
     *
     * @throws SketchFormatException if the bytes are truncated, corrupt, foreign or of a newer
     *     format; never returns a sketch built from bad bytes
     */
    public static HllSketch deserialize(byte[] bytes) {
        SketchFormat.Header header = new SketchFormat.Header();
        SketchFormat.read(bytes, header, false);
        if (header.mode == SketchFormat.MODE_EXACT) {
            long[] hashes = new long[header.exactCount()];
            for (int i = 0; i < hashes.length; i++) {
                hashes[i] = SketchFormat.exactHash(bytes, i);
            }
            return new HllSketch(header.precision, header.exactLimit, ExactSet.ofSorted(hashes), null);
        }
        byte[] registers = new byte[1 << header.precision];
        if (header.mode == SketchFormat.MODE_SPARSE) {
            // Checked while decoding: on failure the registers are dropped with the exception.
            SparseRegisters.decodeChecked(
                    bytes, SketchFormat.HEADER_LENGTH, header.payloadLength, header.precision, registers);
        } else {
            DenseRegisters.unpack(bytes, SketchFormat.HEADER_LENGTH, header.precision, registers);
        }
        return new HllSketch(header.precision, header.exactLimit, null, registers);
    }

    /** Decodes {@link #toBase64()} output; malformed base64 is a {@link SketchFormatException}. */
    public static HllSketch fromBase64(String base64) {
        if (base64 == null) {
            throw new SketchFormatException("sketch base64 is null");
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new SketchFormatException("sketch is not valid base64: " + e.getMessage(), e);
        }
        return deserialize(bytes);
    }

    @Override
    public String toString() {
        return "HllSketch{p=" + precision + ", " + (exact != null ? "exact" : "dense") + ", estimate=" + estimate()
                + "}";
    }

    ExactSet exactSet() {
        return exact;
    }

    byte[] registers() {
        return registers;
    }

    private void promote() {
        byte[] dense = new byte[1 << precision];
        int p = precision;
        exact.forEach(hash -> DenseRegisters.update(dense, p, hash));
        registers = dense;
        exact = null;
    }

    private void lowerPrecision(int target) {
        if (registers != null) {
            DenseRegisters.foldInPlace(registers, precision, target);
            registers = java.util.Arrays.copyOf(registers, 1 << target);
        }
        precision = target;
    }

    static void checkPrecision(int precision) {
        if (precision < MIN_PRECISION || precision > MAX_PRECISION) {
            throw new IllegalArgumentException(
                    "precision must be in " + MIN_PRECISION + ".." + MAX_PRECISION + ", was " + precision);
        }
    }

    static void checkExactLimit(int exactLimit) {
        if (exactLimit < 1 || exactLimit > MAX_EXACT_LIMIT) {
            throw new IllegalArgumentException("exact limit must be in 1.." + MAX_EXACT_LIMIT + ", was " + exactLimit);
        }
    }
}
