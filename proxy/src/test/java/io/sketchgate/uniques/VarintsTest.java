package io.sketchgate.uniques;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class VarintsTest {
    @Test
    void valuesWrittenAreReadBackInOrder_fromZeroToLongMax() {
        long[] values = {0, 1, 127, 128, 300_000, 1L << 35, Long.MAX_VALUE};
        Varints.Writer writer = new Varints.Writer(1);
        for (long value : values) {
            writer.write(value);
        }
        byte[] bytes = writer.toArray();

        Varints.Reader reader = new Varints.Reader(bytes, Varints.MAX_BYTES);
        for (long value : values) {
            assertThat(reader.hasNext()).isTrue();
            assertThat(reader.next()).isEqualTo(value);
        }
        assertThat(reader.hasNext()).isFalse();
        assertThat(bytes).hasSize(1 + 1 + 1 + 2 + 3 + 6 + 9);
    }

    @Test
    void aVarintCutShort_orLongerThanAllowed_isReadAsMalformed() {
        assertThat(new Varints.Reader(new byte[] {(byte) 0x85}, Varints.MAX_BYTES).next())
                .isEqualTo(-1);
        byte[] sevenBytes = {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x01};
        assertThat(new Varints.Reader(sevenBytes, 6).next())
                .as("past six bytes")
                .isEqualTo(-1);
        assertThat(new Varints.Reader(sevenBytes, 7).next()).isEqualTo(1L << 42);
    }
}
