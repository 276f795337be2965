package io.sketchgate.hll;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Format version 1: golden files written by the first release must decode forever to the same
 * counts and re-encode to the same bytes; every kind of bad input is rejected with its message.
 */
class SketchFormatTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        // file, precision, exact limit, exact, estimate, lower(2), upper(2)
        "v1-empty-p14.bin,          14, 1024, true,  0,      0,     0",
        "v1-exact-p14.bin,          14, 1024, true,  100,    100,   100",
        "v1-dense-p14.bin,          14, 1024, false, 100221, 98618, 101877",
        "v1-dense-p12-limit256.bin, 12, 256,  false, 4959,   4802,  5126",
        "v1-sparse-p14.bin,         14, 1024, false, 2006,   1973,  2040",
    })
    void goldenFile_decodesToTheSameCountAndReencodesIdentically(
            String file, int precision, int exactLimit, boolean exact, long estimate, long lower, long upper) {
        byte[] bytes = golden(file);

        HllSketch sketch = HllSketch.deserialize(bytes);

        assertThat(sketch.precision()).isEqualTo(precision);
        assertThat(sketch.exactLimit()).isEqualTo(exactLimit);
        assertThat(sketch.isExact()).isEqualTo(exact);
        assertThat(sketch.estimate()).isEqualTo(estimate);
        assertThat(sketch.lowerBound(2)).isEqualTo(lower);
        assertThat(sketch.upperBound(2)).isEqualTo(upper);
        assertThat(sketch.serialize()).isEqualTo(bytes);
    }

    @Test
    void goldenFiles_matchSketchesBuiltTodayFromTheSameValues() {
        HllSketch exact = HllSketch.create();
        for (int i = 0; i < 100; i++) {
            exact.add("user-" + i);
        }
        HllSketch dense = HllSketch.create();
        for (long i = 0; i < 100_000; i++) {
            dense.add(i);
        }

        assertThat(exact.serialize()).isEqualTo(golden("v1-exact-p14.bin"));
        assertThat(dense.serialize()).isEqualTo(golden("v1-dense-p14.bin"));
        assertThat(exact.toBase64() + "\n")
                .isEqualTo(new String(golden("v1-exact-p14.b64"), StandardCharsets.US_ASCII));
    }

    @Test
    void header_isTheDocumentedByteTable() {
        HllSketch sketch = HllSketch.create(12, 300);
        sketch.addHash(0x0102030405060708L);

        byte[] bytes = sketch.serialize();

        assertThat(Arrays.copyOf(bytes, 24))
                .containsExactly('S', 'G', 'H', 'L', 1, 0, 12, 1, 0, 0, 1, 44, 0, 0, 0, 8, 1, 2, 3, 4, 5, 6, 7, 8);
        assertThat(bytes).hasSize(28);
    }

    @Test
    void deserialize_ofNull_isRejected() {
        assertRejected(null, "sketch bytes are null");
    }

    @Test
    void deserialize_ofTooFewBytes_isRejected() {
        assertRejected(new byte[19], "sketch too short: 19 bytes, a sketch has at least 20");
    }

    @Test
    void deserialize_ofForeignBytes_isRejected() {
        assertRejected(
                "{\"user_id\":\"42\",\"ts\":1}".getBytes(StandardCharsets.UTF_8),
                "not a Sketchgate sketch: magic 0x7B227573, expected 0x5347484C");
    }

    @Test
    void deserialize_ofStreamLibBytes_isRejected() throws IOException {
        var streamLib = new com.clearspring.analytics.stream.cardinality.HyperLogLogPlus(14);
        assertRejected(streamLib.getBytes(), "not a Sketchgate sketch: magic 0xFFFFFFFE, expected 0x5347484C");
    }

    @Test
    void deserialize_ofANewerVersion_isRejected() {
        assertRejected(
                mutate(exactSketch(), b -> b[4] = 2),
                "unsupported sketch format version 2, this build reads version 1");
    }

    @Test
    void deserialize_ofTruncatedBytes_isRejected() {
        byte[] bytes = exactSketch();
        assertRejected(
                Arrays.copyOf(bytes, bytes.length - 1),
                "sketch payload length 24 does not match the 23 payload bytes present (truncated or padded)");
    }

    @Test
    void deserialize_ofAFlippedBit_isRejected() {
        byte[] bytes = exactSketch();
        bytes[20] ^= 0x10;
        assertRejected(bytes, "sketch checksum mismatch: the bytes are corrupt");
    }

    @Test
    void deserialize_ofAnotherHashFunction_isRejected() {
        assertRejected(mutate(exactSketch(), b -> b[7] = 2), "unsupported hash id 2, this build hashes with id 1");
    }

    @Test
    void deserialize_ofPrecisionOutOfRange_isRejected() {
        assertRejected(mutate(exactSketch(), b -> b[6] = 19), "sketch precision 19 out of range 4..18");
        assertRejected(mutate(exactSketch(), b -> b[6] = 3), "sketch precision 3 out of range 4..18");
    }

    @Test
    void deserialize_ofExactLimitOutOfRange_isRejected() {
        assertRejected(mutate(exactSketch(), b -> b[9] = 0x7f), "sketch exact limit 8323082 out of range 1..65536");
        assertRejected(mutate(exactSketch(), b -> b[11] = 0), "sketch exact limit 0 out of range 1..65536");
    }

    @Test
    void deserialize_ofUnknownMode_isRejected() {
        assertRejected(mutate(exactSketch(), b -> b[5] = 9), "unknown sketch mode 9");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "00          | sparse entry at payload byte 0 has register value 0",
                "81          | sparse entry at payload byte 0 is cut off",
                "01 81 81 81 81 01 | sparse entry at payload byte 1 is too long",
                "01 81 00    | sparse entry at payload byte 1 is not minimal",
                "e1 01 81 04 | sparse entry at payload byte 2 names register 24, precision 4 has 16",
            })
    void deserialize_ofMalformedSparseEntries_isRejected(String payloadHex, String message) {
        String[] hex = payloadHex.trim().split(" ");
        byte[] payload = new byte[hex.length];
        for (int i = 0; i < hex.length; i++) {
            payload[i] = (byte) Integer.parseInt(hex[i], 16);
        }
        assertRejected(sparseSketch(4, payload), message);
    }

    @Test
    void sparseSketch_isWrittenWhileShorterThanDense() {
        HllSketch sketch = HllSketch.create(14, 1);
        for (int i = 0; i < 2048; i++) {
            sketch.add(i);
        }
        byte[] bytes = sketch.serialize();

        assertThat(bytes[5]).isEqualTo((byte) 1);
        assertThat(bytes.length).isLessThan(5000);
        assertThat(HllSketch.deserialize(bytes).estimate()).isEqualTo(sketch.estimate());
        for (int i = 0; i < 20_000; i++) {
            sketch.add(i);
        }
        assertThat(sketch.serialize()[5]).isEqualTo((byte) 2);
    }

    private static byte[] sparseSketch(int precision, byte[] payload) {
        byte[] bytes = new byte[16 + payload.length + 4];
        byte[] header = {'S', 'G', 'H', 'L', 1, 1, (byte) precision, 1, 0, 0, 0, 1, 0, 0, 0, (byte) payload.length};
        System.arraycopy(header, 0, bytes, 0, 16);
        System.arraycopy(payload, 0, bytes, 16, payload.length);
        return withChecksum(bytes);
    }

    @Test
    void deserialize_ofDensePayloadOfTheWrongPrecision_isRejected() {
        HllSketch dense = HllSketch.create(4, 1);
        for (int i = 0; i < 200; i++) {
            dense.add(i);
        }
        assertRejected(mutate(dense.serialize(), b -> b[6] = 5), "dense payload of 10 bytes, precision 5 needs 20");
    }

    @Test
    void deserialize_ofUnsortedExactHashes_isRejected() {
        byte[] swapped = mutate(exactSketch(), b -> {
            byte[] first = Arrays.copyOfRange(b, 16, 24);
            System.arraycopy(b, 24, b, 16, 8);
            System.arraycopy(first, 0, b, 24, 8);
        });
        assertRejected(swapped, "exact sketch hashes are not strictly ascending at position 1");
    }

    @Test
    void deserialize_ofMoreExactHashesThanTheLimit_isRejected() {
        assertRejected(mutate(exactSketch(), b -> b[11] = 2), "exact sketch holds 3 hashes, more than its limit 2");
    }

    @Test
    void deserialize_ofAPartialExactHash_isRejected() {
        byte[] bytes = new byte[16 + 12 + 4];
        System.arraycopy(exactSketch(), 0, bytes, 0, 16);
        bytes[15] = 12;
        assertRejected(withChecksum(bytes), "exact payload of 12 bytes is not a whole number of 8-byte hashes");
    }

    @Test
    void fromBase64_ofMalformedText_isRejected() {
        assertThatThrownBy(() -> HllSketch.fromBase64("SGHL*"))
                .isInstanceOf(SketchFormatException.class)
                .hasMessageStartingWith("sketch is not valid base64: ");
        assertThatThrownBy(() -> HllSketch.fromBase64(null))
                .isInstanceOf(SketchFormatException.class)
                .hasMessage("sketch base64 is null");
    }

    /** An exact sketch of three hashes: 16 header + 24 payload + 4 checksum bytes. */
    private static byte[] exactSketch() {
        HllSketch sketch = HllSketch.create(14, 10);
        sketch.add("a");
        sketch.add("b");
        sketch.add("c");
        return sketch.serialize();
    }

    /** Applies the change and recomputes the checksum, to reach the checks behind it. */
    static byte[] mutate(byte[] bytes, Consumer<byte[]> change) {
        byte[] copy = bytes.clone();
        change.accept(copy);
        return withChecksum(copy);
    }

    static byte[] withChecksum(byte[] bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, bytes.length - 4);
        int value = (int) crc.getValue();
        bytes[bytes.length - 4] = (byte) (value >>> 24);
        bytes[bytes.length - 3] = (byte) (value >>> 16);
        bytes[bytes.length - 2] = (byte) (value >>> 8);
        bytes[bytes.length - 1] = (byte) value;
        return bytes;
    }

    private static void assertRejected(byte[] bytes, String message) {
        assertThatThrownBy(() -> HllSketch.deserialize(bytes))
                .isInstanceOf(SketchFormatException.class)
                .hasMessage(message);
        assertThatThrownBy(() -> new Union().add(bytes))
                .isInstanceOf(SketchFormatException.class)
                .hasMessage(message);
    }

    static byte[] golden(String name) {
        try (InputStream in = SketchFormatTest.class.getResourceAsStream("/golden/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing golden file " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
