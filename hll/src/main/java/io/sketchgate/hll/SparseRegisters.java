package io.sketchgate.hll;

/**
 * The serialized form of registers when few are non-zero: a list of (index, value) entries.
 *
 * <p>Listing the non-empty registers costs one or two bytes each against 5 bits for every
 * register in the packed form, so from the exact limit up to about 0.75 · 2^p values the list is
 * shorter: at p = 14, 2,048 values take about 3 KB and 8,192 about 7 KB instead of 10 KB
 * ({@code SketchSizeReport}). The encoder picks whichever form is shorter; in memory both are
 * the same byte registers.
 *
 * <p>Each entry is one unsigned LEB128 varint of {@code (gap << 5) | value}, where value is the
 * register (1..31) and gap = index − previous index − 1 (the first entry's gap is its index), so
 * indices strictly increase by construction. At p ≤ 18 an entry fits in 4 bytes; a decoder
 * rejects longer or non-minimal varints, values of 0, and indices past 2^p.
 */
final class SparseRegisters {

    private static final int VALUE_BITS = 5;
    private static final int VALUE_MASK = (1 << VALUE_BITS) - 1;
    private static final int MAX_VARINT_BYTES = 4;

    private SparseRegisters() {}

    /**
     * Length of the sparse form of {@code registers}, or -1 if it is not below {@code limit}.
     *
     * <p>Here and in {@link #encode} every register costs the same straight-line work: whether a
     * register is empty is a coin flip in the middle range, and a branch on it mispredicted half
     * the time (it made serializing a 10k-value sketch ~30 µs).
     */
    static int encodedLength(byte[] registers, int precision, int limit) {
        int count = 1 << precision;
        if (DenseRegisters.nonZeroCount(registers, count) >= limit) {
            return -1; // every entry takes at least one byte
        }
        int length = 0;
        int gap = 0;
        for (int i = 0; i < count; i++) {
            int value = registers[i];
            int nonZero = -value >>> 31;
            int entry = (gap << VALUE_BITS) | value;
            int bytes = 1 + ((127 - entry) >>> 31) + ((16_383 - entry) >>> 31) + ((2_097_151 - entry) >>> 31);
            length += bytes & -nonZero;
            gap = (gap + 1) & (nonZero - 1);
        }
        return length < limit ? length : -1;
    }

    /**
     * Writes the entries at {@code offset}; returns their length. {@code out} must have two spare
     * bytes past the entries (the format's checksum, written afterwards): one- and two-byte entries
     * are written as two bytes unconditionally and the position advances by the real length.
     */
    static int encode(byte[] registers, int precision, byte[] out, int offset) {
        int count = 1 << precision;
        int o = offset;
        int gap = 0;
        for (int i = 0; i < count; i++) {
            int value = registers[i];
            int nonZero = -value >>> 31;
            int entry = (gap << VALUE_BITS) | value;
            if ((entry & -nonZero) >= 16_384) {
                // three or four bytes: a gap of 512 or more empty registers
                while ((entry & ~0x7f) != 0) {
                    out[o++] = (byte) ((entry & 0x7f) | 0x80);
                    entry >>>= 7;
                }
                out[o++] = (byte) entry;
            } else {
                int two = (127 - entry) >>> 31;
                out[o] = (byte) (entry | (two << 7));
                out[o + 1] = (byte) (entry >>> 7);
                o += (1 + two) & -nonZero;
            }
            gap = (gap + 1) & (nonZero - 1);
        }
        return o - offset;
    }

    /**
     * Checks a payload without side effects, and throws with a message saying what is wrong.
     *
     * <p>{@code in} must extend at least one byte past the payload (the format's checksum does):
     * entries of one or two bytes, nearly all of them, are decoded without a data-dependent
     * branch, because which of the two a gap needs is random and a mispredicted branch per entry
     * doubled the cost of a 2,160-bucket union. Problems are collected in a flag and explained by
     * a second, careful pass only when there is one.
     */
    static void validate(byte[] in, int offset, int length, int precision) {
        decodeChecked(in, offset, length, precision, null);
    }

