package io.sketchgate.demo;

import java.util.Arrays;

/**
 * Draws ranks 0..n-1 with probability proportional to {@code 1 / (rank + 1 + offset)^exponent}
 * (Zipf–Mandelbrot). The offset flattens the head: pure Zipf over 200k users would give the top user
 * 8% of all traffic, a bot rather than a loyal visitor.
 *
 * <p>Sampling inverts a precomputed CDF by binary search: exact, O(log n) per draw, 8 bytes per rank.
 */
final class ZipfSampler {

    private final double[] cdf;

    ZipfSampler(int n, double exponent, double offset) {
        if (n <= 0) {
            throw new IllegalArgumentException("n must be positive, was " + n);
        }
        cdf = new double[n];
        double sum = 0;
        for (int rank = 0; rank < n; rank++) {
            sum += 1.0 / Math.pow(rank + 1 + offset, exponent);
            cdf[rank] = sum;
        }
        for (int rank = 0; rank < n; rank++) {
            cdf[rank] /= sum;
        }
        cdf[n - 1] = 1.0;
    }

    int sample(SplitMix64 random) {
        int found = Arrays.binarySearch(cdf, random.nextDouble());
        return found >= 0 ? found : Math.min(-found - 1, cdf.length - 1);
    }

    /** The probability of {@code rank}. */
    double probability(int rank) {
        return rank == 0 ? cdf[0] : cdf[rank] - cdf[rank - 1];
    }
}
