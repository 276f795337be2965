package io.sketchgate.demo;

/**
 * Steele, Lea and Flood's SplitMix64. The JDK's generators do not promise the same sequence across
 * releases; the sample data must be the same forever, because tests replay it to compute true counts.
 */
final class SplitMix64 {

    private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;

    private long state;

    SplitMix64(long seed) {
        this.state = seed;
    }

    long nextLong() {
        return mix(state += GOLDEN_GAMMA);
    }

    /** Uniform in [0, 1) with 53 random bits. */
    double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform in [0, bound); the modulo bias is below 2^-40 for the bounds used here. */
    long nextLong(long bound) {
        return Math.floorMod(nextLong(), bound);
    }

    /** Standard normal by Box–Muller (one of the pair is discarded, to keep the stream stateless). */
    double nextGaussian() {
        double u1 = 1.0 - nextDouble();
        double u2 = nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }

    /** The SplitMix64 finalizer: a bijection on 64-bit values that scatters its input. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
