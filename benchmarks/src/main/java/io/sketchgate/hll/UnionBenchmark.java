package io.sketchgate.hll;

import com.clearspring.analytics.stream.cardinality.HyperLogLogPlus;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.apache.datasketches.hll.TgtHllType;
import org.apache.datasketches.memory.Memory;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * A 90-day unique count: the union of 90 daily or 2,160 hourly p = 14 sketches plus its
 * estimate, from decoded sketches (the proxy's cache) and from serialized bytes (a cache miss:
 * bytes fetched from the unique-count index). Hourly buckets hold 4,000 users, daily ones
 * 40,000, half of them returning users shared across buckets; all are in register mode.
 * DataSketches reads its compact bytes with {@code HllSketch.wrap}, without copying. The
 * {@code streamlib} column is plain stream-lib {@code HyperLogLogPlus(14)} merged with
 * {@code addAll} (and decoded with {@code Builder.build}): the merge Sketchgate would have without
 * its own register union.
 *
 * <p>Run: {@code benchmarks/hll-bench.sh}, or alone:
 * {@code java -jar benchmarks/target/benchmarks.jar 'io.sketchgate.hll.UnionBenchmark' -f 1 -wi 2 -i 3 -w 1s -r 1s}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class UnionBenchmark {

    @Param({"daily", "hourly"})
    public String buckets;

    private HllSketch[] sketchgate;
    private byte[][] sketchgateBytes;
    private org.apache.datasketches.hll.HllSketch[] hll4;
    private org.apache.datasketches.hll.HllSketch[] hll8;
    private byte[][] hll4Bytes;
    private byte[][] hll8Bytes;
    private HyperLogLogPlus[] streamLib;
    private byte[][] streamLibBytes;

    @Setup
    public void setUp() throws IOException {
        boolean daily = buckets.equals("daily");
        long[][] ids = BenchmarkData.buckets(daily ? 90 : 2160, daily ? 40_000 : 4_000, 90);
        int n = ids.length;
        sketchgate = new HllSketch[n];
        sketchgateBytes = new byte[n][];
        hll4 = new org.apache.datasketches.hll.HllSketch[n];
        hll8 = new org.apache.datasketches.hll.HllSketch[n];
        hll4Bytes = new byte[n][];
        hll8Bytes = new byte[n][];
        streamLib = new HyperLogLogPlus[n];
        streamLibBytes = new byte[n][];
        for (int i = 0; i < n; i++) {
            streamLib[i] = new HyperLogLogPlus(BenchmarkData.LG_K);
            for (long id : ids[i]) {
                streamLib[i].offerHashed(SketchHash.hash(id));
            }
            streamLibBytes[i] = streamLib[i].getBytes();
            sketchgate[i] = BenchmarkData.sketchgate(ids[i]);
            sketchgateBytes[i] = sketchgate[i].serialize();
            hll4[i] = BenchmarkData.datasketches(ids[i], TgtHllType.HLL_4);
            hll8[i] = BenchmarkData.datasketches(ids[i], TgtHllType.HLL_8);
            hll4Bytes[i] = hll4[i].toCompactByteArray();
            hll8Bytes[i] = hll8[i].toCompactByteArray();
        }
    }

    @Benchmark
    public long union_sketchgate() {
        Union union = new Union(BenchmarkData.LG_K);
        for (HllSketch sketch : sketchgate) {
            union.add(sketch);
        }
        return union.estimate();
    }

    @Benchmark
    public double union_hll4() {
        return unionOf(hll4);
    }

    @Benchmark
    public double union_hll8() {
        return unionOf(hll8);
    }

    @Benchmark
    public long unionFromBytes_sketchgate() {
        Union union = new Union(BenchmarkData.LG_K);
        for (byte[] bytes : sketchgateBytes) {
            union.add(bytes);
        }
        return union.estimate();
    }

    @Benchmark
    public double unionFromBytes_hll4() {
        return unionOfBytes(hll4Bytes);
    }

    @Benchmark
    public double unionFromBytes_hll8() {
        return unionOfBytes(hll8Bytes);
    }

    @Benchmark
    public long union_streamlib() throws Exception {
        HyperLogLogPlus union = new HyperLogLogPlus(BenchmarkData.LG_K);
        for (HyperLogLogPlus sketch : streamLib) {
            union.addAll(sketch);
        }
        return union.cardinality();
    }

    @Benchmark
    public long unionFromBytes_streamlib() throws Exception {
        HyperLogLogPlus union = new HyperLogLogPlus(BenchmarkData.LG_K);
        for (byte[] bytes : streamLibBytes) {
            union.addAll(HyperLogLogPlus.Builder.build(bytes));
        }
        return union.cardinality();
    }

    private static double unionOf(org.apache.datasketches.hll.HllSketch[] sketches) {
        org.apache.datasketches.hll.Union union = new org.apache.datasketches.hll.Union(BenchmarkData.LG_K);
        for (org.apache.datasketches.hll.HllSketch sketch : sketches) {
            union.update(sketch);
        }
        return union.getEstimate();
    }

    private static double unionOfBytes(byte[][] serialized) {
        org.apache.datasketches.hll.Union union = new org.apache.datasketches.hll.Union(BenchmarkData.LG_K);
        for (byte[] bytes : serialized) {
            union.update(org.apache.datasketches.hll.HllSketch.wrap(Memory.wrap(bytes)));
        }
        return union.getEstimate();
    }
}
