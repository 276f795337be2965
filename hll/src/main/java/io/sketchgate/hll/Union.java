package io.sketchgate.hll;

import java.util.Arrays;
import java.util.Base64;

/**
 * Accumulates the union of many sketches — the 2,160 hourly buckets of a 90-day query — into one
 * register array, without allocating per sketch.
 *
 * <p>While every input is exact and their union has at most {@link #exactLimit()} hashes, the
 * union is an exact set and reports an exact count. The first dense input, or the first hash
 * past the limit, moves the set into one array of 2^p byte registers, allocated once; every later
 * input is folded in by register-wise maximum (exact inputs hash by hash). An input of lower
 * precision lowers the union's precision in place; an input of higher precision is folded down
 * on the fly. {@link #add(byte[])} reads stored bytes directly, without building a sketch: it
 * validates the whole input first, so a bad input leaves the union unchanged.
 *
 * <p>A union of many small exact inputs (the hours of a day by country) usually ends past the
 * limit, and a hash table filled, grown and emptied again on the way costs more than the registers
 * alone. So once its exact inputs add up to more than a sixteenth of the limit, the union
 * <em>defers</em> the set: it only lists each hash, and while the list (repeats included) is no
 * longer than the limit, that is all it does: a union that ends exact never allocates its 2^p
 * registers. Past that it also updates the registers (twelve inputs of 119 values at p = 14: 8 µs
 * instead of 22). Its count can be exact only while at most the limit registers are set (distinct
 * hashes set at most as many registers as there are of them), so past that the list is dropped;
 * otherwise the set is made from the list when the union is read. Either way the union ends as the
 * eager one would: the same set or the same registers.
 *
 * <p>Inputs are only read, so cached sketches can be shared between concurrent unions. The
 * union itself is not thread-safe; use one per query.
 */
public final class Union {

    private final int initialPrecision;
    private final int exactLimit;
    private final SketchFormat.Header header = new SketchFormat.Header();
    private int precision;
    /** The exact union while {@link #exactMode}; cleared, not dropped, on reset. */
    private final ExactSet exact = new ExactSet();

    private boolean exactMode = true;
    /**
     * While the set is deferred, every exact hash added (duplicates included), else null. No input had registers.
     * Unless {@link #listOnly}, the registers hold all of them and {@link #nonZero} is known and at most the limit.
     */
    private long[] deferred;

    private int deferredCount;
    /**
     * Whether the deferred hashes are only listed, not yet in the registers (which are empty): while the list is no
     * longer than the limit, the union may well end exact, and then it never needs its 2^p registers at all.
     */
    private boolean listOnly;
    /** Length 2^initialPrecision; the first 2^precision entries are live. */
    private byte[] registers;
    /**
     * Whether {@link #registers} may hold values of an earlier use: a reset union (one a pool lends again) or one back
     * to exact empties them only when it needs them again ({@link #emptyRegisters}), so that a union that stays exact
     * never clears 2^p bytes it does not read.
     */
    private boolean registersUsed;
    /** A list dropped earlier, kept for the next {@link #defer} of a reused union; null if none. */
    private long[] spareList;
    /** Unpacked registers of a serialized input of higher precision than the union. */
    private byte[] scratch;
    /** Created once so that adding an exact sketch allocates nothing. */
    private final ExactSet.HashConsumer adder = this::addHash;
    /**
     * The dense estimate, or -1 until asked after the last change: an estimate runs stream-lib's estimator
     * (tens of microseconds at p = 14) and a count asks for it three times (estimate and both bounds).
     */
    private long denseEstimate = -1;
    /**
     * The registers set, or -1 when unknown (a pass over 2^p registers tells). Kept up to date by hash and sparse
     * inputs, which see each register they fill; a dense fold makes it unknown. Known, it lets a union still in
     * linear-counting range be estimated without a pass over its registers.
     */
    private int nonZero = -1;

    public Union() {
        this(HllSketch.DEFAULT_PRECISION, HllSketch.DEFAULT_EXACT_LIMIT);
    }

    public Union(int precision) {
        this(precision, HllSketch.DEFAULT_EXACT_LIMIT);
    }

