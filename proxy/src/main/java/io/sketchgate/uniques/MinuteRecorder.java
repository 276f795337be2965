package io.sketchgate.uniques;

import io.sketchgate.hll.HllSketch;
import java.util.Base64;

/**
 * While a granule is computed: for each distinct value hash, the first and the last step (minute of the granule)
 * with an event of it, so the stored granule can say which of its values a cut on a minute keeps
 * ({@link ValueMinutes}).
 *
 * <p>Kept only while the granule's sketch will be stored as an exact set ({@link HllSketch#DEFAULT_EXACT_LIMIT}
 * values): past that, {@link #record} says so and the caller drops the recorder. Open addressing over a
 * power-of-two {@code long[]}, at most half full, the steps in parallel byte arrays (a granule has at most
 * {@link io.sketchgate.config.UniqueCountDefinition#granulePvSteps 240} steps); 0 marks a free slot and the
 * value 0 has its own flag.
 */
final class MinuteRecorder {
    private static final int LIMIT = HllSketch.DEFAULT_EXACT_LIMIT;

    private long[] slots = new long[16];
    private byte[] first = new byte[16];
    private byte[] last = new byte[16];
    private int size;
    private boolean hasZero;
    private byte zeroFirst;
    private byte zeroLast;

    /** Records an event of {@code hash} at {@code step}; false once more values than an exact set holds were seen. */
    boolean record(long hash, int step) {
        byte at = (byte) step;
        if (hash == 0) {
            if (!hasZero) {
                hasZero = true;
                zeroFirst = at;
                zeroLast = at;
                size++;
            }
            zeroFirst = earlier(zeroFirst, at);
            zeroLast = later(zeroLast, at);
            return size <= LIMIT;
        }
        if ((size + 1) * 2 > slots.length) {
            grow();
        }
        int slot = find(slots, hash);
        if (slots[slot] == 0) {
            slots[slot] = hash;
            first[slot] = at;
            last[slot] = at;
            size++;
        } else {
            first[slot] = earlier(first[slot], at);
            last[slot] = later(last[slot], at);
        }
        return size <= LIMIT;
    }

    private static byte earlier(byte a, byte b) {
        return Byte.toUnsignedInt(a) <= Byte.toUnsignedInt(b) ? a : b;
    }

    private static byte later(byte a, byte b) {
        return Byte.toUnsignedInt(a) >= Byte.toUnsignedInt(b) ? a : b;
    }

    /**
     * Two bytes per hash of {@code ascendingHashes} (the stored exact sketch's values, which are exactly the
     * recorded ones): its first and last step; base64.
     */
    String encode(long[] ascendingHashes) {
        byte[] out = new byte[ascendingHashes.length * 2];
        for (int i = 0; i < ascendingHashes.length; i++) {
            long hash = ascendingHashes[i];
            if (hash == 0) {
                out[2 * i] = zeroFirst;
                out[2 * i + 1] = zeroLast;
                continue;
            }
            int slot = find(slots, hash);
            if (slots[slot] != hash) {
                throw new IllegalStateException("a stored value was never recorded");
            }
            out[2 * i] = first[slot];
            out[2 * i + 1] = last[slot];
        }
        return Base64.getEncoder().encodeToString(out);
    }

    int size() {
        return size;
    }

    /** A recorded value: its hash and its first and last step. */
    @FunctionalInterface
    interface ValueSteps {
        void accept(long hash, int first, int last);
    }

    /** Every recorded value, in no particular order. */
    void forEach(ValueSteps consumer) {
        if (hasZero) {
            consumer.accept(0, Byte.toUnsignedInt(zeroFirst), Byte.toUnsignedInt(zeroLast));
        }
        for (int i = 0; i < slots.length; i++) {
            if (slots[i] != 0) {
                consumer.accept(slots[i], Byte.toUnsignedInt(first[i]), Byte.toUnsignedInt(last[i]));
            }
        }
    }

    /** Bytes of the table: a hash and two steps a slot. */
    long memoryBytes() {
        return 10L * slots.length;
    }

    private static int find(long[] table, long hash) {
        int mask = table.length - 1;
        int slot = (int) (hash * 0x9E3779B97F4A7C15L >>> 40) & mask;
        while (table[slot] != 0 && table[slot] != hash) {
            slot = (slot + 1) & mask;
        }
        return slot;
    }

    private void grow() {
        long[] oldSlots = slots;
        byte[] oldFirst = first;
        byte[] oldLast = last;
        slots = new long[oldSlots.length * 2];
        first = new byte[slots.length];
        last = new byte[slots.length];
        for (int i = 0; i < oldSlots.length; i++) {
            if (oldSlots[i] != 0) {
                int slot = find(slots, oldSlots[i]);
                slots[slot] = oldSlots[i];
                first[slot] = oldFirst[i];
                last[slot] = oldLast[i];
            }
        }
    }
}
