package io.sketchgate.hll;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * Sketchgate's binary sketch format, version {@value #VERSION}; {@code hll/FORMAT.md} is the
 * reference. All integers are big-endian.
 *
 * <pre>
 * offset  size  field
 * 0       4     magic "SGHL" (0x53 0x47 0x48 0x4C)
 * 4       1     format version = 1
 * 5       1     mode: 0 = EXACT, 1 = SPARSE, 2 = DENSE
 * 6       1     precision p, 4..18
 * 7       1     hash id, 1 = MurmurHash3 x64 128 h1, seed 0, UTF-8 (see SketchHash)
 * 8       4     exact limit, 1..65536
 * 12      4     payload length L
 * 16      L     payload
 * 16 + L  4     CRC-32C of bytes [0, 16 + L)
 *
 * EXACT payload: L / 8 hashes of 8 bytes, strictly ascending as unsigned numbers, at most
 *                exact-limit of them.
 * SPARSE payload: the non-zero registers, each as one unsigned LEB128 varint of
 *                (gap << 5 | value), gap = index - previous index - 1 (first: index), value 1..31;
 *                written instead of DENSE when it is shorter (see SparseRegisters).
 * DENSE payload: 2^p registers of 5 bits, register i in bits [5i, 5i + 5) of the payload read
 *                as a little-endian bit string (8 registers per 5 bytes), L = 5 * 2^p / 8.
 * </pre>
 *
 * <p>Decoding checks the declared length against the bytes actually present before it
 * allocates anything, so a forged length cannot cause a large allocation, and the checksum
 * before it interprets the payload, so a flipped bit is an exception and not a wrong count.
 */
final class SketchFormat {

    static final int MAGIC = 0x5347484C;
    static final int VERSION = 1;
    static final int MODE_EXACT = 0;
    static final int MODE_SPARSE = 1;
    static final int MODE_DENSE = 2;
    static final int HEADER_LENGTH = 16;
    static final int TRAILER_LENGTH = 4;
    static final int MIN_LENGTH = HEADER_LENGTH + TRAILER_LENGTH;

    private SketchFormat() {}

    static byte[] encodeExact(int precision, int exactLimit, long[] sortedHashes) {
        int payload = 8 * sortedHashes.length;
        ByteBuffer out = header(MODE_EXACT, precision, exactLimit, payload);
        for (long hash : sortedHashes) {
            out.putLong(hash);
        }
        return finish(out);
    }

    /**
     * Registers as SPARSE when that is shorter than DENSE, else as DENSE. The sparse form is
     * written in one pass into a buffer big enough for its worst case (4 bytes an entry) and
     * trimmed, rather than measured first and written second.
     */
    static byte[] encodeRegisters(int precision, int exactLimit, byte[] registers) {
        int dense = DenseRegisters.packedLength(precision);
        int nonZero = DenseRegisters.nonZeroCount(registers, 1 << precision);
        if (nonZero < dense) {
            ByteBuffer out = ByteBuffer.allocate(MIN_LENGTH + 4 * nonZero);
            int sparse = SparseRegisters.encode(registers, precision, out.array(), HEADER_LENGTH);
            if (sparse < dense) {
                writeHeader(out, MODE_SPARSE, precision, exactLimit, sparse);
                out.position(HEADER_LENGTH + sparse);
                byte[] trimmed = finish(out);
                return trimmed.length == HEADER_LENGTH + sparse + TRAILER_LENGTH
                        ? trimmed
                        : java.util.Arrays.copyOf(trimmed, HEADER_LENGTH + sparse + TRAILER_LENGTH);
            }
        }
        ByteBuffer out = header(MODE_DENSE, precision, exactLimit, dense);
        DenseRegisters.pack(registers, precision, out.array(), HEADER_LENGTH);
        out.position(HEADER_LENGTH + dense);
        return finish(out);
    }

    private static ByteBuffer header(int mode, int precision, int exactLimit, int payload) {
        ByteBuffer out = ByteBuffer.allocate(MIN_LENGTH + payload);
        writeHeader(out, mode, precision, exactLimit, payload);
        return out;
    }

    private static void writeHeader(ByteBuffer out, int mode, int precision, int exactLimit, int payload) {
        out.position(0);
        out.putInt(MAGIC);
        out.put((byte) VERSION);
        out.put((byte) mode);
        out.put((byte) precision);
        out.put((byte) SketchHash.HASH_ID);
        out.putInt(exactLimit);
        out.putInt(payload);
    }

    private static byte[] finish(ByteBuffer out) {
        CRC32C crc = new CRC32C();
        crc.update(out.array(), 0, out.position());
        out.putInt((int) crc.getValue());
        return out.array();
    }

    /**
     * Validates every byte of {@code bytes} and fills {@code into}; allocates nothing. After it
     * returns the payload is known to be well formed for its mode.
     */
    static void read(byte[] bytes, Header into) {
        read(bytes, into, true);
    }

