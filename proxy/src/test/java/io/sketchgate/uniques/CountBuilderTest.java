package io.sketchgate.uniques;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sketchgate.hll.HllSketch;
import org.junit.jupiter.api.Test;

/** The outer union a count with cut granules keeps between builds (a total-only question builds its counts twice). */
class CountBuilderTest {
    private static final int P = 14;

    @Test
    void builtTwice_givesTheSameCount() {
        CountBuilder count = new CountBuilder(P);
        count.addStored(sketch(0, 4_000), -1, false, 20_000); // page views cap the upper bound
        count.addPartial(sketch(3_000, 9_000), 20_000, 60_000);

        UvCount first = count.build();

        assertThat(count.build()).isEqualTo(first);
        assertThat(first.uvUpper())
                .as("the cut granule's values bound it from above")
                .isGreaterThan(8_000);
    }

    @Test
    void valuesJoiningAfterABuild_countInTheOuterUnionToo() {
        CountBuilder built = new CountBuilder(P);
        built.addStored(sketch(0, 4_000), -1, false, 6_000);
        built.addPartial(sketch(3_000, 5_000), 20_000, 60_000);
        built.build();
        built.addStored(sketch(20_000, 40_000), -1, false, 30_000);

        CountBuilder fresh = new CountBuilder(P);
        fresh.addStored(sketch(0, 4_000), -1, false, 6_000);
        fresh.addPartial(sketch(3_000, 5_000), 20_000, 60_000);
        fresh.addStored(sketch(20_000, 40_000), -1, false, 30_000);

        assertThat(built.build()).isEqualTo(fresh.build());
        assertThat(built.build().uvUpper())
                .as("the later piece's 20,000 values")
                .isGreaterThan(20_000);
    }

    @Test
    void splitMinutes_areTooWide_whenTheyCouldMoveTheCountByMoreThanTheSketchesStandardError() {
        CountBuilder narrow = new CountBuilder(P);
        narrow.addStored(sketch(0, 20_000), -1, false, 40_000);
        narrow.addSplitMinute(sketch(19_950, 20_060), 30_000, 60_000); // 60 values more: 0.3 %
        CountBuilder wide = new CountBuilder(P);
        wide.addStored(sketch(0, 20_000), -1, false, 40_000);
        wide.addSplitMinute(sketch(19_900, 20_300), 30_000, 60_000); // 300 values more: 1.5 %, past 0.81 %
        CountBuilder none = new CountBuilder(P);
        none.addStored(sketch(0, 20_000), -1, false, 40_000);
        none.addPartial(sketch(19_900, 20_400), 30_000, 60_000);

        assertThat(narrow.splitMinutesTooWide()).isFalse();
        assertThat(wide.splitMinutesTooWide()).isTrue();
        assertThat(none.splitMinutesTooWide())
                .as("no split minute: other partials decide elsewhere")
                .isFalse();
        CountBuilder joined = new CountBuilder(P);
        joined.addAll(wide);
        assertThat(joined.splitMinutesTooWide()).as("carried by addAll").isTrue();
    }

    @Test
    void aReleasedCount_givesItsUnionsBack_andTheNextCountsMadeWithThem_countOnlyTheirOwnValues() {
        CountBuilder first = new CountBuilder(P);
        first.addStored(sketch(0, 4_000), -1, false, 6_000);
        first.addStored(sketch(4_000, 8_000), -1, false, 6_000); // folded: the union holds registers
        first.addPartial(sketch(3_000, 5_000), 20_000, 60_000);
        UvCount before = first.build();
        int kept = UnionPool.keptHere(P);

        first.release();
        first.release(); // a second release gives nothing back twice

        assertThat(UnionPool.keptHere(P))
                .as("its union, partials and outer union")
                .isEqualTo(kept + 3);
        assertThatThrownBy(first::build)
                .as("a released count cannot be read")
                .isInstanceOf(IllegalStateException.class);
        CountBuilder next = new CountBuilder(P); // borrows the union that held the first count's registers
        next.addStored(sketch(20_000, 23_000), -1, false, 9_000);
        next.addStored(sketch(22_000, 25_000), -1, false, 9_000);
        assertThat(next.build().uv())
                .as("its own 5,000 values, none of the first count's 8,000")
                .isEqualTo(sketch(20_000, 25_000).decoded().estimate());
        assertThat(before.uvLower()).isGreaterThan(7_000);
    }

    private static CachedSketch sketch(int from, int to) {
        HllSketch sketch = HllSketch.create(P);
        for (int value = from; value < to; value++) {
            sketch.add("user-" + value);
        }
        return CachedSketch.of(sketch);
    }
}
