package io.sketchgate.uniques;

import io.sketchgate.config.UniqueCountDefinition;
import io.sketchgate.hll.HllSketch;
import java.util.Base64;

/**
 * While a granule is computed: for each distinct value hash, the first and the last millisecond of the granule with
 * an event of it, so the stored granule can say which of its values a cut keeps ({@link ValueMinutes}). Stored as
 * {@code value_minutes} (each one's minute, a byte) and {@code value_millis} (its millisecond within that minute,
 * two bytes), so that a document without the second still answers cuts on whole minutes.
 *
 * <p>Kept only while the granule's sketch will be stored as an exact set ({@link HllSketch#DEFAULT_EXACT_LIMIT}
 * values): past that, {@link #record} says so and the caller drops the recorder. Open addressing over a
 * power-of-two {@code long[]}, at most half full, the offsets in parallel {@code int} arrays (a granule has at most
 * {@link UniqueCountDefinition#granulePvSteps 240} minutes); 0 marks a free slot and the value 0 has its own flag.
 */
final class ValueSpanRecorder {
    private static final int LIMIT = HllSketch.DEFAULT_EXACT_LIMIT;
    private static final int MINUTE = (int) UniqueCountDefinition.FINE_PV_STEP.toMillis();

    private long[] slots = new long[16];
    private int[] first = new int[16];
    private int[] last = new int[16];
    private int size;
    private boolean hasZero;
    private int zeroFirst;
    private int zeroLast;

    /**
     * Records an event of {@code hash} at {@code offsetMillis} from the granule's start; false once more values than
     * an exact set holds were seen.
     */
    boolean record(long hash, long offsetMillis) {
        int at = Math.toIntExact(offsetMillis);
        if (hash == 0) {
            if (!hasZero) {
                hasZero = true;
                zeroFirst = at;
                zeroLast = at;
                size++;
            }
            zeroFirst = Math.min(zeroFirst, at);
            zeroLast = Math.max(zeroLast, at);
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
            first[slot] = Math.min(first[slot], at);
            last[slot] = Math.max(last[slot], at);
        }
        return size <= LIMIT;
    }

    /**
     * {@code value_minutes}: two bytes per hash of {@code ascendingHashes} (the stored exact sketch's values, which
     * are exactly the recorded ones), the minutes of its first and last events; base64.
     */
    String encodeMinutes(long[] ascendingHashes) {
        byte[] out = new byte[ascendingHashes.length * 2];
        for (int i = 0; i < ascendingHashes.length; i++) {
            int slot = slotOf(ascendingHashes[i]);
            out[2 * i] = (byte) (firstAt(slot) / MINUTE);
            out[2 * i + 1] = (byte) (lastAt(slot) / MINUTE);
        }
        return Base64.getEncoder().encodeToString(out);
    }

    /**
     * {@code value_millis}: four bytes per hash of {@code ascendingHashes}, the milliseconds within their minutes of
     * its first and last events (two bytes each, big-endian); base64.
     */
    String encodeMillis(long[] ascendingHashes) {
        byte[] out = new byte[ascendingHashes.length * 4];
        for (int i = 0; i < ascendingHashes.length; i++) {
            int slot = slotOf(ascendingHashes[i]);
            putShort(out, 4 * i, firstAt(slot) % MINUTE);
            putShort(out, 4 * i + 2, lastAt(slot) % MINUTE);
        }
        return Base64.getEncoder().encodeToString(out);
    }

    /** A recorded value: its hash and the offsets in milliseconds of its first and last events. */
    @FunctionalInterface
    interface ValueSpan {
        void accept(long hash, int firstMillis, int lastMillis);
    }

    /** Every recorded value, in no particular order. */
    void forEach(ValueSpan consumer) {
        if (hasZero) {
            consumer.accept(0, zeroFirst, zeroLast);
        }
        for (int i = 0; i < slots.length; i++) {
            if (slots[i] != 0) {
                consumer.accept(slots[i], first[i], last[i]);
            }
        }
    }

    /** Bytes of the table: a hash and two offsets a slot. */
    long memoryBytes() {
        return 16L * slots.length;
    }

    /** The slot of a recorded hash; -1 for the value 0. */
    private int slotOf(long hash) {
        if (hash == 0) {
            if (!hasZero) {
                throw new IllegalStateException("a stored value was never recorded");
            }
            return -1;
        }
        int slot = find(slots, hash);
        if (slots[slot] != hash) {
            throw new IllegalStateException("a stored value was never recorded");
        }
        return slot;
    }

    private int firstAt(int slot) {
        return slot < 0 ? zeroFirst : first[slot];
    }

    private int lastAt(int slot) {
        return slot < 0 ? zeroLast : last[slot];
    }

    private static void putShort(byte[] out, int at, int value) {
        out[at] = (byte) (value >>> 8);
        out[at + 1] = (byte) value;
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
        int[] oldFirst = first;
        int[] oldLast = last;
        slots = new long[oldSlots.length * 2];
        first = new int[slots.length];
        last = new int[slots.length];
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