    /**
     * As {@link #read(byte[], Header)}; with {@code checkSparseEntries} false the entries of a
     * SPARSE payload are left for the caller to check while decoding them
     * ({@link SparseRegisters#decodeChecked}), which saves a pass when the result is discarded on
     * failure anyway.
     */
    static void read(byte[] bytes, Header into, boolean checkSparseEntries) {
        if (bytes == null) {
            throw new SketchFormatException("sketch bytes are null");
        }
        if (bytes.length < MIN_LENGTH) {
            throw new SketchFormatException(
                    "sketch too short: " + bytes.length + " bytes, a sketch has at least " + MIN_LENGTH);
        }
        int magic = getInt(bytes, 0);
        if (magic != MAGIC) {
            throw new SketchFormatException(
                    String.format("not a Sketchgate sketch: magic 0x%08X, expected 0x%08X", magic, MAGIC));
        }
        int version = bytes[4] & 0xff;
        if (version != VERSION) {
            throw new SketchFormatException(
                    "unsupported sketch format version " + version + ", this build reads version " + VERSION);
        }
        long payload = getInt(bytes, 12) & 0xffffffffL;
        long present = bytes.length - (long) MIN_LENGTH;
        if (payload != present) {
            throw new SketchFormatException("sketch payload length " + payload + " does not match the " + present
                    + " payload bytes present (truncated or padded)");
        }
        CRC32C crc = new CRC32C();
        int end = HEADER_LENGTH + (int) payload;
        crc.update(bytes, 0, end);
        if ((int) crc.getValue() != getInt(bytes, end)) {
            throw new SketchFormatException("sketch checksum mismatch: the bytes are corrupt");
        }
        int hashId = bytes[7] & 0xff;
        if (hashId != SketchHash.HASH_ID) {
            throw new SketchFormatException(
                    "unsupported hash id " + hashId + ", this build hashes with id " + SketchHash.HASH_ID);
        }
        int precision = bytes[6] & 0xff;
        if (precision < HllSketch.MIN_PRECISION || precision > HllSketch.MAX_PRECISION) {
            throw new SketchFormatException("sketch precision " + precision + " out of range " + HllSketch.MIN_PRECISION
                    + ".." + HllSketch.MAX_PRECISION);
        }
        int exactLimit = getInt(bytes, 8);
        if (exactLimit < 1 || exactLimit > HllSketch.MAX_EXACT_LIMIT) {
            throw new SketchFormatException("sketch exact limit " + Integer.toUnsignedString(exactLimit)
                    + " out of range 1.." + HllSketch.MAX_EXACT_LIMIT);
        }
        int mode = bytes[5] & 0xff;
        switch (mode) {
            case MODE_EXACT -> checkExactPayload(bytes, (int) payload, exactLimit);
            case MODE_DENSE -> {
                int expected = DenseRegisters.packedLength(precision);
                if (payload != expected) {
                    throw new SketchFormatException(
                            "dense payload of " + payload + " bytes, precision " + precision + " needs " + expected);
                }
            }
            case MODE_SPARSE -> {
                if (checkSparseEntries) {
                    SparseRegisters.validate(bytes, HEADER_LENGTH, (int) payload, precision);
                }
            }
            default -> throw new SketchFormatException("unknown sketch mode " + mode);
        }
        into.mode = mode;
        into.precision = precision;
        into.exactLimit = exactLimit;
        into.payloadLength = (int) payload;
    }

    private static void checkExactPayload(byte[] bytes, int payload, int exactLimit) {
        if (payload % 8 != 0) {
            throw new SketchFormatException(
                    "exact payload of " + payload + " bytes is not a whole number of 8-byte hashes");
        }
        int count = payload / 8;
        if (count > exactLimit) {
            throw new SketchFormatException(
                    "exact sketch holds " + count + " hashes, more than its limit " + exactLimit);
        }
        for (int i = 1; i < count; i++) {
            long previous = getLong(bytes, HEADER_LENGTH + 8 * (i - 1));
            long current = getLong(bytes, HEADER_LENGTH + 8 * i);
            if (Long.compareUnsigned(previous, current) >= 0) {
                throw new SketchFormatException("exact sketch hashes are not strictly ascending at position " + i);
            }
        }
    }

    static long exactHash(byte[] bytes, int i) {
        return getLong(bytes, HEADER_LENGTH + 8 * i);
    }

    static int getInt(byte[] b, int i) {
        return (b[i] & 0xff) << 24 | (b[i + 1] & 0xff) << 16 | (b[i + 2] & 0xff) << 8 | (b[i + 3] & 0xff);
    }

    static long getLong(byte[] b, int i) {
        return (getInt(b, i) & 0xffffffffL) << 32 | (getInt(b, i + 4) & 0xffffffffL);
    }

    /** What {@link #read} learned about one sketch; reused by a union to avoid allocation. */
    static final class Header {
        int mode;
        int precision;
        int exactLimit;
        int payloadLength;

        int exactCount() {
            return payloadLength / 8;
        }
    }
}