    public Union(int precision, int exactLimit) {
        HllSketch.checkPrecision(precision);
        HllSketch.checkExactLimit(exactLimit);
        this.initialPrecision = precision;
        this.precision = precision;
        this.exactLimit = exactLimit;
    }

    public void add(HllSketch sketch) {
        changed();
        if (sketch.precision() < precision) {
            lowerPrecision(sketch.precision());
        }
        ExactSet values = sketch.exactSet();
        if (values != null) {
            reserveExact(values.size());
            values.forEach(adder);
            return;
        }
        toDense();
        DenseRegisters.foldInto(registers, precision, sketch.registers(), sketch.precision());
        nonZero = -1;
    }

    /** Adds everything {@code other} holds, without copying it into a sketch first. */
    public void add(Union other) {
        if (other == this) {
            return; // a union of a set with itself is the set
        }
        changed();
        if (other.precision < precision) {
            lowerPrecision(other.precision);
        }
        if (other.exactMode) {
            if (exactMode && exact.size() == 0 && other.exact.size() <= exactLimit) {
                exact.setTo(other.exact); // a union seeded with another (CountBuilder's outer): copy, not rehash
            } else {
                reserveExact(other.exact.size());
                other.exact.forEach(adder);
            }
            return;
        }
        // its listed values: may still be exact; or, only listed, they are all it holds
        if (other.deferred != null && (exactMode || deferred != null || other.listOnly)) {
            // its list repeats values (a user in many hours): its length says nothing about its distinct count
            reserve(other.deferredCount, false);
            for (int i = 0; i < other.deferredCount; i++) {
                addHash(other.deferred[i]);
            }
            return;
        }
        toDense();
        DenseRegisters.foldInto(registers, precision, other.registers, other.precision);
        nonZero = -1;
    }

    /** Adds a serialized sketch; see {@link HllSketch#deserialize(byte[])} for what is rejected. */
    public void add(byte[] serialized) {
        SketchFormat.read(serialized, header); // validates before anything changes
        addChecked(serialized, header);
    }

    /** Adds a sketch checked when it was stored, without checking or decoding it again. */
    public void add(StoredSketch sketch) {
        addChecked(sketch.bytes(), sketch.header());
    }

    private void addChecked(byte[] serialized, SketchFormat.Header read) {
        changed();
        if (read.precision < precision) {
            lowerPrecision(read.precision);
        }
        if (read.mode == SketchFormat.MODE_EXACT) {
            int count = read.exactCount();
            reserveExact(count);
            for (int i = 0; i < count; i++) {
                addHash(SketchFormat.exactHash(serialized, i));
            }
            return;
        }
        toDense();
        if (read.mode == SketchFormat.MODE_SPARSE) {
            int filled = SparseRegisters.applyValidated(
                    serialized, SketchFormat.HEADER_LENGTH, read.payloadLength, read.precision, registers, precision);
            if (nonZero >= 0) {
                nonZero += filled;
            }
            return;
        }
        nonZero = -1;
        if (read.precision == precision) {
            DenseRegisters.unpackMaxInto(serialized, SketchFormat.HEADER_LENGTH, precision, registers);
        } else {
            int count = 1 << read.precision;
            if (scratch == null || scratch.length < count) {
                scratch = new byte[count];
            }
            DenseRegisters.unpack(serialized, SketchFormat.HEADER_LENGTH, read.precision, scratch);
            DenseRegisters.foldInto(registers, precision, scratch, read.precision);
        }
    }

