package io.sketchgate.hll;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The direct estimate must be stream-lib's own, to the unit, wherever the registers come from. */
class StreamLibEstimatorTest {

    @ParameterizedTest(name = "p = {0}")
    @ValueSource(ints = {4, 5, 6, 7, 10, 12, 14, 16, 18})
    void estimate_isStreamLibsEstimate_acrossTheWholeRangeOfCardinalities(int precision) {
        SplittableRandom random = new SplittableRandom(precision * 7919L);
        int m = 1 << precision;
        byte[] registers = new byte[m];
        long added = 0;
        // from empty through linear counting, the bias-corrected range (estimates up to 5m) and well past it
        int checks = precision >= 16 ? 60 : 250;
        double growth = Math.pow(40.0 * m, 1.0 / checks);
        double target = 1;
        for (int check = 0; check < checks; check++) {
            target *= growth;
            for (; added < target; added++) {
                DenseRegisters.update(registers, precision, random.nextLong());
            }
            assertThat(StreamLibEstimator.estimate(registers, precision))
                    .as("p=%d after %d distinct values", precision, added)
                    .isEqualTo(StreamLibEstimator.estimateByStreamLib(registers, precision));
        }
    }

    @Test
    void estimate_isStreamLibsEstimate_onArbitraryRegisters() {
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 3_000; i++) {
            int precision = 4 + random.nextInt(11); // 4..14
            byte[] registers = new byte[1 << precision];
            int max = 1 + random.nextInt(31);
            double zeroShare = random.nextDouble();
            for (int j = 0; j < registers.length; j++) {
                registers[j] = random.nextDouble() < zeroShare ? 0 : (byte) (1 + random.nextInt(max));
            }
            assertThat(StreamLibEstimator.estimate(registers, precision))
                    .as("case %d, p=%d", i, precision)
                    .isEqualTo(StreamLibEstimator.estimateByStreamLib(registers, precision));
        }
    }

    @Test
    void estimate_isStreamLibsEstimate_atTheExtremes() {
        for (int precision = 4; precision <= 18; precision++) {
            byte[] registers = new byte[1 << precision];
            for (int value : new int[] {0, 1, 2, 5, 12, 31}) {
                Arrays.fill(registers, (byte) value);
                assertThat(StreamLibEstimator.estimate(registers, precision))
                        .as("p=%d, every register %d", precision, value)
                        .isEqualTo(StreamLibEstimator.estimateByStreamLib(registers, precision));
            }
        }
    }

    /** Midway between two raw estimates two distances tie: stream-lib's sorted map keeps the later index. */
    @Test
    void bias_isStreamLibsBias_alsoWhereDistancesTie() throws Exception {
        java.lang.reflect.Method theirs =
                com.clearspring.analytics.stream.cardinality.HyperLogLogPlus.class.getDeclaredMethod(
                        "getEstimateBias", double.class, int.class);
        theirs.setAccessible(true);
        java.lang.reflect.Field table =
                com.clearspring.analytics.stream.cardinality.HyperLogLogPlus.class.getDeclaredField("rawEstimateData");
        table.setAccessible(true);
        double[][] raw = (double[][]) table.get(null);
        int ties = 0;
        for (int precision = 4; precision <= 18; precision++) {
            double[] estimates = raw[precision - 4];
            for (int i = 0; i + 1 < estimates.length; i++) {
                for (double estimate : new double[] {
                    estimates[i], (estimates[i] + estimates[i + 1]) / 2, estimates[i] * 0.999, estimates[i + 1] + 1
                }) {
                    if (Math.pow(estimate - estimates[i], 2.0) == Math.pow(estimate - estimates[i + 1], 2.0)) {
                        ties++;
                    }
                    assertThat(StreamLibEstimator.bias(estimate, precision))
                            .as("p=%d, estimate %s", precision, estimate)
                            .isEqualTo((double) theirs.invoke(null, estimate, precision));
                }
            }
        }
        assertThat(ties).as("midpoints that tie exactly").isPositive();
    }

    /** Where the raw estimates increase, the nearest six are found beside the estimate's place: the same bias. */
    @Test
    void bias_looksOnlyBesideTheEstimate_whereTheTableIncreases_withTheBiasOfTheWholeTable() throws Exception {
        java.lang.reflect.Field table =
                com.clearspring.analytics.stream.cardinality.HyperLogLogPlus.class.getDeclaredField("rawEstimateData");
        table.setAccessible(true);
        double[][] raw = (double[][]) table.get(null);
        assertThat(StreamLibEstimator.increasing(14)).isTrue();
        assertThat(StreamLibEstimator.increasing(5))
                .as("p=5's table steps back twice")
                .isFalse();
        assertThat(StreamLibEstimator.increasing(6)).isFalse();
        java.util.SplittableRandom random = new java.util.SplittableRandom(11);
        for (int precision = 4; precision <= 18; precision++) {
            double[] estimates = raw[precision - 4];
            double top = estimates[estimates.length - 1] * 1.2;
            for (int n = 0; n < 5_000; n++) {
                double estimate = n == 0 ? estimates[0] / 2 : n == 1 ? top : random.nextDouble(top);
                assertThat(StreamLibEstimator.bias(estimate, precision))
                        .as("p=%d, estimate %s", precision, estimate)
                        .isEqualTo(StreamLibEstimator.bias(estimate, precision, 0, estimates.length));
            }
        }
    }

    /** Registers at 31 beside registers at 0, at p = 18: the widest spread of terms the four running sums add. */
    @Test
    void estimate_ofTheWidestSpreadOfRegisterValues_isStreamLibsEstimate() {
        SplittableRandom random = new SplittableRandom(5);
        for (int i = 0; i < 40; i++) {
            int precision = 14 + random.nextInt(5); // 14..18
            byte[] registers = new byte[1 << precision];
            for (int j = 0; j < registers.length; j++) {
                registers[j] = (byte) (random.nextInt(4) == 0 ? 31 : random.nextInt(3));
            }
            assertThat(StreamLibEstimator.estimate(registers, precision))
                    .as("case %d, p=%d", i, precision)
                    .isEqualTo(StreamLibEstimator.estimateByStreamLib(registers, precision));
        }
    }
}
