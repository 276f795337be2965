package io.sketchgate.hll;

import java.nio.charset.StandardCharsets;

/**
 * Sketchgate's value hash, identical in the batch job, the real-time tailer and any client.
 *
 * <p>A value is hashed as MurmurHash3 x64 128 of its UTF-8 bytes with seed 0, keeping the first
 * 64-bit half ({@code h1}). Numbers are first spelled in their canonical decimal form (see
 * {@link #canonical(double)}), so {@code hash(42L) == hash("42") == hash(42.0)}. Strings are
 * hashed exactly as given: {@code "42.0"} and {@code " 42"} are other values than {@code 42}.
 *
 * <p>The function is recorded as hash id {@value #HASH_ID} in every serialized sketch. It must
 * never change; a different hash would need a new id, and sketches of different ids never merge.
 */
public final class SketchHash {

    /** Format hash id of "MurmurHash3 x64 128, h1, seed 0, UTF-8 of the canonical spelling". */
    public static final int HASH_ID = 1;

    private SketchHash() {}

    public static long hash(String value) {
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        return Murmur3.hash64(utf8, 0, utf8.length);
    }

    public static long hash(long value) {
        // Long.MIN_VALUE has 20 characters: '-' and 19 digits.
        byte[] digits = new byte[20];
        int pos = digits.length;
        long rest = value;
        do {
            digits[--pos] = (byte) ('0' + Math.abs(rest % 10));
            rest /= 10;
        } while (rest != 0);
        if (value < 0) {
            digits[--pos] = '-';
        }
        return Murmur3.hash64(digits, pos, digits.length - pos);
    }

    public static long hash(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 0x1p63) {
            return hash((long) value);
        }
        return hash(CanonicalNumber.of(value));
    }

    /**
     * The decimal spelling a number is hashed as: integers as {@link Long#toString(long)}, other
     * doubles as the shortest round-tripping decimal in plain notation (e.g. {@code 1.5},
     * {@code 0.001}, never {@code 1.5E-3}). Non-finite values throw {@link IllegalArgumentException}.
     */
    public static String canonical(double value) {
        return CanonicalNumber.of(value);
    }
}
