package io.sketchgate.hll;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The algebra every query-time merge relies on. Value sets are drawn from one seeded pool so
 * that they overlap, with sizes on both sides of the exact limit (64 here, to reach registers
 * quickly) and precisions across the whole range.
 */
class MergePropertiesTest {

    private static final int LIMIT = 64;
    /** Fixed so a run is reproducible; change it to explore other cases. */
    private static final String SEED = "20261125";

    @Property(tries = 200, seed = SEED)
    void merge_isCommutative(@ForAll("sets") Values a, @ForAll("sets") Values b) {
        HllSketch ab = a.sketch();
        ab.merge(b.sketch());
        HllSketch ba = b.sketch();
        ba.merge(a.sketch());

        assertThat(ab.serialize()).isEqualTo(ba.serialize());
    }

    @Property(tries = 150, seed = SEED)
    void merge_isAssociative(@ForAll("sets") Values a, @ForAll("sets") Values b, @ForAll("sets") Values c) {
        HllSketch left = a.sketch();
        left.merge(b.sketch());
        left.merge(c.sketch());
        HllSketch bc = b.sketch();
        bc.merge(c.sketch());
        HllSketch right = a.sketch();
        right.merge(bc);

        assertThat(left.serialize()).isEqualTo(right.serialize());
    }

    @Property(tries = 150, seed = SEED)
    void merge_isIdempotent(@ForAll("sets") Values a) {
        HllSketch sketch = a.sketch();
        sketch.merge(a.sketch());

        assertThat(sketch.serialize()).isEqualTo(a.sketch().serialize());
    }

    @Property(tries = 200, seed = SEED)
    void merge_ofTwoSketches_equalsTheSketchOfTheUnion(@ForAll("sets") Values a, @ForAll("sets") Values b) {
        HllSketch merged = a.sketch();
        merged.merge(b.sketch());
        HllSketch ofUnion = HllSketch.create(Math.min(a.precision, b.precision), LIMIT);
        a.addTo(ofUnion);
        b.addTo(ofUnion);

        assertThat(merged.serialize()).isEqualTo(ofUnion.serialize());
        assertThat(merged.estimate()).isEqualTo(ofUnion.estimate());
        assertThat(merged.isExact()).isEqualTo(ofUnion.isExact());
    }

    @Property(tries = 150, seed = SEED)
    void union_ofSketchesAndOfTheirBytes_equalsTheSketchOfTheUnion(
            @ForAll("sets") Values a, @ForAll("sets") Values b, @ForAll("sets") Values c) {
        Union fromSketches = new Union(HllSketch.MAX_PRECISION, LIMIT);
        Union fromBytes = new Union(HllSketch.MAX_PRECISION, LIMIT);
        HllSketch ofUnion = HllSketch.create(Math.min(a.precision, Math.min(b.precision, c.precision)), LIMIT);
        for (Values values : new Values[] {a, b, c}) {
            fromSketches.add(values.sketch());
            fromBytes.add(values.sketch().serialize());
            values.addTo(ofUnion);
        }

        assertThat(fromSketches.toSketch().serialize()).isEqualTo(ofUnion.serialize());
        assertThat(fromBytes.toSketch().serialize()).isEqualTo(ofUnion.serialize());
        assertThat(fromBytes.estimate()).isEqualTo(ofUnion.estimate());
        assertThat(fromBytes.isExact()).isEqualTo(ofUnion.isExact());
    }

    @Property(tries = 200, seed = SEED)
    void serialize_thenDeserialize_roundTripsInEveryMode(@ForAll("sets") Values a) {
        HllSketch sketch = a.sketch();
        HllSketch back = HllSketch.deserialize(sketch.serialize());
        HllSketch fromBase64 = HllSketch.fromBase64(sketch.toBase64());

        assertThat(back.serialize()).isEqualTo(sketch.serialize());
        assertThat(back.estimate()).isEqualTo(sketch.estimate());
        assertThat(back.isExact()).isEqualTo(sketch.isExact());
        assertThat(back.precision()).isEqualTo(sketch.precision());
        assertThat(back.exactLimit()).isEqualTo(LIMIT);
        assertThat(fromBase64.serialize()).isEqualTo(sketch.serialize());
    }

    @Property(tries = 150, seed = SEED)
    void adding_theSameValuesTwice_changesNothing(@ForAll("sets") Values a) {
        HllSketch once = a.sketch();
        HllSketch twice = a.sketch();
        a.addTo(twice);

        assertThat(twice.serialize()).isEqualTo(once.serialize());
    }

    @Provide
    Arbitrary<Values> sets() {
        Arbitrary<Integer> precision = Arbitraries.integers().between(HllSketch.MIN_PRECISION, HllSketch.MAX_PRECISION);
        Arbitrary<Integer> size = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, Arbitraries.integers().between(0, LIMIT)),
                net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(LIMIT, 4 * LIMIT)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(4 * LIMIT, 20_000)));
        Arbitrary<Integer> start = Arbitraries.integers().between(0, 10_000).withoutEdgeCases();
        return Combinators.combine(precision, size, start).as(Values::new);
    }

    /** A contiguous slice [start, start + size) of one fixed pseudo-random pool of hashes. */
    static final class Values {
        private static final long[] POOL =
                new SplittableRandom(42).longs(30_000).toArray();
        final int precision;
        final int size;
        final int start;

        Values(int precision, int size, int start) {
            this.precision = precision;
            this.size = size;
            this.start = start;
        }

        HllSketch sketch() {
            HllSketch sketch = HllSketch.create(precision, LIMIT);
            addTo(sketch);
            return sketch;
        }

        void addTo(HllSketch sketch) {
            for (int i = start; i < start + size; i++) {
                sketch.addHash(POOL[i]);
            }
        }

        @Override
        public String toString() {
            return "p=" + precision + " [" + start + ", " + (start + size) + ")";
        }
    }
}
