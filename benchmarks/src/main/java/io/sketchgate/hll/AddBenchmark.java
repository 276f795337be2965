package io.sketchgate.hll;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.apache.datasketches.hll.TgtHllType;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Cost of adding a value at p = lgK = 14: a fresh sketch takes {@value #VALUES} distinct user
 * ids (through the exact phase into registers), as the batch job builds a bucket. Both libraries
 * hash the UTF-8 string with MurmurHash3 x64 128; the {@code addLong} rows also spell the number
 * (Sketchgate's canonical decimal, DataSketches {@code Long.toString}).
 *
 * <p>Run: {@code benchmarks/hll-bench.sh}, or alone:
 * {@code java -jar benchmarks/target/benchmarks.jar 'io.sketchgate.hll.AddBenchmark' -f 1 -wi 2 -i 3 -w 1s -r 1s}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class AddBenchmark {

    static final int VALUES = 1 << 17;

    private long[] ids;
    private String[] strings;

    @Setup
    public void setUp() {
        ids = new SplittableRandom(17).longs(VALUES, 0, Long.MAX_VALUE).toArray();
        strings = new String[VALUES];
        for (int i = 0; i < VALUES; i++) {
            strings[i] = "user-" + ids[i];
        }
    }

    @Benchmark
    @OperationsPerInvocation(VALUES)
    public long addString_sketchgate() {
        HllSketch sketch = HllSketch.create(BenchmarkData.LG_K);
        for (String s : strings) {
            sketch.add(s);
        }
        return sketch.isExact() ? 0 : 1;
    }

    @Benchmark
    @OperationsPerInvocation(VALUES)
    public boolean addString_hll4() {
        return addStrings(TgtHllType.HLL_4);
    }

    @Benchmark
    @OperationsPerInvocation(VALUES)
    public boolean addString_hll8() {
        return addStrings(TgtHllType.HLL_8);
    }

    @Benchmark
    @OperationsPerInvocation(VALUES)
    public long addLong_sketchgate() {
        HllSketch sketch = HllSketch.create(BenchmarkData.LG_K);
        for (long id : ids) {
            sketch.add(id);
        }
        return sketch.isExact() ? 0 : 1;
    }

    @Benchmark
    @OperationsPerInvocation(VALUES)
    public boolean addLong_hll4() {
        return addLongs(TgtHllType.HLL_4);
    }

    @Benchmark
    @OperationsPerInvocation(VALUES)
    public boolean addLong_hll8() {
        return addLongs(TgtHllType.HLL_8);
    }

    private boolean addStrings(TgtHllType type) {
        org.apache.datasketches.hll.HllSketch sketch =
                new org.apache.datasketches.hll.HllSketch(BenchmarkData.LG_K, type);
        for (String s : strings) {
            sketch.update(s);
        }
        return sketch.isEstimationMode();
    }

    private boolean addLongs(TgtHllType type) {
        org.apache.datasketches.hll.HllSketch sketch =
                new org.apache.datasketches.hll.HllSketch(BenchmarkData.LG_K, type);
        for (long id : ids) {
            sketch.update(Long.toString(id));
        }
        return sketch.isEstimationMode();
    }
}
