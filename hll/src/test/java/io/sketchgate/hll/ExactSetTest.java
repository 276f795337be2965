package io.sketchgate.hll;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ExactSetTest {

    @Test
    void clear_keepsASmallTable_butDropsALargeOne_whoseSlotsEveryPassWouldWalk() {
        SplittableRandom random = new SplittableRandom(8);
        ExactSet small = new ExactSet();
        random.longs(40).forEach(small::add);
        long smallBytes = small.memoryBytes();
        ExactSet large = new ExactSet();
        random.longs(1_000).forEach(large::add);

        small.clear();
        large.clear();

        assertThat(small.memoryBytes()).as("kept for reuse").isEqualTo(smallBytes);
        assertThat(large.memoryBytes()).isLessThanOrEqualTo(16 + 8 * 256);
        long[] seen = {0};
        small.forEach(hash -> seen[0]++);
        large.forEach(hash -> seen[0]++);
        assertThat(seen[0]).as("both empty").isZero();
        assertThat(large.add(5)).isTrue();
        assertThat(large.size()).isEqualTo(1);
    }

    @Test
    void reserve_makesRoomInOneStep_soTheAddsThatFollowNeverRehash() {
        ExactSet set = new ExactSet();
        set.reserve(1_000);
        long reserved = set.memoryBytes();
        SplittableRandom random = new SplittableRandom(7);
        long[] hashes = new long[1_000];
        for (int i = 0; i < hashes.length; i++) {
            hashes[i] = random.nextLong();
            assertThat(set.add(hashes[i])).isTrue();
        }

        assertThat(set.memoryBytes()).as("no table doubled on the way").isEqualTo(reserved);
        assertThat(set.size()).isEqualTo(1_000);
        for (long hash : hashes) {
            assertThat(set.add(hash)).as("already held").isFalse();
        }
        set.add(random.nextLong());
        assertThat(set.size()).as("past the reservation it grows as before").isEqualTo(1_001);
    }

    @Test
    void reserve_ofADecodedSet_keepsEveryHash_zeroIncluded() {
        ExactSet set = ExactSet.ofSorted(new long[] {0L, 5L, 9L, -3L});
        set.reserve(100);

        assertThat(set.size()).isEqualTo(4);
        assertThat(set.add(0L)).isFalse();
        assertThat(set.add(5L)).isFalse();
        assertThat(set.add(-3L)).isFalse();
        assertThat(set.add(11L)).isTrue();
        assertThat(set.sortedHashes()).containsExactly(0L, 5L, 9L, 11L, -3L);
    }

    @Test
    void reserve_smallerThanTheTable_changesNothing() {
        ExactSet set = new ExactSet(1_000);
        for (long hash = 1; hash <= 10; hash++) {
            set.add(hash);
        }
        long before = set.memoryBytes();
        set.reserve(20);
        assertThat(set.memoryBytes()).isEqualTo(before);
        assertThat(set.size()).isEqualTo(10);
    }
}
