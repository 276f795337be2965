package io.sketchgate.hll;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.clearspring.analytics.stream.cardinality.CardinalityMergeException;
import com.clearspring.analytics.stream.cardinality.HyperLogLogPlus;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The stream-lib issues Sketchgate must not inherit. Each situation is first shown on raw
 * stream-lib 2.9.8 where it still reproduces, then run against our wrapper. The choices that
 * avoid them are listed in {@code hll/README.md}.
 */
class StreamLibHazardsTest {

    // stream-lib #54: merging small overlapping sparse sets over-counted, compounding per merge.
    @Test
    void merge_ofManySmallOverlappingSets_countsEachValueOnce() {
        SplittableRandom random = new SplittableRandom(54);
        long[] shared = random.longs(300).toArray();
        HllSketch union = HllSketch.create();
        Union accumulator = new Union();
        Set<Long> truth = new HashSet<>();
        for (int round = 0; round < 50; round++) {
            HllSketch bucket = HllSketch.create();
            for (int i = 0; i < shared.length; i++) {
                if ((i + round) % 3 != 0) {
                    bucket.addHash(shared[i]);
                    truth.add(shared[i]);
                }
            }
            long fresh = random.nextLong();
            bucket.addHash(fresh);
            truth.add(fresh);
            union.merge(bucket);
            accumulator.add(bucket.serialize());
        }

        assertThat(union.isExact()).isTrue();
        assertThat(union.estimate()).isEqualTo(truth.size());
        assertThat(accumulator.estimate()).isEqualTo(truth.size());
    }

    // stream-lib #31: sparse lists promoted to dense by the sum of their sizes, not their union.
    @Test
    void merge_ofIdenticalSetsJustOverHalfTheLimit_staysExact() {
        SplittableRandom random = new SplittableRandom(31);
        HllSketch a = HllSketch.create();
        HllSketch b = HllSketch.create();
        for (int i = 0; i < HllSketch.DEFAULT_EXACT_LIMIT / 2 + 1; i++) {
            long hash = random.nextLong();
            a.addHash(hash);
            b.addHash(hash);
        }

        a.merge(b);

        assertThat(a.isExact()).isTrue();
        assertThat(a.estimate()).isEqualTo(HllSketch.DEFAULT_EXACT_LIMIT / 2 + 1);
    }

    @Test
    void merge_ofIdenticalDenseSketches_changesNothing() {
        SplittableRandom random = new SplittableRandom(32);
        HllSketch a = HllSketch.create();
        for (int i = 0; i < 6200; i++) {
            a.addHash(random.nextLong());
        }
        HllSketch b = a.copy();
        byte[] before = a.serialize();

        a.merge(b);

        assertThat(a.serialize()).isEqualTo(before);
    }

    // stream-lib #159 and relatives: a sparse precision above 25 drops index bits in the 32-bit
    // sparse encoding, so the registers built on conversion are wrong, down to near-zero counts.
    @Test
    void streamLib_sparsePrecisionAbove25_corruptsRegistersDownToNearZeroEstimates() {
        SplittableRandom random = new SplittableRandom(159);
        HyperLogLogPlus streamLib = new HyperLogLogPlus(7, 32);
        HllSketch ours = HllSketch.create(7, 1);
        for (int i = 0; i < 100; i++) {
            long hash = random.nextLong();
            streamLib.offerHashed(hash);
            ours.addHash(hash);
        }

        assertThat(streamLib.cardinality()).isLessThanOrEqualTo(2);
        assertThat(ours.estimate()).isBetween(ours.lowerBound(3) - 0L, 200L);
        assertThat(ours.lowerBound(3)).isLessThanOrEqualTo(100);
        assertThat(ours.upperBound(3)).isGreaterThanOrEqualTo(100);
    }