    /**
     * Validates and, when {@code target} is not null, writes the registers into it (same
     * precision) in the same pass. Only for a target that is discarded if this throws, such as
     * the registers of a sketch being decoded; a union must {@link #validate} first.
     */
    static void decodeChecked(byte[] in, int offset, int length, int precision, byte[] target) {
        int end = offset + length;
        int o = offset;
        int index = -1;
        int count = 1 << precision;
        int bad = 0;
        while (o < end) {
            int b0 = in[o];
            int b1 = in[o + 1];
            int entry;
            if ((b0 & b1) < 0) {
                // three or four bytes: rare, checked one byte at a time
                int start = o;
                entry = b0 & 0x7f;
                int shift = 7;
                o++;
                int b;
                do {
                    if (o == end || o - start == MAX_VARINT_BYTES) {
                        bad = 1;
                        break;
                    }
                    b = in[o++];
                    entry |= (b & 0x7f) << shift;
                    shift += 7;
                } while (b < 0);
                if (bad != 0) {
                    break;
                }
                bad |= in[o - 1] == 0 ? 1 : 0;
            } else {
                int two = b0 >>> 31;
                entry = (b0 & 0x7f) | (((b1 & 0x7f) << 7) & -two);
                bad |= two & (b1 == 0 ? 1 : 0);
                o += 1 + two;
            }
            bad |= (entry & VALUE_MASK) == 0 ? 1 : 0;
            index += (entry >>> VALUE_BITS) + 1;
            if (index >= count) {
                bad = 1;
                break;
            }
            if (target != null) {
                target[index] = (byte) (entry & VALUE_MASK);
            }
        }
        if (bad != 0 || o != end) {
            explain(in, offset, length, precision);
            throw malformed(0, "is malformed");
        }
    }

    /** The careful pass behind {@link #validate}: throws for the first bad entry. */
    private static void explain(byte[] in, int offset, int length, int precision) {
        int end = offset + length;
        int o = offset;
        int index = -1;
        int count = 1 << precision;
        while (o < end) {
            int start = o;
            int entry = in[o++];
            if (entry < 0) {
                entry &= 0x7f;
                int shift = 7;
                while (true) {
                    if (o == end) {
                        throw malformed(start - offset, "is cut off");
                    }
                    if (o - start == MAX_VARINT_BYTES) {
                        throw malformed(start - offset, "is too long");
                    }
                    int b = in[o++];
                    entry |= (b & 0x7f) << shift;
                    if (b >= 0) {
                        if (b == 0) {
                            throw malformed(start - offset, "is not minimal");
                        }
                        break;
                    }
                    shift += 7;
                }
            }
            if ((entry & VALUE_MASK) == 0) {
                throw malformed(start - offset, "has register value 0");
            }
            index += (entry >>> VALUE_BITS) + 1;
            if (index >= count) {
                throw malformed(
                        start - offset, "names register " + index + ", precision " + precision + " has " + count);
            }
        }
    }

    /**
     * Folds a payload that {@link #validate} accepted into {@code target} at
     * {@code targetPrecision} (at most {@code precision}), without repeating the checks: a union
     * reads every stored bucket through here, so this is the hot loop. Same decoding and the
     * same one-byte-past-the-payload requirement as {@link #validate}. Returns how many target registers were empty
     * and are no longer.
     */
    static int applyValidated(byte[] in, int offset, int length, int precision, byte[] target, int targetPrecision) {
        int filled = 0;
        int end = offset + length;
        int o = offset;
        int index = -1;
        boolean fold = precision != targetPrecision;
        while (o < end) {
            int b0 = in[o];
            int b1 = in[o + 1];
            int entry;
            if ((b0 & b1) < 0) {
                entry = b0 & 0x7f;
                int shift = 7;
                o++;
                int b;
                do {
                    b = in[o++];
                    entry |= (b & 0x7f) << shift;
                    shift += 7;
                } while (b < 0);
            } else {
                int two = b0 >>> 31;
                entry = (b0 & 0x7f) | (((b1 & 0x7f) << 7) & -two);
                o += 1 + two;
            }
            index += (entry >>> VALUE_BITS) + 1;
            int value = entry & VALUE_MASK;
            if (fold) {
                filled += DenseRegisters.foldOne(target, targetPrecision, index, value, precision) ? 1 : 0;
            } else {
                int old = target[index];
                if (old < value) {
                    target[index] = (byte) value;
                    filled += old == 0 ? 1 : 0;
                }
            }
        }
        return filled;
    }

    private static SketchFormatException malformed(int position, String problem) {
        return new SketchFormatException("sparse entry at payload byte " + position + " " + problem);
    }
}
