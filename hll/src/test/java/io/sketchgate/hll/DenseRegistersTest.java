package io.sketchgate.hll;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The word-at-a-time kernels must agree with the obvious register-by-register definitions. */
class DenseRegistersTest {

    private final SplittableRandom random = new SplittableRandom(8);

    @Test
    void maxInto_equalsTheRegisterWiseMaximum() {
        for (int trial = 0; trial < 200; trial++) {
            byte[] target = randomRegisters(64);
            byte[] source = randomRegisters(64);
            byte[] expected = new byte[64];
            for (int i = 0; i < 64; i++) {
                expected[i] = (byte) Math.max(target[i], source[i]);
            }

            DenseRegisters.maxInto(target, source, 64);

            assertThat(target).isEqualTo(expected);
        }
    }

    @ParameterizedTest(name = "p={0}")
    @ValueSource(ints = {4, 9, 14})
    void pack_thenUnpack_returnsTheRegisters(int precision) {
        byte[] registers = randomRegisters(1 << precision);
        byte[] packed = new byte[DenseRegisters.packedLength(precision)];
        DenseRegisters.pack(registers, precision, packed, 0);
        byte[] unpacked = new byte[1 << precision];
        DenseRegisters.unpack(packed, 0, precision, unpacked);
        byte[] maxed = randomRegisters(1 << precision);
        byte[] expected = maxed.clone();
        DenseRegisters.maxInto(expected, registers, 1 << precision);
        DenseRegisters.unpackMaxInto(packed, 0, precision, maxed);

        assertThat(unpacked).isEqualTo(registers);
        assertThat(maxed).isEqualTo(expected);
    }

    @Test
    void packedRegister_occupiesFiveBitsLeastSignificantFirst() {
        byte[] registers = new byte[16];
        registers[0] = 31;
        registers[1] = 1;
        byte[] packed = new byte[DenseRegisters.packedLength(4)];

        DenseRegisters.pack(registers, 4, packed, 0);

        assertThat(packed[0]).isEqualTo((byte) 0b0011_1111);
        assertThat(packed[1]).isZero();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @org.junit.jupiter.params.provider.CsvSource({"14,14", "14,12", "18,4", "10,9"})
    void foldInPlace_equalsFoldIntoAnEmptyArray(int from, int to) {
        byte[] registers = new byte[1 << from];
        for (int i = 0; i < 5000; i++) {
            DenseRegisters.update(registers, from, random.nextLong());
        }
        byte[] expected = new byte[1 << to];
        DenseRegisters.foldInto(expected, to, registers, from);

        DenseRegisters.foldInPlace(registers, from, to);

        assertThat(java.util.Arrays.copyOf(registers, 1 << to)).isEqualTo(expected);
    }

    private byte[] randomRegisters(int count) {
        byte[] registers = new byte[count];
        for (int i = 0; i < count; i++) {
            registers[i] = (byte) random.nextInt(DenseRegisters.MAX_VALUE + 1);
        }
        return registers;
    }
}
