package io.sketchgate.hll;

import java.util.SplittableRandom;
import org.apache.datasketches.hll.TgtHllType;

/**
 * Seeded bucket contents shared by the hll benchmarks: each bucket mixes returning users from a
 * common pool with users seen only in that bucket, as real hourly and daily buckets do.
 */
final class BenchmarkData {

    static final int LG_K = 14;

    private BenchmarkData() {}

    /** {@code buckets} arrays of {@code perBucket} user ids; half come from a shared pool. */
    static long[][] buckets(int buckets, int perBucket, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        long[] pool = random.longs(4L * perBucket, 0, Long.MAX_VALUE).toArray();
        long[][] out = new long[buckets][perBucket];
        for (int b = 0; b < buckets; b++) {
            for (int i = 0; i < perBucket; i++) {
                out[b][i] = (i & 1) == 0 ? pool[random.nextInt(pool.length)] : random.nextLong(Long.MAX_VALUE);
            }
        }
        return out;
    }

    static HllSketch sketchgate(long[] userIds) {
        HllSketch sketch = HllSketch.create(LG_K);
        for (long id : userIds) {
            sketch.add(id);
        }
        return sketch;
    }

    static org.apache.datasketches.hll.HllSketch datasketches(long[] userIds, TgtHllType type) {
        org.apache.datasketches.hll.HllSketch sketch = new org.apache.datasketches.hll.HllSketch(LG_K, type);
        for (long id : userIds) {
            sketch.update(Long.toString(id));
        }
        return sketch;
    }

    /** {@code count} distinct user ids. */
    static long[] distinct(int count) {
        long[] ids = new long[count];
        for (int i = 0; i < count; i++) {
            ids[i] = 1_000_000_000L + i;
        }
        return ids;
    }
}