    // Sparse sketches of the same p but another sp have the same size, so stream-lib merges their
    // incompatible encodings silently and counts every shared value twice.
    @Test
    void streamLib_sparseSketchesOfOtherSparsePrecision_countSharedValuesTwice() throws Exception {
        SplittableRandom random = new SplittableRandom(20);
        HyperLogLogPlus sp20 = new HyperLogLogPlus(14, 20);
        HyperLogLogPlus sp25 = new HyperLogLogPlus(14, 25);
        HllSketch ours = HllSketch.create();
        HllSketch oursAgain = HllSketch.create(14, 4096);
        for (int i = 0; i < 500; i++) {
            long hash = random.nextLong();
            sp20.offerHashed(hash);
            sp25.offerHashed(hash);
            ours.addHash(hash);
            oursAgain.addHash(hash);
        }

        sp20.addAll(sp25);
        ours.merge(oursAgain);

        assertThat(sp20.cardinality()).isEqualTo(1000);
        assertThat(ours.estimate()).isEqualTo(500);
    }

    // Sketches of other register counts (precisions) cannot be merged by stream-lib at all.
    @Test
    void streamLib_mergeOfOtherPrecision_throws() {
        HyperLogLogPlus p12 = new HyperLogLogPlus(12);
        HyperLogLogPlus p14 = new HyperLogLogPlus(14);
        p12.offerHashed(1L);
        p14.offerHashed(2L);

        assertThatThrownBy(() -> p12.addAll(p14))
                .isInstanceOf(CardinalityMergeException.class)
                .hasMessage("Cannot merge estimators of different sizes");
    }

    @Test
    void merge_ofDifferentPrecisions_foldsToTheLower() {
        SplittableRandom random = new SplittableRandom(12);
        HllSketch p12 = HllSketch.create(12);
        HllSketch p14 = HllSketch.create(14);
        HllSketch expected = HllSketch.create(12);
        for (int i = 0; i < 40_000; i++) {
            long hash = random.nextLong();
            (i % 2 == 0 ? p12 : p14).addHash(hash);
            expected.addHash(hash);
        }

        p14.merge(p12);

        assertThat(p14.precision()).isEqualTo(12);
        assertThat(p14.serialize()).isEqualTo(expected.serialize());
    }

    // stream-lib's decoder trusts the stored length and allocates it.
    @Test
    void streamLib_forgedLength_throwsOutOfMemoryError_whereDeserializeRejectsIt() {
        byte[] forged = {
            (byte) 0xff,
            (byte) 0xff,
            (byte) 0xff,
            (byte) 0xfe,
            14,
            0,
            0,
            (byte) 0xff,
            (byte) 0xff,
            (byte) 0xff,
            (byte) 0xff,
            0x07
        };
        assertThatThrownBy(() -> HyperLogLogPlus.Builder.build(forged)).isInstanceOf(OutOfMemoryError.class);

        byte[] ours = HllSketch.create().serialize();
        ours[12] = (byte) 0x7f; // payload length 0x7f000000
        assertThatThrownBy(() -> HllSketch.deserialize(ours))
                .isInstanceOf(SketchFormatException.class)
                .hasMessage("sketch payload length 2130706432 does not match the 0 payload bytes present"
                        + " (truncated or padded)");
    }

    // Reading a sparse stream-lib sketch flushes its temporary list: a write on a shared object.
    @Test
    void readingASketch_neverWritesToIt() {
        SplittableRandom random = new SplittableRandom(7);
        HllSketch exact = HllSketch.create();
        HllSketch dense = HllSketch.create();
        for (int i = 0; i < 5000; i++) {
            long hash = random.nextLong();
            if (i < 500) {
                exact.addHash(hash);
            }
            dense.addHash(hash);
        }
        byte[] exactBefore = exact.serialize();
        byte[] denseBefore = dense.serialize();

        exact.estimate();
        dense.estimate();
        exact.lowerBound(2);
        dense.upperBound(3);
        Union union = new Union(12);
        union.add(exact);
        union.add(dense);
        HllSketch target = HllSketch.create(10);
        target.merge(dense);
        target.merge(exact);

        assertThat(exact.serialize()).isEqualTo(exactBefore);
        assertThat(dense.serialize()).isEqualTo(denseBefore);
    }
}
