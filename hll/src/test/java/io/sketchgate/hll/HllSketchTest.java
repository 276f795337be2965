package io.sketchgate.hll;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class HllSketchTest {

    @Test
    void newSketch_isEmptyExactAtTheDefaultPrecision() {
        HllSketch sketch = HllSketch.create();

        assertThat(sketch.isEmpty()).isTrue();
        assertThat(sketch.isExact()).isTrue();
        assertThat(sketch.estimate()).isZero();
        assertThat(sketch.precision()).isEqualTo(14);
        assertThat(sketch.exactLimit()).isEqualTo(1024);
    }

    @Test
    void sketch_upToItsExactLimit_countsExactlyWithZeroWidthBounds() {
        HllSketch sketch = HllSketch.create(14, 100);
        for (int i = 0; i < 100; i++) {
            sketch.add("user-" + i);
            sketch.add("user-" + i);
        }

        assertThat(sketch.isExact()).isTrue();
        assertThat(sketch.estimate()).isEqualTo(100);
        for (int k = 1; k <= 3; k++) {
            assertThat(sketch.lowerBound(k)).isEqualTo(100);
            assertThat(sketch.upperBound(k)).isEqualTo(100);
        }
        assertThat(sketch.relativeStandardError()).isZero();
    }

    @Test
    void sketch_oneValuePastItsExactLimit_turnsIntoRegistersWithWiderBounds() {
        HllSketch sketch = HllSketch.create(14, 100);
        for (int i = 0; i <= 100; i++) {
            sketch.add(i);
        }

        assertThat(sketch.isExact()).isFalse();
        assertThat(sketch.estimate()).isEqualTo(101);
        // 101 distinct values landed in 101 distinct registers: the lower bound proves them all.
        assertThat(sketch.lowerBound(1)).isEqualTo(101).isGreaterThanOrEqualTo(sketch.lowerBound(2));
        assertThat(sketch.upperBound(1)).isGreaterThan(101).isLessThanOrEqualTo(sketch.upperBound(2));
        assertThat(sketch.relativeStandardError()).isEqualTo(1.04 / 128);
    }

    @Test
    void lowerBound_neverDropsBelowTheNumberOfNonEmptyRegisters() {
        HllSketch sketch = HllSketch.create(4, 1);
        SplittableRandom random = new SplittableRandom(4);
        for (int i = 0; i < 40; i++) {
            sketch.addHash(random.nextLong());
        }

        assertThat(sketch.lowerBound(3)).isGreaterThanOrEqualTo(DenseRegisters.nonZeroCount(sketch.registers(), 16));
    }

    @Test
    void hashZero_isAValueLikeAnyOther() {
        HllSketch sketch = HllSketch.create();
        sketch.add("");
        sketch.addHash(0L);
        sketch.addHash(1L);

        assertThat(sketch.estimate()).isEqualTo(2);
    }

    @Test
    void create_withPrecisionOutOfRange_isRejected() {
        assertThatThrownBy(() -> HllSketch.create(3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("precision must be in 4..18, was 3");
        assertThatThrownBy(() -> HllSketch.create(19)).hasMessage("precision must be in 4..18, was 19");
        assertThatThrownBy(() -> HllSketch.create(14, 0)).hasMessage("exact limit must be in 1..65536, was 0");
    }

    @Test
    void bounds_forKOutsideOneToThree_areRejected() {
        assertThatThrownBy(() -> HllSketch.create().upperBound(4))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("k must be 1, 2 or 3 standard deviations, was 4");
    }

    @Test
    void merge_ofExactSketchesWhoseUnionOutgrowsTheLimit_turnsIntoRegisters() {
        HllSketch a = HllSketch.create(14, 100);
        HllSketch b = HllSketch.create(14, 100);
        for (int i = 0; i < 80; i++) {
            a.add(i);
            b.add(i + 60);
        }

        a.merge(b);

        assertThat(a.isExact()).isFalse();
        assertThat(a.estimate()).isCloseTo(140L, org.assertj.core.data.Offset.offset(3L));
        assertThat(b.isExact()).isTrue();
        assertThat(b.estimate()).isEqualTo(80);
    }

    @Test
    void merge_ofAnExactSketchIntoLowerPrecision_keepsItExact() {
        HllSketch a = HllSketch.create(16);
        HllSketch b = HllSketch.create(12);
        a.add("x");
        b.add("y");

        a.merge(b);

        assertThat(a.precision()).isEqualTo(12);
        assertThat(a.isExact()).isTrue();
        assertThat(a.estimate()).isEqualTo(2);
    }

    @Test
    void merge_withItself_changesNothing() {
        HllSketch a = HllSketch.create();
        for (int i = 0; i < 5000; i++) {
            a.add(i);
        }
        byte[] before = a.serialize();

        a.merge(a);

        assertThat(a.serialize()).isEqualTo(before);
    }

    @Test
    void copy_isIndependentOfTheOriginal() {
        HllSketch a = HllSketch.create();
        a.add("x");
        HllSketch b = a.copy();
        b.add("y");

        assertThat(a.estimate()).isEqualTo(1);
        assertThat(b.estimate()).isEqualTo(2);
    }

    @Test
    void toString_namesPrecisionModeAndEstimate() {
        HllSketch sketch = HllSketch.create(12);
        sketch.add("x");

        assertThat(sketch).hasToString("HllSketch{p=12, exact, estimate=1}");
    }

    @Test
    void decodedExactSketch_keepsCountingExactlyWhenAddedTo() {
        HllSketch original = HllSketch.create(14, 5);
        original.add("");
        original.addHash(-1L);
        original.addHash(7L);
        HllSketch decoded = HllSketch.deserialize(original.serialize());
        HllSketch copy = decoded.copy();

        decoded.addHash(0L);
        decoded.addHash(8L);
        decoded.addHash(-1L);

        assertThat(decoded.estimate()).isEqualTo(4);
        assertThat(decoded.isExact()).isTrue();
        assertThat(copy.estimate()).isEqualTo(3);
        decoded.addHash(9L);
        decoded.addHash(10L);
        assertThat(decoded.isExact()).isFalse();
    }

    @Test
    void aDecodedExactSketch_sharesItsOwnHashes_inTheOrderOfItsStoredForm() {
        HllSketch built = HllSketch.create(14);
        for (int i = 0; i < 300; i++) {
            built.add(i);
        }
        HllSketch decoded = HllSketch.deserialize(built.serialize());

        long[] shared = decoded.exactHashesShared();

        assertThat(shared).containsExactly(built.exactHashes());
        assertThat(decoded.exactHashesShared()).as("no copy").isSameAs(shared);
        assertThat(decoded.exactHashes()).as("a copy").isNotSameAs(shared).containsExactly(shared);
        for (int i = 300; i <= HllSketch.DEFAULT_EXACT_LIMIT; i++) {
            built.add(i);
        }
        assertThat(built.exactHashesShared()).as("registers: no hashes").isNull();
    }

    @Test
    void aSketchOfAscendingHashes_isTheSketchOfThoseValues_exactWithinTheLimitAndRegistersPast() {
        for (int values :
                new int[] {0, 1, 300, HllSketch.DEFAULT_EXACT_LIMIT, HllSketch.DEFAULT_EXACT_LIMIT + 1, 5000}) {
            HllSketch added = HllSketch.create(14);
            SplittableRandom random = new SplittableRandom(values);
            for (int i = 0; i < values; i++) {
                added.addHash(random.nextLong());
            }
            HllSketch exactSource = HllSketch.create(14, HllSketch.MAX_EXACT_LIMIT);
            SplittableRandom again = new SplittableRandom(values);
            for (int i = 0; i < values; i++) {
                exactSource.addHash(again.nextLong());
            }
            long[] ascending = exactSource.exactHashes();

            HllSketch made = HllSketch.ofAscendingHashes(14, ascending, ascending.length);

            assertThat(made.isExact()).as("%d values", values).isEqualTo(added.isExact());
            assertThat(made.serialize()).as("%d values", values).isEqualTo(added.serialize());
        }
    }

    @Test
    void aSketchOfAscendingHashes_takesOnlyTheFirstCount_andRefusesHashesOutOfOrder() {
        assertThat(HllSketch.ofAscendingHashes(14, new long[] {1, 2, -1, 0}, 3).estimate())
                .isEqualTo(3);
        assertThatThrownBy(() -> HllSketch.ofAscendingHashes(14, new long[] {-1, 1}, 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not strictly ascending at 1");
        assertThatThrownBy(() -> HllSketch.ofAscendingHashes(14, new long[] {5, 5}, 2))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
