package io.sketchgate.uniques;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LongHashSetTest {

    @Test
    void addAndUnion_matchAHashSet_includingZeroAndNegativeValues() {
        SplittableRandom random = new SplittableRandom(1);
        LongHashSet a = new LongHashSet();
        LongHashSet b = new LongHashSet();
        Set<Long> expected = new HashSet<>();
        for (int i = 0; i < 50_000; i++) {
            long value = i % 1000 == 0 ? 0 : random.nextLong(-20_000, 20_000);
            (i % 2 == 0 ? a : b).add(value);
            expected.add(value);
        }
        a.addAll(b);

        assertThat(a.size()).isEqualTo(expected.size());
        assertThat(toSet(a)).isEqualTo(expected);
        assertThat(a.contains(0)).isTrue();
        assertThat(a.contains(30_000)).isFalse();
    }

    @Test
    void add_ofAValueAlreadyPresent_returnsFalseAndKeepsTheSize() {
        LongHashSet set = new LongHashSet();
        assertThat(set.add(42)).isTrue();
        assertThat(set.add(42)).isFalse();
        assertThat(set.add(0)).isTrue();
        assertThat(set.add(0)).isFalse();
        assertThat(set.size()).isEqualTo(2);
    }

    private static Set<Long> toSet(LongHashSet set) {
        Set<Long> values = new HashSet<>();
        set.forEach(values::add);
        return values;
    }
}
