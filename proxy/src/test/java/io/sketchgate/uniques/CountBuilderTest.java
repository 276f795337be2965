package io.sketchgate.uniques;

import static org.assertj.core.api.Assertions.assertThat;

import io.sketchgate.hll.HllSketch;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** {@link CountBuilder#prepare}: what another thread computes ahead changes no count. */
class CountBuilderTest {
    private static final int P = 14;

    @Test
    void preparedAhead_buildsTheSameCount_withPartialsOneStoredPieceOrMany() {
        for (Consumer<CountBuilder> pieces : java.util.List.<Consumer<CountBuilder>>of(
                c -> c.addStored(sketch(0, 5_000), -1, false, 7_000),
                c -> {
                    c.addStored(sketch(0, 600), 600, true, 900);
                    c.addStored(sketch(300, 900), 600, true, 800);
                },
                c -> {
                    c.addStored(sketch(0, 4_000), -1, false, 6_000);
                    c.addPartial(sketch(3_000, 9_000), 20_000, 60_000);
                })) {
            CountBuilder plain = new CountBuilder(P);
            CountBuilder prepared = new CountBuilder(P);
            pieces.accept(plain);
            pieces.accept(prepared);

            prepared.prepare();
            plain.addStoredPageViews(1_500); // the cut's page views, known after the merge
            prepared.addStoredPageViews(1_500);

            assertThat(prepared.build()).isEqualTo(plain.build());
        }
    }

    @Test
    void valuesJoiningAfterPrepare_countInTheOuterUnionToo() {
        CountBuilder prepared = new CountBuilder(P);
        prepared.addStored(sketch(0, 4_000), -1, false, 6_000);
        prepared.addPartial(sketch(3_000, 5_000), 20_000, 60_000);
        prepared.prepare();
        prepared.addStored(sketch(20_000, 40_000), -1, false, 30_000);

        CountBuilder fresh = new CountBuilder(P);
        fresh.addStored(sketch(0, 4_000), -1, false, 6_000);
        fresh.addPartial(sketch(3_000, 5_000), 20_000, 60_000);
        fresh.addStored(sketch(20_000, 40_000), -1, false, 30_000);

        assertThat(prepared.build()).isEqualTo(fresh.build());
        assertThat(prepared.build().uvUpper())
                .as("the later piece's 20,000 values")
                .isGreaterThan(20_000);
    }

    private static CachedSketch sketch(int from, int to) {
        HllSketch sketch = HllSketch.create(P);
        for (int value = from; value < to; value++) {
            sketch.add("user-" + value);
        }
        return CachedSketch.of(sketch);
    }
}
