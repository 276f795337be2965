package io.sketchgate.hll;

/**
 * The serialized form of registers when few are non-zero: a list of (index, value) entries.
 *
 * <p>Between the exact limit and roughly a third of the register count most registers are
 * still empty, and listing the non-empty ones costs about 2 bytes each against 5 bits for every
 * register of the packed form: at p = 14, 2,048 values take about 4 KB instead of 10 KB. The
 * encoder picks whichever form is smaller; in memory both are the same byte registers.
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

  /** Length of the sparse form of {@code registers}, or -1 once it reaches {@code limit}. */
  static int encodedLength(byte[] registers, int precision, int limit) {
    int count = 1 << precision;
    if (DenseRegisters.nonZeroCount(registers, count) >= limit) {
      return -1; // every entry takes at least one byte
    }
    int length = 0;
    int previous = -1;
    for (int i = 0; i < count; i++) {
      int value = registers[i];
      if (value != 0) {
        length += varintLength(((i - previous - 1) << VALUE_BITS) | value);
        previous = i;
        if (length >= limit) {
          return -1;
        }
      }
    }
    return length;
  }

  static int encode(byte[] registers, int precision, byte[] out, int offset) {
    int count = 1 << precision;
    int o = offset;
    int previous = -1;
    for (int i = 0; i < count; i++) {
      int value = registers[i];
      if (value != 0) {
        int entry = ((i - previous - 1) << VALUE_BITS) | value;
        while ((entry & ~0x7f) != 0) {
          out[o++] = (byte) ((entry & 0x7f) | 0x80);
          entry >>>= 7;
        }
        out[o++] = (byte) entry;
        previous = i;
      }
    }
    return o - offset;
  }

  /** Checks a payload without side effects; the message says what is wrong. */
  static void validate(byte[] in, int offset, int length, int precision) {
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
        throw malformed(start - offset,
            "names register " + index + ", precision " + precision + " has " + count);
      }
    }
  }

  /**
   * Folds a payload that {@link #validate} accepted into {@code target} at
   * {@code targetPrecision} (at most {@code precision}), without repeating the checks: a union
   * reads every stored bucket through here, so this is the hot loop.
   */
  static void applyValidated(byte[] in, int offset, int length, int precision, byte[] target,
      int targetPrecision) {
    int end = offset + length;
    int o = offset;
    int index = -1;
    boolean fold = precision != targetPrecision;
    while (o < end) {
      int entry = in[o++];
      if (entry < 0) {
        entry &= 0x7f;
        int shift = 7;
        int b;
        do {
          b = in[o++];
          entry |= (b & 0x7f) << shift;
          shift += 7;
        } while (b < 0);
      }
      index += (entry >>> VALUE_BITS) + 1;
      int value = entry & VALUE_MASK;
      if (fold) {
        DenseRegisters.foldOne(target, targetPrecision, index, value, precision);
      } else if (target[index] < value) {
        target[index] = (byte) value;
      }
    }
  }

  private static SketchFormatException malformed(int position, String problem) {
    return new SketchFormatException("sparse entry at payload byte " + position + " " + problem);
  }

  private static int varintLength(int value) {
    int bytes = 1;
    while ((value & ~0x7f) != 0) {
      value >>>= 7;
      bytes++;
    }
    return bytes;
  }
}
