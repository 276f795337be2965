package io.sketchgate.hll;

import static org.assertj.core.api.Assertions.assertThat;

import com.clearspring.analytics.stream.cardinality.HyperLogLogPlus;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** stream-lib is the engine of record: our registers and estimates must be its own. */
class StreamLibCompatibilityTest {

    @ParameterizedTest(name = "p={0}, n={1}")
    @CsvSource({"4,100", "10,3000", "12,20000", "14,2000", "14,200000", "16,100000", "18,300000"})
    void denseSketch_hasStreamLibsRegistersAndEstimate(int precision, int count) {
        SplittableRandom random = new SplittableRandom(precision * 31L + count);
        HllSketch ours = HllSketch.create(precision, 1);
        HyperLogLogPlus theirs = new HyperLogLogPlus(precision);
        for (int i = 0; i < count; i++) {
            long hash = random.nextLong();
            if (DenseRegisters.rank(hash, precision) == DenseRegisters.MAX_VALUE) {
                continue; // stream-lib overflows its 5-bit register here; see the next test
            }
            ours.addHash(hash);
            theirs.offerHashed(hash);
        }

        assertThat(ours.registers()).isEqualTo(StreamLibRegisters.of(theirs, precision));
        assertThat(ours.estimate()).isEqualTo(theirs.cardinality());
    }

    @Test
    void rankAbove31_saturatesHereButSpillsIntoTheNextRegisterInStreamLib() {
        int precision = 14;
        // Index 4, then 40 zero bits: rank 41, wider than a 5-bit register.
        long hash = (4L << (64 - precision)) | (1L << (64 - precision - 41));
        HllSketch ours = HllSketch.create(precision, 1);
        ours.addHash(hash);
        ours.addHash(0x7000000000000000L);
        HyperLogLogPlus theirs = new HyperLogLogPlus(precision);
        theirs.offerHashed(hash);
        theirs.offerHashed(0x7000000000000000L);

        byte[] streamLib = StreamLibRegisters.of(theirs, precision);
        assertThat(ours.registers()[4]).isEqualTo((byte) 31);
        assertThat(ours.registers()[5]).isZero();
        assertThat(streamLib[5])
                .as("stream-lib writes the 6th bit of rank 41 into register 5")
                .isEqualTo((byte) 1);
    }
}
