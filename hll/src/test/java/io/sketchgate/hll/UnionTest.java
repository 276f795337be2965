package io.sketchgate.hll;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class UnionTest {

    @Test
    void anExactUnionsSketch_holdsItsValuesSorted_eightBytesEach_andStillTakesMore() {
        SplittableRandom random = new SplittableRandom(4);
        Union union = new Union();
        HllSketch all = HllSketch.create();
        for (int part = 0; part < 4; part++) {
            HllSketch granule = HllSketch.create();
            for (int i = 0; i < 150; i++) {
                long hash = random.nextLong();
                granule.addHash(hash);
                all.addHash(hash);
            }
            union.add(granule);
        }

        HllSketch made = union.toSketch();

        assertThat(made.isExact()).isTrue();
        assertThat(made.memoryBytes())
                .as("600 values as a sorted array, not a table of 2 to 4 slots a value")
                .isEqualTo(48 + 16 + 8 * 600);
        assertThat(made.serialize()).isEqualTo(all.serialize());
        made.addHash(random.nextLong());
        assertThat(made.estimate()).as("a value added after").isEqualTo(601);
        assertThat(union.estimate()).as("the union unchanged").isEqualTo(600);
    }

    @Test
    void aResetUnion_answersAsAFreshOne_whateverItHeldBefore() {
        SplittableRandom random = new SplittableRandom(44);
        Union reused = new Union(14, 300);
        for (int round = 0; round < 300; round++) {
            Union fresh = new Union(14, 300);
            int inputs = 1 + random.nextInt(12);
            for (int i = 0; i < inputs; i++) {
                // exact inputs of a few values (the list, the set), past the limit (registers), or dense sketches,
                // some of a lower precision (the union's precision lowered), some as stored bytes
                int precision = random.nextInt(8) == 0 ? 12 : 14;
                HllSketch input = HllSketch.create(precision, 300);
                int values = random.nextInt(4) == 0 ? 200 + random.nextInt(2_000) : random.nextInt(60);
                for (int v = 0; v < values; v++) {
                    input.addHash(random.nextLong());
                }
                if (random.nextBoolean()) {
                    reused.add(input);
                    fresh.add(input);
                } else {
                    reused.add(input.serialize());
                    fresh.add(input.serialize());
                }
            }

            assertThat(reused.isExact()).as("round %d", round).isEqualTo(fresh.isExact());
            assertThat(reused.estimate()).as("round %d", round).isEqualTo(fresh.estimate());
            assertThat(reused.provenDistinct()).as("round %d", round).isEqualTo(fresh.provenDistinct());
            assertThat(reused.lowerBound(2)).as("round %d", round).isEqualTo(fresh.lowerBound(2));
            assertThat(reused.precision()).as("round %d", round).isEqualTo(fresh.precision());
            assertThat(reused.toSketch().serialize())
                    .as("round %d", round)
                    .isEqualTo(fresh.toSketch().serialize());
            reused.reset();
        }
    }

    @Test
    void aResetUnion_reusesItsRegistersAndItsList() {
        SplittableRandom random = new SplittableRandom(45);
        HllSketch dense = HllSketch.create(14, 1024);
        random.longs(20_000).forEach(dense::addHash);
        java.util.List<HllSketch> hours = new java.util.ArrayList<>();
        for (int hour = 0; hour < 24; hour++) {
            HllSketch small = HllSketch.create(14, 1024);
            random.longs(100).forEach(small::addHash);
            hours.add(small);
        }
        Union union = new Union(14, 1024);
        for (int warm = 0; warm < 3; warm++) { // registers from the dense input; a list from the hours, grown
            union.add(dense);
            union.estimate();
            union.reset();
            hours.forEach(union::add);
            union.estimate();
            union.reset();
        }
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        threads.getCurrentThreadAllocatedBytes(); // its first call allocates

        long before = threads.getCurrentThreadAllocatedBytes();
        union.add(dense);
        long denseEstimate = union.estimate();
        union.reset();
        for (HllSketch hour : hours) { // no lambda: linking a new one allocates
            union.add(hour);
        }
        long hoursEstimate = union.estimate();
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertThat(denseEstimate).isEqualTo(dense.estimate());
        assertThat(hoursEstimate).isGreaterThan(2_000);
        assertThat(allocated)
                .as("no new 16 KB of registers, no new list of 2,400 hashes")
                .isLessThan(4_096);
    }

    @Test
    void union_ofHourlyBuckets_equalsTheSketchOfAllValues() {
        SplittableRandom random = new SplittableRandom(2160);
        Union union = new Union();
        HllSketch all = HllSketch.create();
        long[] returning = random.longs(2_000).toArray();
        for (int hour = 0; hour < 240; hour++) {
            HllSketch bucket = HllSketch.create();
            for (int i = 0; i < 300; i++) {
                long hash = i % 2 == 0 ? returning[random.nextInt(returning.length)] : random.nextLong();
                bucket.addHash(hash);
                all.addHash(hash);
            }
            union.add(
                    hour % 2 == 0
                            ? bucket.serialize()
                            : HllSketch.deserialize(bucket.serialize()).serialize());
        }

        assertThat(union.toSketch().serialize()).isEqualTo(all.serialize());
        assertThat(union.estimate()).isEqualTo(all.estimate());
        assertThat(union.lowerBound(2)).isEqualTo(all.lowerBound(2));
        assertThat(union.upperBound(2)).isEqualTo(all.upperBound(2));
    }

    @Test
    void estimate_askedBetweenAdds_followsEveryAdd() {
        SplittableRandom random = new SplittableRandom(7);
        Union union = new Union(14, 100);
        HllSketch all = HllSketch.create(14, 100);
        for (int step = 0; step < 4; step++) {
            HllSketch part = HllSketch.create(14, 100);
            random.longs(5_000).forEach(hash -> {
                part.addHash(hash);
                all.addHash(hash);
            });
            switch (step) {
                case 0, 2 -> union.add(part);
                case 1 -> union.add(part.serialize());
                default -> union.addBase64(java.util.Base64.getEncoder().encodeToString(part.serialize()));
            }

            assertThat(union.estimate()).as("after add %d", step).isEqualTo(all.estimate());
            assertThat(union.upperBound(2)).isEqualTo(all.upperBound(2));
            assertThat(union.lowerBound(2)).isEqualTo(all.lowerBound(2));
            assertThat(union.isEmpty()).isFalse();
        }
        union.reset();
        assertThat(union.estimate()).isZero();
        assertThat(union.isEmpty()).isTrue();
    }

    @Test
    void isEmpty_isTrueOnlyBeforeAnythingIsAdded() {
        Union union = new Union(14, 10);
        assertThat(union.isEmpty()).isTrue();
        union.add(HllSketch.create(14, 10)); // an empty sketch adds nothing
        assertThat(union.isEmpty()).isTrue();
        HllSketch many = HllSketch.create(14, 10);
        for (int i = 0; i < 50; i++) {
            many.add(i);
        }
        union.add(many);
        assertThat(union.isExact()).isFalse();
        assertThat(union.isEmpty()).isFalse();
    }

    @Test
    void union_ofExactSketches_staysExactWhileTheUnionFitsTheLimit() {
        Union union = new Union(14, 10);
        for (int day = 0; day < 5; day++) {
            HllSketch sketch = HllSketch.create(14, 10);
            sketch.add(day);
            sketch.add(day + 1);
            union.add(sketch);
        }

        assertThat(union.isExact()).isTrue();
        assertThat(union.estimate()).isEqualTo(6);
        assertThat(union.lowerBound(3)).isEqualTo(6);
        assertThat(union.upperBound(3)).isEqualTo(6);
    }

    @Test
    void union_pastTheExactLimit_reportsAnEstimate() {
        Union union = new Union(14, 10);
        HllSketch sketch = HllSketch.create(14, 10);
        for (int i = 0; i < 11; i++) {
            sketch.add(i);
        }
        union.add(sketch.serialize());

        assertThat(union.isExact()).isFalse();
        assertThat(union.estimate()).isEqualTo(11);
    }

    @Test
    void union_ofDifferentPrecisions_foldsToTheLower() {
        SplittableRandom random = new SplittableRandom(5);
        Union union = new Union(16);
        HllSketch expected = HllSketch.create(10);
        int[] precisions = {16, 12, 14, 10, 18};
        for (int p : precisions) {
            HllSketch sketch = HllSketch.create(p);
            for (int i = 0; i < 3000; i++) {
                long hash = random.nextLong();
                sketch.addHash(hash);
                expected.addHash(hash);
            }
            union.add(sketch.serialize());
        }

        assertThat(union.precision()).isEqualTo(10);
        assertThat(union.toSketch().serialize()).isEqualTo(expected.serialize());
    }

    @Test
    void union_givenBadBytes_throwsAndKeepsWhatItHad() {
        Union union = new Union();
        HllSketch sketch = HllSketch.create();
        sketch.add("x");
        union.add(sketch);
        byte[] corrupt = sketch.serialize();
        corrupt[corrupt.length - 5] ^= 1;

        assertThatThrownBy(() -> union.add(corrupt))
                .isInstanceOf(SketchFormatException.class)
                .hasMessage("sketch checksum mismatch: the bytes are corrupt");
        assertThatThrownBy(() -> union.addBase64("not base64!"))
                .isInstanceOf(SketchFormatException.class)
                .hasMessageStartingWith("sketch is not valid base64: ");
        assertThat(union.estimate()).isEqualTo(1);
    }

    @Test
    void union_givenASparseSketchWithABadLastEntry_appliesNoneOfIt() {
        HllSketch sparse = HllSketch.create(14, 1);
        for (int i = 0; i < 500; i++) {
            sparse.add(i);
        }
        byte[] bytes = sparse.serialize();
        assertThat(bytes[5]).isEqualTo((byte) 1);
        // The low 5 bits of the last payload byte are cleared (a zero value or a non-minimal
        // varint); the checksum is recomputed, as a forger would.
        byte[] forged = SketchFormatTest.mutate(bytes, b -> b[b.length - 5] &= (byte) 0xE0);
        Union union = new Union();
        union.add(HllSketch.create().serialize());

        assertThatThrownBy(() -> union.add(forged))
                .isInstanceOf(SketchFormatException.class)
                .hasMessage("sparse entry at payload byte 938 is not minimal");
        assertThat(union.isExact()).isTrue();
        assertThat(union.estimate()).isZero();
    }

    @Test
    void storedSketches_exactSparseAndDense_foldAsTheirDecodedSketchesDo() {
        SplittableRandom random = new SplittableRandom(77);
        Union fromStored = new Union(12);
        Union fromDecoded = new Union(12);
        for (int values : new int[] {50, 3_000, 60_000}) { // exact, sparse, dense at p = 14
            for (int precision : new int[] {14, 12}) {
                HllSketch sketch = HllSketch.create(precision, 1_024);
                random.longs(values).forEach(sketch::addHash);
                StoredSketch stored = StoredSketch.of(sketch.serialize());

                fromStored.add(stored);
                fromDecoded.add(HllSketch.deserialize(sketch.serialize()));
                assertThat(stored.length()).isEqualTo(sketch.serialize().length);
            }
        }

        assertThat(fromStored.toSketch().serialize())
                .isEqualTo(fromDecoded.toSketch().serialize());
        assertThat(fromStored.estimate()).isEqualTo(fromDecoded.estimate());
    }

    @Test
    void aUnionAdded_isAsItsSketchAdded_exactDenseAndOfAnotherPrecision() {
        SplittableRandom random = new SplittableRandom(91);
        for (int values : new int[] {30, 900, 40_000}) {
            for (int precision : new int[] {14, 11}) {
                Union part = new Union(precision, 1_000);
                Union viaUnion = new Union(12, 1_000);
                Union viaSketch = new Union(12, 1_000);
                HllSketch seed = HllSketch.create(12, 1_000);
                random.longs(700).forEach(seed::addHash);
                viaUnion.add(seed);
                viaSketch.add(seed);
                HllSketch drawn = HllSketch.create(precision, 1_000);
                random.longs(values).forEach(drawn::addHash);
                part.add(drawn);

                viaUnion.add(part);
                viaSketch.add(part.toSketch());

                assertThat(viaUnion.toSketch().serialize())
                        .as("%d values at p = %d", values, precision)
                        .isEqualTo(viaSketch.toSketch().serialize());
                assertThat(viaUnion.estimate()).isEqualTo(viaSketch.estimate());
            }
        }
    }

    @Test
    void anEmptyUnion_givenAnExactOne_copiesIt_andGrowsOnFromThere() {
        SplittableRandom random = new SplittableRandom(17);
        Union small = new Union(14, 1_000);
        HllSketch all = HllSketch.create(14, 1_000);
        random.longs(600).forEach(hash -> {
            HllSketch one = HllSketch.create(14, 1_000);
            one.addHash(hash);
            small.add(one);
            all.addHash(hash);
        });
        Union copy = new Union(14, 1_000);

        copy.add(small);
        assertThat(copy.isExact()).isTrue();
        assertThat(copy.estimate()).isEqualTo(600);
        HllSketch more = HllSketch.create(14, 1_000);
        random.longs(700).forEach(hash -> {
            more.addHash(hash);
            all.addHash(hash);
        });
        copy.add(more);

        assertThat(copy.toSketch().serialize()).isEqualTo(all.serialize());
        assertThat(small.estimate()).as("the source is not changed").isEqualTo(600);
    }

    @Test
    void aStoredSketch_isCheckedOnce_whenMade() {
        HllSketch sparse = HllSketch.create(14, 1);
        for (int i = 0; i < 500; i++) {
            sparse.add(i);
        }
        byte[] forged = SketchFormatTest.mutate(sparse.serialize(), b -> b[b.length - 5] &= (byte) 0xE0);

        assertThatThrownBy(() -> StoredSketch.of(forged))
                .isInstanceOf(SketchFormatException.class)
                .hasMessage("sparse entry at payload byte 938 is not minimal");
    }

    @Test
    void reset_emptiesTheUnionAndRestoresItsPrecision() {
        Union union = new Union(14);
        HllSketch sketch = HllSketch.create(12);
        for (int i = 0; i < 5000; i++) {
            sketch.add(i);
        }
        union.add(sketch);

        union.reset();

        assertThat(union.isExact()).isTrue();
        assertThat(union.estimate()).isZero();
        assertThat(union.precision()).isEqualTo(14);
        union.add(sketch);
        assertThat(union.toSketch().serialize()).isEqualTo(sketch.serialize());
    }

    @Test
    void anExactInputLargerThanTheUnionsLimit_makesItDense_asAddingItsValuesOneByOne() {
        HllSketch big = HllSketch.create(14, 5_000);
        HllSketch small = HllSketch.create(14, 100);
        HllSketch oneByOne = HllSketch.create(14, 1_024);
        for (int i = 0; i < 2_000; i++) {
            big.add("user-" + i);
            oneByOne.add("user-" + i);
            if (i % 7 == 0) {
                small.add("user-" + i);
            }
        }
        assertThat(big.isExact()).isTrue();

        for (boolean smallFirst : new boolean[] {true, false}) {
            Union union = new Union(14, 1_024);
            if (smallFirst) {
                union.add(small);
            }
            union.add(big);
            union.add(small);
            assertThat(union.isExact()).isFalse();
            assertThat(union.estimate()).isEqualTo(oneByOne.estimate());
            Union stored = new Union(14, 1_024);
            stored.add(big.serialize());
            assertThat(stored.estimate()).isEqualTo(oneByOne.estimate());
        }
    }

    /**
     * A union counts the registers it fills as hash and sparse inputs arrive, and estimates from that count while
     * linear counting decides: after every add of every kind, in any order, its estimate and bounds must be those of
     * a full pass over its registers.
     */
    @Test
    void estimateAndBounds_afterEveryKindOfAdd_areThoseOfAFullPassOverTheRegisters() {
        SplittableRandom random = new SplittableRandom(2026);
        long[] pool = random.longs(40_000).toArray(); // shared values, so inputs overlap and fill set registers
        int[] sizes = {0, 1, 40, 300, 1_500, 4_000, 12_000, 30_000};
        for (int trial = 0; trial < 300; trial++) {
            int precision = new int[] {14, 12, 10}[trial % 3];
            int limit = trial % 2 == 0 ? 1_024 : 100;
            Union union = new Union(precision, limit);
            int inputs = 1 + random.nextInt(12);
            for (int step = 0; step < inputs; step++) {
                int inputPrecision = random.nextInt(4) == 0 ? precision - 1 : precision + random.nextInt(2);
                HllSketch input = HllSketch.create(inputPrecision, random.nextBoolean() ? limit : 2_000);
                int values = sizes[random.nextInt(sizes.length)];
                for (int v = 0; v < values; v++) {
                    input.addHash(pool[random.nextInt(pool.length)]);
                }
                int kind = random.nextInt(4);
                switch (kind) {
                    case 0 -> union.add(input);
                    case 1 -> union.add(input.serialize()); // exact, sparse or dense bytes
                    case 2 -> union.add(StoredSketch.of(input.serialize()));
                    default -> {
                        Union other = new Union(inputPrecision, limit);
                        other.add(input);
                        union.add(other);
                    }
                }

                HllSketch fullPass = union.toSketch();
                String at = "trial " + trial + ", input " + step + " (kind " + kind + ", " + values + " values)";
                assertThat(union.estimate()).as(at).isEqualTo(fullPass.estimate());
                assertThat(union.lowerBound(2)).as(at).isEqualTo(fullPass.lowerBound(2));
                assertThat(union.upperBound(2)).as(at).isEqualTo(fullPass.upperBound(2));
                assertThat(union.isEmpty()).as(at).isEqualTo(fullPass.isEmpty());
            }
        }
    }

    /**
     * Exact inputs past a quarter of the limit defer the set (registers and a list); the union must still end exactly
     * as one that adds every value to a sketch: exact while the distinct values are within the limit, whatever their
     * overlap, asked between adds or not, and with the same registers past it.
     */
    @Test
    void manyExactInputs_endAsOneSketchOfAllTheirValues_exactWithinTheLimitAndTheSameRegistersPast() {
        SplittableRandom random = new SplittableRandom(4);
        int limit = 256;
        for (int trial = 0; trial < 400; trial++) {
            int poolSize = new int[] {40, 200, 256, 257, 300, 2_000}[trial % 6];
            long[] pool = random.longs(poolSize).toArray();
            Union union = new Union(12, limit);
            HllSketch all = HllSketch.create(12, limit);
            int inputs = 1 + random.nextInt(30);
            for (int step = 0; step < inputs; step++) {
                HllSketch input = HllSketch.create(12, limit);
                int values = random.nextInt(1 + Math.min(limit, poolSize));
                for (int v = 0; v < values; v++) {
                    long hash = pool[random.nextInt(poolSize)];
                    input.addHash(hash);
                    all.addHash(hash);
                }
                switch (random.nextInt(3)) {
                    case 0 -> union.add(input);
                    case 1 -> union.add(input.serialize());
                    default -> {
                        Union other = new Union(12, limit); // itself deferred when its input is big enough
                        other.add(input);
                        union.add(other);
                    }
                }
                if (random.nextInt(5) == 0) { // read between adds, then go on adding
                    assertThat(union.estimate()).isEqualTo(all.estimate());
                }
            }

            String at = "trial " + trial + ": " + all.estimate() + " values, limit " + limit;
            assertThat(union.isExact()).as(at).isEqualTo(all.isExact());
            assertThat(union.estimate()).as(at).isEqualTo(all.estimate());
            assertThat(union.toSketch().serialize()).as(at).isEqualTo(all.serialize());
        }
    }

    /**
     * A cut day's union lists the hashes of its hours, repeats included (a user seen in many hours); joined into the
     * range's total it must stay exact while its distinct values are within the limit, however long that list is.
     */
    @Test
    void aUnionOfUnions_staysExact_whenTheInnerListsRepeatValuesPastTheLimit() {
        long[] users = new SplittableRandom(25).longs(600).toArray();
        Union hours = new Union(); // the same 600 users in each of 4 hours: 2,400 hashes listed, 600 distinct
        for (int hour = 0; hour < 4; hour++) {
            HllSketch bucket = HllSketch.create();
            for (long user : users) {
                bucket.addHash(user);
            }
            hours.add(bucket);
        }
        Union total = new Union();

        total.add(hours);

        assertThat(hours.isExact()).isTrue();
        assertThat(total.isExact())
                .as("the total of an exact union of 600 values")
                .isTrue();
        assertThat(total.estimate()).isEqualTo(600);
        Union seeded = new Union(); // and joined into a union that already holds values
        HllSketch other = HllSketch.create();
        other.addHash(42L);
        seeded.add(other);
        seeded.add(hours);
        assertThat(seeded.isExact()).isTrue();
        assertThat(seeded.estimate()).isEqualTo(601);
    }
}
