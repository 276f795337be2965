package io.sketchgate.uniques;

import java.util.function.LongConsumer;

/**
 * A set of 64-bit value hashes without boxing: open addressing with linear probing over a power-of-two
 * {@code long[]}, at most 2/3 full.
 *
 * <p>Memory: 8 bytes per slot, and slots are 1.5–3× the size, so 12–24 bytes per distinct value (a
 * {@code HashSet<Long>} takes about 50). The hashes are already uniformly distributed (MurmurHash3), so the
 * slot is taken from the high bits directly. {@code 0} marks an empty slot; the value 0 itself is tracked by a
 * flag.
 */
final class LongHashSet {
    private static final int MIN_CAPACITY = 16;

    private long[] slots;
    private int size;
    private boolean hasZero;

    LongHashSet() {
        slots = new long[MIN_CAPACITY];
    }

    /** Returns whether {@code value} was new. */
    boolean add(long value) {
        if (value == 0) {
            if (hasZero) {
                return false;
            }
            hasZero = true;
            size++;
            return true;
        }
        if ((size + 1) * 3L > slots.length * 2L) {
            grow();
        }
        if (insert(slots, value)) {
            size++;
            return true;
        }
        return false;
    }

    void addAll(LongHashSet other) {
        if (other.hasZero) {
            add(0);
        }
        for (long value : other.slots) {
            if (value != 0) {
                add(value);
            }
        }
    }

    boolean contains(long value) {
        if (value == 0) {
            return hasZero;
        }
        int mask = slots.length - 1;
        for (int i = index(value, mask); ; i = (i + 1) & mask) {
            if (slots[i] == value) {
                return true;
            }
            if (slots[i] == 0) {
                return false;
            }
        }
    }

    int size() {
        return size;
    }

    /** Bytes held by the slots: what the documented memory bound counts. */
    long memoryBytes() {
        return 8L * slots.length;
    }

    void forEach(LongConsumer action) {
        if (hasZero) {
            action.accept(0);
        }
        for (long value : slots) {
            if (value != 0) {
                action.accept(value);
            }
        }
    }

    private static boolean insert(long[] table, long value) {
        int mask = table.length - 1;
        for (int i = index(value, mask); ; i = (i + 1) & mask) {
            if (table[i] == value) {
                return false;
            }
            if (table[i] == 0) {
                table[i] = value;
                return true;
            }
        }
    }

    private void grow() {
        long[] old = slots;
        slots = new long[old.length * 2];
        for (long value : old) {
            if (value != 0) {
                insert(slots, value);
            }
        }
    }

    private static int index(long value, int mask) {
        // fold the high half in: the low bits alone would do for Murmur3, but not for arbitrary callers
        return (int) (value ^ (value >>> 32)) * 0x9E3779B9 >>> 1 & mask;
    }
}
