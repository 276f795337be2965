package io.sketchgate.uniques;

import java.util.Arrays;

/**
 * Unsigned LEB128 varints, the compact form the catalogue holds its per-document numbers in ({@link PageViewSteps},
 * {@link EventMillis}): seven bits a byte, low bits first, the high bit set on every byte but the last.
 */
final class Varints {
    /** The most bytes a varint of a non-negative long takes. */
    static final int MAX_BYTES = 10;

    private Varints() {}

    /** Appends varints to a buffer that grows as needed. */
    static final class Writer {
        private byte[] out;
        private int length;

        Writer(int expectedBytes) {
            this.out = new byte[Math.max(expectedBytes, MAX_BYTES)];
        }

        /** @param value not negative */
        void write(long value) {
            if (out.length - length < MAX_BYTES) {
                out = Arrays.copyOf(out, out.length * 2);
            }
            long rest = value;
            while (rest >= 0x80) {
                out[length++] = (byte) (rest | 0x80);
                rest >>>= 7;
            }
            out[length++] = (byte) rest;
        }

        byte[] toArray() {
            return Arrays.copyOf(out, length);
        }
    }

    /** Reads varints one by one. */
    static final class Reader {
        private final byte[] bytes;
        private final int maxBytes;
        private int at;

        /** @param maxBytes the longest varint accepted: a longer one is read as malformed */
        Reader(byte[] bytes, int maxBytes) {
            this.bytes = bytes;
            this.maxBytes = maxBytes;
        }

        boolean hasNext() {
            return at < bytes.length;
        }

        /** The next value, or -1 for a varint cut short or longer than {@code maxBytes}. */
        long next() {
            long value = 0;
            int shift = 0;
            byte b;
            do {
                if (at == bytes.length || shift >= 7 * maxBytes) {
                    return -1;
                }
                b = bytes[at++];
                value |= (long) (b & 0x7F) << shift;
                shift += 7;
            } while (b < 0);
            return value;
        }
    }
}
