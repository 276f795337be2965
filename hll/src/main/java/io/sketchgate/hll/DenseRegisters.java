package io.sketchgate.hll;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * HyperLogLog registers, one byte each, updated by stream-lib's HyperLogLog++ rule.
 *
 * <p>A 64-bit hash {@code h} at precision {@code p} goes to register {@code h >>> (64 - p)} (its
 * top p bits) with rank {@code nlz((h << p) | 1 << (p - 1)) + 1}: one more than the number of
 * leading zeros in the remaining bits, the sentinel bit bounding it at {@code 65 - p}. This is
 * {@code HyperLogLogPlus.offerHashed} in normal mode, bit for bit, except that a rank above
 * {@value #MAX_VALUE} saturates: stream-lib stores 5-bit registers and shifts a wider rank into
 * the neighbouring register (probability 2⁻³¹ per value), which we do not copy.
 * {@code StreamLibCompatibilityTest} checks that registers and estimates match stream-lib.
 *
 * <p>Folding to a lower precision q &lt; p follows from the rule: the d = p − q low bits of the
 * old index become the first bits after the new index, so a register whose dropped index bits
 * are not all zero gets rank {@code nlz_d(low) + 1}, and one whose dropped bits are zero gets
 * {@code rank + d}. The result equals the sketch built at q from the same values.
 *
 * <p>Registers are kept as bytes rather than stream-lib's packed words because the union of
 * thousands of sketches is a tight max loop over them; the serialized form packs 5 bits each.
 */
final class DenseRegisters {

    /** Largest register value: stream-lib's 5-bit register width. */
    static final int MAX_VALUE = 31;

    /** Eight registers read or written as one little-endian long. */
    static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private static final long HIGH_BITS = 0x8080808080808080L;
    /** Eight 5-bit registers: 40 bits, 5 bytes. */
    private static final long GROUP_MASK = 0xFF_FFFF_FFFFL;

    private DenseRegisters() {}

    static int index(long hash, int precision) {
        return (int) (hash >>> (64 - precision));
    }

    static int rank(long hash, int precision) {
        int rank = Long.numberOfLeadingZeros((hash << precision) | (1L << (precision - 1))) + 1;
        return Math.min(rank, MAX_VALUE);
    }

    /** Returns true when the register was empty: a union counts its non-empty registers as it goes. */
    static boolean update(byte[] registers, int precision, long hash) {
        int index = (int) (hash >>> (64 - precision));
        int rank = rank(hash, precision);
        int old = registers[index];
        if (old < rank) {
            registers[index] = (byte) rank;
            return old == 0;
        }
        return false;
    }

    /**
     * Register-wise maximum of {@code source} into {@code target}, both at the same precision.
     *
     * <p>The union of thousands of sketches is this loop, so it works on eight registers per
     * 64-bit word (SWAR): registers are at most 31, so with the top bit of every byte of x set,
     * {@code (x | H) - y} cannot borrow across bytes and leaves that top bit set exactly where
     * x ≥ y; spreading it to a byte mask selects the larger byte. Measured 25 µs instead of
     * 700 µs for 90 registers arrays at p = 14 against the byte-by-byte loop.
     */
    static void maxInto(byte[] target, byte[] source, int count) {
        for (int i = 0; i < count; i += 8) {
            long x = (long) LONGS.get(target, i);
            long y = (long) LONGS.get(source, i);
            LONGS.set(target, i, max8(x, y));
        }
    }

    /** Byte-wise maximum of eight registers (each 0..31) packed in a long. */
    static long max8(long x, long y) {
        long xGreaterOrEqual = ((x | HIGH_BITS) - y) & HIGH_BITS;
        long mask = (xGreaterOrEqual >>> 7) * 0xFF;
        return (x & mask) | (y & ~mask);
    }

    /** Folds registers of precision {@code sourcePrecision} into {@code target} at a lower or equal one. */
    static void foldInto(byte[] target, int targetPrecision, byte[] source, int sourcePrecision) {
        int shift = sourcePrecision - targetPrecision;
        if (shift == 0) {
            maxInto(target, source, 1 << sourcePrecision);
            return;
        }
        int sourceCount = 1 << sourcePrecision;
        for (int i = 0; i < sourceCount; i++) {
            int value = source[i];
            if (value != 0) {
                int folded = foldedRank(i, value, shift);
                int j = i >>> shift;
                if (target[j] < folded) {
                    target[j] = (byte) folded;
                }
            }
        }
    }

    /** Lowers the precision of {@code registers} in place; entries past the new count become 0. */
    static void foldInPlace(byte[] registers, int fromPrecision, int toPrecision) {
        int shift = fromPrecision - toPrecision;
        if (shift == 0) {
            return;
        }
        int targetCount = 1 << toPrecision;
        int group = 1 << shift;
        // Target j only reads sources [j*group, (j+1)*group), all >= j and not yet overwritten.
        for (int j = 0; j < targetCount; j++) {
            int max = 0;
            int base = j << shift;
            for (int k = 0; k < group; k++) {
                int value = registers[base + k];
                if (value != 0) {
                    max = Math.max(max, foldedRank(base + k, value, shift));
                }
            }
            registers[j] = (byte) max;
        }
        java.util.Arrays.fill(registers, targetCount, 1 << fromPrecision, (byte) 0);
    }

    /**
     * Folds one register (index, value) of precision {@code sourcePrecision} into {@code target}; returns true when
     * the target register was empty and is no longer.
     */
    static boolean foldOne(byte[] target, int targetPrecision, int index, int value, int sourcePrecision) {
        int shift = sourcePrecision - targetPrecision;
        int folded = shift == 0 ? value : foldedRank(index, value, shift);
        int j = index >>> shift;
        int old = target[j];
        if (old < folded) {
            target[j] = (byte) folded;
            return old == 0;
        }
        return false;
    }

    private static int foldedRank(int sourceIndex, int value, int shift) {
        int low = sourceIndex & ((1 << shift) - 1);
        if (low != 0) {
            return Integer.numberOfLeadingZeros(low) - (Integer.SIZE - shift) + 1;
        }
        return Math.min(value + shift, MAX_VALUE);
    }

    static int nonZeroCount(byte[] registers, int count) {
        int n = 0;
        for (int i = 0; i < count; i += 8) {
            // A register byte (0..31) plus 0x7F reaches the byte's top bit exactly when it is not 0.
            n += Long.bitCount(((long) LONGS.get(registers, i) + 0x7F7F7F7F7F7F7F7FL) & HIGH_BITS);
        }
        return n;
    }

    /** Bytes of the packed form: 5 bits per register; a whole number of bytes for p >= 3. */
    static int packedLength(int precision) {
        return (5 << precision) >>> 3;
    }

    /**
     * Packs 5 bits per register, least significant bits first: register i occupies bits
     * [5i, 5i + 5) of the little-endian bit string, so 8 registers fill 5 bytes.
     */
    static void pack(byte[] registers, int precision, byte[] out, int offset) {
        int count = 1 << precision;
        int o = offset;
        int i = 0;
        // Whole-word writes spill 3 bytes past the group, overwritten by the next group or, after
        // the last one, by the format's checksum; the tail loop covers buffers without that room.
        for (int fast = Math.min(count, (out.length - 3 - offset) / 5 * 8); i < fast; i += 8, o += 5) {
            LONGS.set(out, o, gather((long) LONGS.get(registers, i)));
        }
        for (; i < count; i += 8, o += 5) {
            long group = gather((long) LONGS.get(registers, i));
            for (int k = 0; k < 5; k++) {
                out[o + k] = (byte) (group >>> (8 * k));
            }
        }
    }

    /** Inverse of {@link #spread}: eight one-byte registers to eight 5-bit fields in 40 bits. */
    static long gather(long x) {
        x = (x & 0x001F001F001F001FL) | ((x & 0x1F001F001F001F00L) >>> 3);
        x = (x & 0x000003FF000003FFL) | ((x & 0x03FF000003FF0000L) >>> 6);
        return (x & 0xFFFFFL) | ((x & 0x000FFFFF00000000L) >>> 12);
    }

    static void unpack(byte[] in, int offset, int precision, byte[] registers) {
        int count = 1 << precision;
        int o = offset;
        int i = 0;
        // Whole-word reads need 3 bytes past the last group; the format's 4-byte checksum provides them.
        for (int fast = Math.min(count, (in.length - 3 - offset) / 5 * 8); i < fast; i += 8, o += 5) {
            LONGS.set(registers, i, spread((long) LONGS.get(in, o) & GROUP_MASK));
        }
        for (; i < count; i += 8, o += 5) {
            LONGS.set(registers, i, spread(readGroup(in, o)));
        }
    }

    /** Unpacks and takes the maximum in one pass, for unions read straight from stored bytes. */
    static void unpackMaxInto(byte[] in, int offset, int precision, byte[] registers) {
        int count = 1 << precision;
        int o = offset;
        int i = 0;
        for (int fast = Math.min(count, (in.length - 3 - offset) / 5 * 8); i < fast; i += 8, o += 5) {
            long y = spread((long) LONGS.get(in, o) & GROUP_MASK);
            LONGS.set(registers, i, max8((long) LONGS.get(registers, i), y));
        }
        for (; i < count; i += 8, o += 5) {
            long y = spread(readGroup(in, o));
            LONGS.set(registers, i, max8((long) LONGS.get(registers, i), y));
        }
    }

    /**
     * Spreads eight 5-bit fields (bits 5k..5k+4) to one byte each (byte k), halving the field
     * groups at each step: 4+4 fields into 32-bit lanes, 2+2 into 16-bit lanes, 1+1 into bytes.
     */
    static long spread(long group) {
        long x = (group & 0xFFFFFL) | ((group & 0xFFFFF00000L) << 12);
        x = (x & 0x000003FF000003FFL) | ((x & 0x000FFC00000FFC00L) << 6);
        return (x & 0x001F001F001F001FL) | ((x & 0x03E003E003E003E0L) << 3);
    }

    private static long readGroup(byte[] in, int o) {
        return (in[o] & 0xffL)
                | (in[o + 1] & 0xffL) << 8
                | (in[o + 2] & 0xffL) << 16
                | (in[o + 3] & 0xffL) << 24
                | (in[o + 4] & 0xffL) << 32;
    }
}
