package io.sketchgate.uniques;

import static org.assertj.core.api.Assertions.assertThat;

import io.sketchgate.hll.HllSketch;
import io.sketchgate.hll.Union;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class UnionPoolTest {
    private static final int P = 14;

    @Test
    void aUnionGivenBack_isLentAgainEmpty_atItsFirstPrecision() throws Exception {
        onANewThread(
                () -> { // an empty pool
                    Union union = UnionPool.borrow(P);
                    union.add(dense(12, 5_000)); // lowers it to p = 12
                    UnionPool.giveBack(union);

                    Union again = UnionPool.borrow(P);

                    assertThat(again).isSameAs(union);
                    assertThat(again.isEmpty()).isTrue();
                    assertThat(again.precision()).isEqualTo(P);
                    assertThat(UnionPool.borrow(P)).as("none kept now").isNotSameAs(union);
                    Union otherLimit = new Union(P, 10);
                    UnionPool.giveBack(otherLimit);
                    assertThat(UnionPool.keptHere(P))
                            .as("a union of another exact limit is not lent as one of the default")
                            .isZero();
                });
    }

    @Test
    void aThreadKeepsUnionsUpToItsBudget_andLeavesTheRestToTheCollector() throws Exception {
        onANewThread(() -> {
            HllSketch dense = dense(P, 20_000);
            List<Union> unions = new ArrayList<>();
            for (int i = 0; i < 2_000; i++) { // 16 KB of registers each: 32 MB
                Union union = UnionPool.borrow(P);
                union.add(dense);
                unions.add(union);
            }
            unions.forEach(UnionPool::giveBack);

            assertThat(UnionPool.keptBytesHere())
                    .isLessThanOrEqualTo(UnionPool.KEPT_BYTES_PER_THREAD)
                    .isGreaterThan(UnionPool.KEPT_BYTES_PER_THREAD - 64 * 1024);
            assertThat(UnionPool.keptHere(P)).isBetween(900, 1_100);
            Union lent = UnionPool.borrow(P);
            assertThat(UnionPool.keptBytesHere())
                    .as("less by what the lent one holds")
                    .isLessThan(UnionPool.KEPT_BYTES_PER_THREAD - 16 * 1024);
            assertThat(lent.isEmpty()).isTrue();
        });
    }

    /** Runs {@code test} on a thread of its own (its own empty pool), failing with what it threw. */
    private static void onANewThread(Runnable test) throws Exception {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                test.run();
                done.complete(null);
            } catch (Throwable failure) {
                done.completeExceptionally(failure);
            }
        });
        thread.start();
        done.get();
    }

    private static HllSketch dense(int precision, int values) {
        HllSketch sketch = HllSketch.create(precision);
        for (int value = 0; value < values; value++) {
            sketch.add("user-" + value);
        }
        return sketch;
    }
}
