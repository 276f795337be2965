package io.sketchgate.hll;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Observed error against theory, p = 12, 14, 16, cardinalities 10 to 10^7, seeded.
 *
 * <p>Each trial streams fresh random hashes (SplittableRandom, a new seed per trial) through one
 * sketch per precision and records the estimate at every checkpoint, so a 10^7 trial also
 * measures all smaller cardinalities. Trials are tiered to keep the suite fast: 256 trials up to
 * 10^5, 64 up to 10^6 and 16 up to 10^7. Besides the decades, checkpoints sit at the exact→HLL
 * transition (1,024 / 1,025 / 2,048 with the default limit) and where stream-lib switches from
 * linear counting to its bias-corrected estimate (3,100 / 11,500 / 50,000) and stops bias
 * correction (5m). The table is printed to the test output.
 */
class AccuracyTest {

    private static final int[] PRECISIONS = {12, 14, 16};
    private static final long[] DECADES = {10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000};
    private static final long[] TRANSITIONS = {1_024, 1_025, 2_048};
    private static final long[] LINEAR_COUNTING_THRESHOLD = {3_100, 11_500, 50_000};
    private static final int TRIALS_TO_100K = 256;
    private static final int TRIALS_TO_1M = 64;
    private static final int TRIALS_TO_10M = 16;

    /** precision index → cardinality → observations. */
    private static final List<TreeMap<Long, Stats>> RESULTS = new ArrayList<>();

    @BeforeAll
    static void measure() {
        List<long[]> checkpoints = new ArrayList<>();
        for (int pi = 0; pi < PRECISIONS.length; pi++) {
            TreeMap<Long, Stats> byCount = new TreeMap<>();
            for (long n : DECADES) {
                byCount.put(n, new Stats());
            }
            for (long n : TRANSITIONS) {
                byCount.put(n, new Stats());
            }
            byCount.put(LINEAR_COUNTING_THRESHOLD[pi], new Stats());
            byCount.put(5L << PRECISIONS[pi], new Stats());
            RESULTS.add(byCount);
            checkpoints.add(byCount.keySet().stream().mapToLong(Long::longValue).toArray());
        }
        for (int trial = 0; trial < TRIALS_TO_100K; trial++) {
            long max = trial < TRIALS_TO_10M ? 10_000_000 : trial < TRIALS_TO_1M ? 1_000_000 : 100_000;
            SplittableRandom random = new SplittableRandom(0x5EED0000L + trial);
            HllSketch[] sketches = new HllSketch[PRECISIONS.length];
            for (int pi = 0; pi < PRECISIONS.length; pi++) {
                sketches[pi] = HllSketch.create(PRECISIONS[pi]);
            }
            // All precisions share checkpoints except two; walk the union of them in order.
            TreeMap<Long, Boolean> all = new TreeMap<>();
            for (long[] points : checkpoints) {
                for (long n : points) {
                    if (n <= max) {
                        all.put(n, Boolean.TRUE);
                    }
                }
            }
            long added = 0;
            for (long checkpoint : all.keySet()) {
                for (; added < checkpoint; added++) {
                    long hash = random.nextLong();
                    sketches[0].addHash(hash);
                    sketches[1].addHash(hash);
                    sketches[2].addHash(hash);
                }
                for (int pi = 0; pi < PRECISIONS.length; pi++) {
                    Stats stats = RESULTS.get(pi).get(checkpoint);
                    if (stats != null) {
                        stats.record(sketches[pi], checkpoint);
                    }
                }
            }
        }
        printTable();
    }

    @Test
    void observedError_isWithinTheTheoreticalBound_atEveryPrecisionAndCardinality() {
        for (int pi = 0; pi < PRECISIONS.length; pi++) {
            double sigma = 1.04 / Math.sqrt(1 << PRECISIONS[pi]);
            for (var entry : RESULTS.get(pi).entrySet()) {
                Stats s = entry.getValue();
                String where = "p=" + PRECISIONS[pi] + " n=" + entry.getKey();
                assertThat(s.rms()).as(where + " rms").isLessThanOrEqualTo(1.6 * sigma);
                assertThat(s.meanAbs()).as(where + " mean").isLessThanOrEqualTo(1.6 * 0.7979 * sigma);
                assertThat(s.maxAbs()).as(where + " max").isLessThanOrEqualTo(5 * sigma);
            }
        }
    }

