package io.sketchgate.hll;

/**
 * Confidence bounds around an approximate count.
 *
 * <p>For dense registers the relative standard error is σ = 1.04 / √m with m = 2^p registers
 * (Flajolet et al. 2007: the HyperLogLog error constant is √(3 ln 2 − 1) ≈ 1.039). We use it
 * over the whole dense range: below the linear-counting threshold stream-lib's estimate is more
 * accurate than that (σ_LC = √(m(e^t − t − 1)) / n with t = n / m, Whang et al. 1990), so the
 * bounds are conservative there. If the estimate is n̂ = n(1 + ε) with ε ~ N(0, σ²), the k-sigma
 * interval for the true count n is [n̂ / (1 + kσ), n̂ / (1 − kσ)], and never below the number of
 * non-empty registers, each of which proves at least one distinct value. Exact sets have
 * zero-width bounds. {@code AccuracyTest} checks the k = 2 coverage empirically.
 */
final class ErrorBounds {

    static final double ERROR_CONSTANT = 1.04;

    private ErrorBounds() {}

    static double relativeStandardError(int precision) {
        return ERROR_CONSTANT / Math.sqrt(1 << precision);
    }

    static long lower(long estimate, int precision, int k, int nonEmptyRegisters) {
        double sigma = relativeStandardError(precision);
        long bound = (long) Math.floor(estimate / (1 + checkK(k) * sigma));
        return Math.max(bound, nonEmptyRegisters);
    }

    static long upper(long estimate, int precision, int k) {
        double sigma = relativeStandardError(precision);
        return (long) Math.ceil(estimate / (1 - checkK(k) * sigma));
    }

    static int checkK(int k) {
        if (k < 1 || k > 3) {
            throw new IllegalArgumentException("k must be 1, 2 or 3 standard deviations, was " + k);
        }
        return k;
    }
}
