package io.sketchgate.hll;

import java.util.Arrays;

/**
 * The exact set of 64-bit value hashes a small sketch keeps before it turns into registers.
 *
 * <p>Open addressing with linear probing over a {@code long[]} whose length is a power of two,
 * kept at most half full so probes stay short. Hash 0 is a legitimate value (it is the hash of
 * the empty string) and is tracked by a flag because 0 marks a free slot. Slots are chosen by a
 * Fibonacci multiply of the key rather than by its top bits, so callers feeding structured
 * values through {@code addHash} (counters, test data) do not cluster.
 *
 * <p>A set decoded from stored bytes starts in <em>sorted</em> form: the array of the format,
 * used as is for size, iteration and re-encoding, and only turned into the hash table by the
 * first {@link #add}. Decoding and reading therefore cost a copy, not a hash-table build.
 *
 * <p>"Exact" means exact up to 64-bit hash collisions: two distinct values with the same hash
 * count once. With n values the chance of any collision is about n²/2⁶⁵, below 10⁻¹² for the
 * largest allowed exact set.
 */
final class ExactSet {

    private static final long FIBONACCI = 0x9E3779B97F4A7C15L;
    private static final int MIN_CAPACITY = 8;
    /**
     * The largest table {@link #clear} keeps (2 KB); a larger one is dropped: a set cleared for reuse (a union lent
     * again) may hold a few values next, and every pass over them walks all its slots.
     */
    private static final int KEPT_CAPACITY = 256;

    /** Ascending unsigned hashes while in sorted form, else null. */
    private long[] sorted;
    /** The hash table; null while in sorted form. */
    private long[] slots;

    private int shift;
    private int size;
    private boolean hasZero;

    ExactSet() {
        this(MIN_CAPACITY);
    }

    ExactSet(int expectedSize) {
        int capacity = MIN_CAPACITY;
        while (capacity < expectedSize * 2) {
            capacity <<= 1;
        }
        allocate(capacity);
    }

    /** A set in sorted form over {@code ascendingUnsigned}, which it takes ownership of. */
    static ExactSet ofSorted(long[] ascendingUnsigned) {
        return new ExactSet(ascendingUnsigned, null, 0, ascendingUnsigned.length, false);
    }

    private ExactSet(long[] sorted, long[] slots, int shift, int size, boolean hasZero) {
        this.sorted = sorted;
        this.slots = slots;
        this.shift = shift;
        this.size = size;
        this.hasZero = hasZero;
    }

    int size() {
        return size;
    }

    /** Bytes of the arrays held: 8 per hash in sorted (decoded) form, 8 per slot as a table. */
    long memoryBytes() {
        long[] array = sorted != null ? sorted : slots;
        return 16L + 8L * (array == null ? 0 : array.length);
    }

    /** Returns true if the hash was not present. */
    boolean add(long hash) {
        if (sorted != null) {
            toTable(sorted.length);
        }
        if (hash == 0) {
            if (hasZero) {
                return false;
            }
            hasZero = true;
            size++;
            return true;
        }
        long[] table = slots;
        int mask = table.length - 1;
        int i = (int) ((hash * FIBONACCI) >>> shift);
        while (true) {
            long current = table[i];
            if (current == hash) {
                return false;
            }
            if (current == 0) {
                table[i] = hash;
                size++;
                if (size * 2 > table.length) {
                    grow();
                }
                return true;
            }
            i = (i + 1) & mask;
        }
    }

    /**
     * Makes room for {@code expectedSize} hashes in one rehash, so a union about to add a known number of values does
     * not double its table (and re-insert everything) again and again on the way.
     */
    void reserve(int expectedSize) {
        if (sorted != null) {
            toTable(expectedSize);
            return;
        }
        int capacity = slots.length;
        while (capacity < expectedSize * 2 + 2) {
            capacity <<= 1;
        }
        if (capacity != slots.length) {
            rehash(capacity);
        }
    }

    /** Calls the consumer once per hash, in table order; does not modify the set. */
    void forEach(HashConsumer consumer) {
        if (sorted != null) {
            for (long hash : sorted) {
                consumer.accept(hash);
            }
            return;
        }
        if (hasZero) {
            consumer.accept(0L);
        }
        for (long hash : slots) {
            if (hash != 0) {
                consumer.accept(hash);
            }
        }
    }

    /**
     * The hashes in ascending unsigned order: the canonical order of the serialized form. The
     * caller must not modify the array (in sorted form it is the set's own).
     */
    long[] sortedHashes() {
        if (sorted != null) {
            return sorted;
        }
        long[] out = new long[size];
        int n = 0;
        if (hasZero) {
            out[n++] = 0;
        }
        for (long hash : slots) {
            if (hash != 0) {
                out[n++] = hash;
            }
        }
        // Sorting with the sign bit flipped orders signed longs as unsigned ones.
        for (int i = 0; i < n; i++) {
            out[i] ^= Long.MIN_VALUE;
        }
        Arrays.sort(out);
        for (int i = 0; i < n; i++) {
            out[i] ^= Long.MIN_VALUE;
        }
        return out;
    }

    ExactSet copy() {
        if (sorted != null) {
            return ofSorted(sorted.clone());
        }
        return new ExactSet(null, slots.clone(), shift, size, hasZero);
    }

    /** A copy in sorted form, whatever this one's: 8 bytes a value, for a set that will only be read. */
    ExactSet sortedCopy() {
        return ofSorted(sorted != null ? sorted.clone() : sortedHashes()); // a table's sortedHashes is a new array
    }

    /** Becomes a copy of {@code other}: one array copy instead of a hash insert per value. */
    void setTo(ExactSet other) {
        sorted = other.sorted == null ? null : other.sorted.clone();
        slots = other.slots == null ? null : other.slots.clone();
        shift = other.shift;
        size = other.size;
        hasZero = other.hasZero;
    }

    void clear() {
        if (sorted != null) {
            sorted = null;
            allocate(MIN_CAPACITY);
        } else if (slots.length > KEPT_CAPACITY) {
            allocate(MIN_CAPACITY); // its next use may be small: a pass over its values would walk every slot
        } else if (size > (hasZero ? 1 : 0)) { // nothing is ever removed: no hash in a slot, all slots are empty
            Arrays.fill(slots, 0);
        }
        size = 0;
        hasZero = false;
    }

    private void toTable(int expectedSize) {
        long[] values = sorted;
        sorted = null;
        int capacity = MIN_CAPACITY;
        while (capacity < Math.max(values.length, expectedSize) * 2 + 2) {
            capacity <<= 1;
        }
        allocate(capacity);
        size = 0;
        for (long hash : values) {
            if (hash == 0) {
                hasZero = true;
                size++;
            } else {
                insertFresh(hash);
            }
        }
    }

    private void grow() {
        rehash(slots.length * 2);
    }

    private void rehash(int capacity) {
        long[] old = slots;
        allocate(capacity);
        size = hasZero ? 1 : 0;
        for (long hash : old) {
            if (hash != 0) {
                insertFresh(hash);
            }
        }
    }

    private void insertFresh(long hash) {
        int mask = slots.length - 1;
        int i = (int) ((hash * FIBONACCI) >>> shift);
        while (slots[i] != 0) {
            i = (i + 1) & mask;
        }
        slots[i] = hash;
        size++;
    }

    private void allocate(int capacity) {
        slots = new long[capacity];
        shift = 64 - Integer.numberOfTrailingZeros(capacity);
    }

    /** A primitive callback, so iterating a set does not box every hash. */
    @FunctionalInterface
    interface HashConsumer {
        void accept(long hash);
    }
}