    @Test
    void pooledRmsError_overTheHllRange_isCloseToTheory() {
        for (int pi = 0; pi < PRECISIONS.length; pi++) {
            double sigma = 1.04 / Math.sqrt(1 << PRECISIONS[pi]);
            double sumSquares = 0;
            long count = 0;
            for (var entry : RESULTS.get(pi).tailMap(10_000L).entrySet()) {
                sumSquares += entry.getValue().sumSquares;
                count += entry.getValue().trials;
            }
            assertThat(Math.sqrt(sumSquares / count)).as("p=" + PRECISIONS[pi]).isLessThanOrEqualTo(1.15 * sigma);
        }
    }

    @Test
    void exactRange_hasNoErrorAndZeroWidthBounds() {
        for (int pi = 0; pi < PRECISIONS.length; pi++) {
            for (var entry : RESULTS.get(pi)
                    .headMap((long) HllSketch.DEFAULT_EXACT_LIMIT, true)
                    .entrySet()) {
                assertThat(entry.getValue().maxAbs()).as("n=" + entry.getKey()).isZero();
                assertThat(entry.getValue().exact).isEqualTo(entry.getValue().trials);
            }
        }
    }

    @Test
    void twoSigmaInterval_containsTheTrueCount_in95PercentOfTrials() {
        for (int pi = 0; pi < PRECISIONS.length; pi++) {
            long covered = 0;
            long trials = 0;
            for (var entry : RESULTS.get(pi).entrySet()) {
                Stats s = entry.getValue();
                covered += s.coveredK2;
                trials += s.trials;
                assertThat((double) s.coveredK2 / s.trials)
                        .as("p=" + PRECISIONS[pi] + " n=" + entry.getKey())
                        .isGreaterThanOrEqualTo(0.85);
            }
            assertThat((double) covered / trials)
                    .as("p=" + PRECISIONS[pi] + " pooled")
                    .isGreaterThanOrEqualTo(0.95);
        }
    }

    private static void printTable() {
        StringBuilder out = new StringBuilder();
        out.append(String.format(
                Locale.ROOT,
                "%n%3s %10s %6s %6s %9s %9s %9s %9s %8s %8s %8s%n",
                "p",
                "n",
                "trials",
                "exact",
                "theory%",
                "rms%",
                "mean|e|%",
                "max|e|%",
                "bias%",
                "cov(k=1)",
                "cov(k=2)"));
        for (int pi = 0; pi < PRECISIONS.length; pi++) {
            double sigma = 1.04 / Math.sqrt(1 << PRECISIONS[pi]);
            for (var entry : RESULTS.get(pi).entrySet()) {
                Stats s = entry.getValue();
                out.append(String.format(
                        Locale.ROOT,
                        "%3d %10d %6d %6d %9.3f %9.3f %9.3f %9.3f %8.3f %8.3f %8.3f%n",
                        PRECISIONS[pi],
                        entry.getKey(),
                        s.trials,
                        s.exact,
                        100 * sigma,
                        100 * s.rms(),
                        100 * s.meanAbs(),
                        100 * s.maxAbs(),
                        100 * s.sum / s.trials,
                        (double) s.coveredK1 / s.trials,
                        (double) s.coveredK2 / s.trials));
            }
        }
        System.out.print(out);
    }

    private static final class Stats {
        int trials;
        int exact;
        int coveredK1;
        int coveredK2;
        double sum;
        double sumAbs;
        double sumSquares;
        double maxAbs;

        void record(HllSketch sketch, long truth) {
            long estimate = sketch.estimate();
            double error = (estimate - truth) / (double) truth;
            trials++;
            exact += sketch.isExact() ? 1 : 0;
            sum += error;
            sumAbs += Math.abs(error);
            sumSquares += error * error;
            maxAbs = Math.max(maxAbs, Math.abs(error));
            if (sketch.lowerBound(1) <= truth && truth <= sketch.upperBound(1)) {
                coveredK1++;
            }
            if (sketch.lowerBound(2) <= truth && truth <= sketch.upperBound(2)) {
                coveredK2++;
            }
        }

        double rms() {
            return Math.sqrt(sumSquares / trials);
        }

        double meanAbs() {
            return sumAbs / trials;
        }

        double maxAbs() {
            return maxAbs;
        }
    }
}
