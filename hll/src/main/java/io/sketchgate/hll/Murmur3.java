package io.sketchgate.hll;

/**
 * MurmurHash3 x64 128-bit (Austin Appleby, public domain), reduced to its first 64-bit half.
 *
 * <p>Written from the published algorithm (smhasher {@code MurmurHash3_x64_128}); the digest is
 * the 16 bytes {@code h1 || h2} in little-endian order and Sketchgate keeps {@code h1}, which is
 * what Guava's {@code murmur3_128(0).hashBytes(b).asLong()} and Elasticsearch's cardinality
 * aggregation return for the same bytes. The seed is fixed at 0 forever: changing it would
 * silently make every stored sketch disagree with every new one.
 */
final class Murmur3 {

    static final int SEED = 0;

    private static final long C1 = 0x87c37b91114253d5L;
    private static final long C2 = 0x4cf5ad432745937fL;

    private Murmur3() {}

    static long hash64(byte[] data, int offset, int length) {
        long h1 = SEED;
        long h2 = SEED;
        int blocks = length >>> 4;
        int i = offset;
        for (int b = 0; b < blocks; b++, i += 16) {
            long k1 = getLongLittleEndian(data, i);
            long k2 = getLongLittleEndian(data, i + 8);
            h1 ^= mixK1(k1);
            h1 = Long.rotateLeft(h1, 27);
            h1 += h2;
            h1 = h1 * 5 + 0x52dce729;
            h2 ^= mixK2(k2);
            h2 = Long.rotateLeft(h2, 31);
            h2 += h1;
            h2 = h2 * 5 + 0x38495ab5;
        }
        int tail = length & 15;
        if (tail > 0) {
            long k1 = 0;
            long k2 = 0;
            for (int t = tail - 1; t >= 8; t--) {
                k2 = (k2 << 8) | (data[i + t] & 0xffL);
            }
            for (int t = Math.min(tail, 8) - 1; t >= 0; t--) {
                k1 = (k1 << 8) | (data[i + t] & 0xffL);
            }
            if (tail > 8) {
                h2 ^= mixK2(k2);
            }
            h1 ^= mixK1(k1);
        }
        h1 ^= length;
        h2 ^= length;
        h1 += h2;
        h2 += h1;
        h1 = fmix64(h1);
        h2 = fmix64(h2);
        h1 += h2;
        return h1;
    }

    private static long mixK1(long k1) {
        k1 *= C1;
        k1 = Long.rotateLeft(k1, 31);
        return k1 * C2;
    }

    private static long mixK2(long k2) {
        k2 *= C2;
        k2 = Long.rotateLeft(k2, 33);
        return k2 * C1;
    }

    private static long fmix64(long k) {
        k ^= k >>> 33;
        k *= 0xff51afd7ed558ccdL;
        k ^= k >>> 33;
        k *= 0xc4ceb9fe1a85ec53L;
        k ^= k >>> 33;
        return k;
    }

    private static long getLongLittleEndian(byte[] b, int i) {
        return (b[i] & 0xffL)
                | (b[i + 1] & 0xffL) << 8
                | (b[i + 2] & 0xffL) << 16
                | (b[i + 3] & 0xffL) << 24
                | (b[i + 4] & 0xffL) << 32
                | (b[i + 5] & 0xffL) << 40
                | (b[i + 6] & 0xffL) << 48
                | (b[i + 7] & 0xffL) << 56;
    }
}
