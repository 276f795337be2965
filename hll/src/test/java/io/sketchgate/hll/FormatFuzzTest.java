package io.sketchgate.hll;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.lang.management.ManagementFactory;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Random and mutated bytes fed to {@code deserialize} and {@code Union.add}: the only exception
 * allowed is {@link SketchFormatException}, and decoding never allocates more than a small
 * multiple of the input (a forged length must not become a large array).
 */
class FormatFuzzTest {

    private static final int CASES = 20_000;
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    @Test
    void deserialize_ofRandomBytes_throwsOnlyTheFormatException() {
        SplittableRandom random = new SplittableRandom(0xF022);
        for (int i = 0; i < CASES; i++) {
            byte[] bytes = new byte[random.nextInt(64)];
            random.nextBytes(bytes);
            if (i % 2 == 0 && bytes.length >= 4) {
                bytes[0] = 'S';
                bytes[1] = 'G';
                bytes[2] = 'H';
                bytes[3] = 'L';
            }
            decode(bytes);
        }
    }

    @Test
    void deserialize_ofMutatedSketches_throwsOnlyTheFormatExceptionOrDecodesConsistently() {
        SplittableRandom random = new SplittableRandom(0xF023);
        byte[][] seeds = seeds(random);
        for (int i = 0; i < CASES; i++) {
            byte[] bytes = seeds[random.nextInt(seeds.length)].clone();
            bytes = switch (random.nextInt(5)) {
                case 0 -> flipBit(bytes, random);
                case 1 -> java.util.Arrays.copyOf(bytes, random.nextInt(bytes.length + 1));
                case 2 -> java.util.Arrays.copyOf(bytes, bytes.length + 1 + random.nextInt(16));
                // Header mutations with a fixed-up checksum reach the checks behind the checksum.
                case 3 -> SketchFormatTest.mutate(bytes, b -> b[4 + random.nextInt(12)] = (byte) random.nextInt());
                default ->
                    SketchFormatTest.mutate(bytes, b -> b[random.nextInt(b.length - 4)] = (byte) random.nextInt());
            };
            HllSketch decoded = decode(bytes);
            if (decoded != null) {
                // Whatever decodes is a well-formed sketch: its own bytes decode back to it.
                byte[] again = decoded.serialize();
                assertThat(HllSketch.deserialize(again).serialize()).isEqualTo(again);
            }
        }
    }

    private static HllSketch decode(byte[] bytes) {
        long before = THREADS.getCurrentThreadAllocatedBytes();
        HllSketch sketch = null;
        try {
            sketch = HllSketch.deserialize(bytes);
            new Union(HllSketch.MAX_PRECISION).add(bytes);
        } catch (SketchFormatException expected) {
            // the documented outcome for bad bytes
        } catch (RuntimeException | Error e) {
            fail("deserialize threw " + e + " for " + bytes.length + " bytes", e);
        }
        long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
        // Union(18) owns a 256 KB register array; decoding itself stays within 4x the input.
        assertThat(allocated).isLessThan(8L * bytes.length + (1 << 18) + (64 << 10));
        return sketch;
    }

    private static byte[][] seeds(SplittableRandom random) {
        HllSketch empty = HllSketch.create();
        HllSketch exact = HllSketch.create(12, 50);
        HllSketch dense4 = HllSketch.create(4, 1);
        HllSketch dense10 = HllSketch.create(10, 1);
        HllSketch sparse14 = HllSketch.create(14, 1);
        for (int i = 0; i < 300; i++) {
            sparse14.addHash(random.nextLong());
        }
        for (int i = 0; i < 50; i++) {
            exact.addHash(random.nextLong());
        }
        for (int i = 0; i < 500; i++) {
            dense4.addHash(random.nextLong());
            dense10.addHash(random.nextLong());
        }
        return new byte[][] {
            empty.serialize(), exact.serialize(), dense4.serialize(), dense10.serialize(), sparse14.serialize()
        };
    }

    private static byte[] flipBit(byte[] bytes, SplittableRandom random) {
        bytes[random.nextInt(bytes.length)] ^= (byte) (1 << random.nextInt(8));
        return bytes;
    }
}