    public void addBase64(String base64) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new SketchFormatException("sketch is not valid base64: " + e.getMessage(), e);
        }
        add(bytes);
    }

    public long estimate() {
        settle();
        if (exactMode) {
            return exact.size();
        }
        if (denseEstimate < 0) {
            long linear = nonZero < 0 ? -1 : StreamLibEstimator.linearCounting(precision, (1 << precision) - nonZero);
            if (linear >= 0) {
                denseEstimate = linear;
            } else {
                int[] zeros = new int[1];
                denseEstimate = StreamLibEstimator.estimate(registers, precision, zeros);
                nonZero = (1 << precision) - zeros[0]; // the pass counted them: no second one for the lower bound
            }
        }
        return denseEstimate;
    }

    /** Whether nothing has been added (or only empty sketches): cheaper than asking for an estimate of 0. */
    public boolean isEmpty() {
        settle();
        return exactMode ? exact.size() == 0 : nonZero() == 0;
    }

    public long lowerBound(int k) {
        ErrorBounds.checkK(k);
        settle();
        if (exactMode) {
            return exact.size();
        }
        return ErrorBounds.lower(estimate(), precision, k, nonZero());
    }

    public long upperBound(int k) {
        ErrorBounds.checkK(k);
        settle();
        if (exactMode) {
            return exact.size();
        }
        return ErrorBounds.upper(estimate(), precision, k);
    }

    public boolean isExact() {
        settle();
        return exactMode;
    }

    /**
     * How many distinct values were added at least: the exact set's size, or the registers set (each by one value
     * at least). More than {@link #exactLimit} proves the union could not be an exact set, whatever its inputs.
     */
    public long provenDistinct() {
        settle();
        return exactMode ? exact.size() : nonZero();
    }

    public int precision() {
        return precision;
    }

    public int exactLimit() {
        return exactLimit;
    }

    /**
     * A new sketch holding the union so far; the union can keep accumulating. An exact one holds its values as a
     * sorted array, 8 bytes a value, not the union's hash table of two to four slots a value: such sketches are
     * cached (block unions), and they are only read.
     */
    public HllSketch toSketch() {
        settle();
        if (exactMode) {
            return new HllSketch(precision, exactLimit, exact.sortedCopy(), null);
        }
        return new HllSketch(precision, exactLimit, null, Arrays.copyOf(registers, 1 << precision));
    }

    /**
     * Bytes of the buffers this union holds and a {@link #reset} keeps for its next use: registers, exact set, list;
     * what a pool of unions holds for each one it keeps.
     */
    public long retainedBytes() {
        long bytes = exact.memoryBytes();
        if (registers != null) {
            bytes += 16L + registers.length;
        }
        for (long[] list : new long[][] {deferred, spareList}) {
            if (list != null) {
                bytes += 16L + 8L * list.length;
            }
        }
        return bytes;
    }

    /**
     * Empties the union and restores its initial precision, keeping its buffers (registers, exact set, list) for reuse:
     * a union lent again by a pool then allocates nothing it already had. The registers are cleared when next needed.
     */
    public void reset() {
        changed();
        exact.clear();
        exactMode = true;
        dropList();
        listOnly = false;
        precision = initialPrecision;
        registersUsed = registers != null;
        nonZero = -1;
    }

    private void changed() {
        denseEstimate = -1;
    }

    private int nonZero() {
        if (nonZero < 0) {
            nonZero = DenseRegisters.nonZeroCount(registers, 1 << precision);
        }
        return nonZero;
    }

    private void addHash(long hash) {
        if (exactMode) {
            if (exact.add(hash) && exact.size() > exactLimit) {
                toDense();
            }
            return;
        }
        if (listOnly) {
            deferred[deferredCount++] = hash; // room made by reserveExact
            return;
        }
        if (DenseRegisters.update(registers, precision, hash) && nonZero >= 0) {
            nonZero++;
        }
        if (deferred != null) {
            if (nonZero > exactLimit) {
                dropList(); // more registers set than the limit: more values too
            } else {
                deferred[deferredCount++] = hash; // room made by reserveExact
            }
        }
    }

    /**
     * Before {@code incoming} exact hashes are added: an input larger than the limit makes the union dense whatever
     * it overlaps, so it turns dense first instead of filling its exact set only to empty it again; a deferred union
     * makes room in its list; an exact one whose set and input pass a sixteenth of the limit defers its set, else
     * makes room in the set.
     */
    private void reserveExact(int incoming) {
        reserve(incoming, true);
    }

    /** As {@link #reserveExact}; {@code distinct} when the incoming hashes are distinct, as a set's are. */
    private void reserve(int incoming, boolean distinct) {
        if (distinct && incoming > exactLimit) {
            toDense();
        } else if (deferred != null) {
            if (listOnly && deferredCount + incoming > exactLimit) {
                applyList(); // the list may pass the limit: the registers tell whether it can still be exact
            }
            if (deferred != null) {
                listRoom(incoming);
            }
        } else if (exactMode) {
            int needed = exact.size() + incoming;
            if (needed > exactLimit / 16) {
                defer(needed);
            } else {
                exact.reserve(needed);
            }
        }
    }

    /** The exact set into the list, with room for {@code needed} hashes in all; registers once it may pass the limit. */
    private void defer(int needed) {
        int length = Math.max(needed, 64);
        long[] list = spareList != null && spareList.length >= length ? spareList : new long[length];
        spareList = null;
        int[] count = {0};
        exact.forEach(hash -> list[count[0]++] = hash);
        exact.clear();
        exactMode = false;
        deferred = list;
        deferredCount = count[0];
        listOnly = true;
        if (needed > exactLimit) {
            applyList();
        }
    }

    /**
     * The listed hashes into the registers (empty until now), counting those set; the list is kept while they prove
     * nothing (at most the limit set), as a deferred union's is.
     */
    private void applyList() {
        listOnly = false;
        emptyRegisters();
        int filled = 0;
        for (int i = 0; i < deferredCount; i++) {
            filled += DenseRegisters.update(registers, precision, deferred[i]) ? 1 : 0;
        }
        nonZero = filled;
        if (nonZero > exactLimit) {
            dropList(); // more registers set than the limit: more values too
        }
    }

    /**
     * Room in the list for {@code incoming} more hashes. A list grown past four times the limit (the same values
     * added again and again) is first cut to its distinct hashes, and dropped if they are more than the limit.
     */
    private void listRoom(int incoming) {
        if ((long) deferredCount + incoming > 4L * (exactLimit + 1)) {
            Arrays.sort(deferred, 0, deferredCount);
            int distinct = 0;
            for (int i = 0; i < deferredCount; i++) {
                if (distinct == 0 || deferred[i] != deferred[distinct - 1]) {
                    deferred[distinct++] = deferred[i];
                }
            }
            deferredCount = distinct;
            if (distinct > exactLimit) {
                dropList();
                return;
            }
        }
        int needed = deferredCount + incoming;
        if (needed > deferred.length) {
            deferred = Arrays.copyOf(deferred, Math.max(needed, 2 * deferred.length));
            spareList = null; // the grown list is the one to keep
        }
    }

    /**
     * Makes the deferred set, if any: exact again when the listed hashes are at most the limit (the registers
     * emptied, as exact mode keeps them), else the registers alone.
     */
    private void settle() {
        if (deferred == null) {
            return;
        }
        long[] list = deferred;
        dropList(); // still read below; only a later defer takes it again
        // only listed, the hashes are at most the limit (repeats included) and the registers were never touched
        boolean inRegisters = !listOnly;
        listOnly = false;
        exact.reserve(Math.min(deferredCount, exactLimit + 1));
        for (int i = 0; i < deferredCount; i++) {
            if (exact.add(list[i]) && exact.size() > exactLimit) {
                exact.clear();
                return;
            }
        }
        if (inRegisters) {
            registersUsed = true; // exact mode's registers are empty: cleared when needed again
        }
        exactMode = true;
    }

    private void toDense() {
        if (listOnly) {
            applyList();
        }
        dropList(); // the registers hold every hash listed
        if (!exactMode) {
            return;
        }
        byte[] target = emptyRegisters();
        int p = precision;
        int[] filled = {0}; // the registers are all empty in exact mode
        exact.forEach(hash -> filled[0] += DenseRegisters.update(target, p, hash) ? 1 : 0);
        nonZero = filled[0];
        exact.clear();
        exactMode = false;
    }

    /** The registers, all zero: allocated on first use, cleared if an earlier use left values in them. */
    private byte[] emptyRegisters() {
        if (registers == null) {
            registers = new byte[1 << initialPrecision];
        } else if (registersUsed) {
            Arrays.fill(registers, (byte) 0);
        }
        registersUsed = false;
        return registers;
    }

    /** Drops the list of deferred hashes, keeping its array for a later {@link #defer}. */
    private void dropList() {
        if (deferred != null && (spareList == null || deferred.length > spareList.length)) {
            spareList = deferred;
        }
        deferred = null;
    }

    private void lowerPrecision(int target) {
        settle(); // the registers' count of those set is about to change
        if (!exactMode) {
            DenseRegisters.foldInPlace(registers, precision, target);
            nonZero = -1;
        }
        precision = target;
    }
}
